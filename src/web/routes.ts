import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.ts';
import type { DashboardAccess } from '../services/dashboard-access.ts';
import type { Clock } from '../services/ports.ts';
import type { StatsService } from '../services/stats.ts';
import {
  DASHBOARD_SESSION_TTL_MS,
  SESSION_COOKIE,
  signDashboardSession,
  verifyDashboardSession,
  verifyDashboardToken,
} from './link.ts';
import { DASHBOARD_WINDOWS, renderDashboard, renderRefusal, renderSigningIn } from './page.ts';

/** An HTTP route served next to Slack's endpoints (same shape as Bolt's custom routes). */
export interface WebRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export const DEFAULT_DASHBOARD_DAYS = 90;

// No script at all, styles inline only, nothing framed, no referrer.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
  res.end(html);
}

/**
 * The window asked for in `?days=`: only the fixed windows the page offers (30, 90, 180, 365; 90 when
 * absent). Anything else is null: free windows would let day N and day N+1 be subtracted into one day.
 */
export function parseDays(value: string | null): number | null {
  if (value === null) return DEFAULT_DASHBOARD_DAYS;
  const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  return (DASHBOARD_WINDOWS as readonly number[]).includes(n) ? n : null;
}

/** The session cookie's value, if the request carries one. */
function sessionCookie(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return null;
}

const SIGN_IN = renderRefusal(
  'Sign-in needed',
  "The dashboard opens from a personal link: use the button in Weave's Home tab in Slack.",
);
const NOT_VALID = renderRefusal(
  'This link is not valid',
  "Open the dashboard with the button in Weave's Home tab in Slack.",
);

/**
 * `GET /dashboard?t=<link>`: checks the single-use link, sets the session cookie and answers 303 to the
 * same page without the token. `GET /dashboard[?days=N]` with the cookie: the network dashboard, if the
 * user is (still, as Slack says) an admin of an installed workspace. No sign-in → 401; a bad, expired or
 * used link, or no admin rights → 403; a window other than 30/90/180/365 days → 400.
 */
export function dashboardRoutes(deps: {
  stats: Pick<StatsService, 'dashboard' | 'isInstalled'>;
  access: Pick<DashboardAccess, 'claimLink' | 'adminNow'>;
  clock: Clock;
  key: Buffer;
  /** PUBLIC_URL: the cookie is marked Secure when it is https. */
  publicUrl: string;
  log: Logger;
  /** Intros of the window that met, and that agreed a time in Weave. */
  meetingCounts?: (workspaceId: string, since: Date) => Promise<{ met: number; agreed: number }>;
}): WebRoute[] {
  const log = deps.log.child({ component: 'dashboard' });
  const secure = deps.publicUrl.startsWith('https:');

  async function mayView(
    workspaceId: string,
    userId: string,
  ): Promise<ReturnType<typeof renderRefusal> | null> {
    if (!(await deps.stats.isInstalled(workspaceId))) {
      return renderRefusal('No access', 'The network dashboard is for workspace admins.');
    }
    const admin = await deps.access.adminNow(workspaceId, userId);
    if (admin === 'admin') return null;
    log.info({ workspaceId, userId, admin }, 'dashboard refused: not an admin now');
    return admin === 'unknown'
      ? renderRefusal('Please try again', 'Slack could not confirm your admin rights just now.')
      : renderRefusal('No access', 'The network dashboard is for workspace admins.');
  }

  async function openLink(res: ServerResponse, url: URL, token: string) {
    const now = deps.clock.now();
    const check = verifyDashboardToken(deps.key, token, now);
    if (!check.ok) {
      log.info({ reason: check.code }, 'dashboard link refused');
      if (check.code === 'missing' || check.code === 'malformed') return sendHtml(res, 401, SIGN_IN);
      return sendHtml(
        res,
        403,
        check.code === 'expired'
          ? renderRefusal(
              'This link has expired',
              "Dashboard links work for ten minutes. Open Weave's Home tab in Slack again for a fresh one.",
            )
          : NOT_VALID,
      );
    }
    const { workspaceId, userId } = check;
    const refusal = await mayView(workspaceId, userId);
    if (refusal) return sendHtml(res, 403, refusal);
    if (!(await deps.access.claimLink(workspaceId, check.nonce, check.expiresAt))) {
      log.info({ workspaceId, userId }, 'dashboard link refused: already used');
      return sendHtml(
        res,
        403,
        renderRefusal(
          'This link was already used',
          "Each dashboard link works once. Open Weave's Home tab in Slack again for a fresh one.",
        ),
      );
    }
    const expiresAt = new Date(now.getTime() + DASHBOARD_SESSION_TTL_MS);
    const session = signDashboardSession(deps.key, { workspaceId, userId, expiresAt });
    const cookie = [
      `${SESSION_COOKIE}=${session}`,
      'Path=/dashboard',
      `Max-Age=${Math.floor(DASHBOARD_SESSION_TTL_MS / 1000)}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(secure ? ['Secure'] : []),
    ].join('; ');
    // The clean URL keeps only a valid window: the token never stays in history or reaches a proxy log again.
    const days = parseDays(url.searchParams.get('days'));
    const location = days && url.searchParams.has('days') ? `/dashboard?days=${days}` : '/dashboard';
    log.info({ workspaceId, userId }, 'dashboard link opened');
    res.writeHead(303, { location, 'set-cookie': cookie, ...SECURITY_HEADERS });
    res.end();
  }

  async function showPage(req: IncomingMessage, res: ServerResponse, url: URL) {
    const session = verifyDashboardSession(deps.key, sessionCookie(req), deps.clock.now());
    if (!session.ok) {
      // A SameSite=Strict cookie is not sent on the redirect that follows a click from Slack (the
      // navigation started on another site): one same-site reload of the clean URL brings it along.
      const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
      if (session.code === 'missing' && crossSite && !url.searchParams.has('signin')) {
        return sendHtml(
          res,
          401,
          renderSigningIn(
            `/dashboard?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), signin: '1' })}`,
          ),
        );
      }
      log.info({ reason: session.code }, 'dashboard session refused');
      return sendHtml(
        res,
        session.code === 'expired' || session.code === 'bad_signature' ? 403 : 401,
        session.code === 'expired'
          ? renderRefusal('Signed out', "Open Weave's Home tab in Slack again to see the dashboard.")
          : SIGN_IN,
      );
    }
    const days = parseDays(url.searchParams.get('days'));
    if (days === null) {
      return sendHtml(
        res,
        400,
        renderRefusal(
          'No such time window',
          `The dashboard shows the last ${DASHBOARD_WINDOWS.join(', ')} days only: pick one of those.`,
        ),
      );
    }
    const { workspaceId, userId } = session;
    const refusal = await mayView(workspaceId, userId);
    if (refusal) return sendHtml(res, 403, refusal);
    const data = await deps.stats.dashboard(workspaceId, days);
    const since = new Date(deps.clock.now().getTime() - days * 86_400_000);
    const meetings = await deps.meetingCounts?.(workspaceId, since);
    log.info({ workspaceId, userId, days }, 'dashboard opened');
    sendHtml(
      res,
      200,
      renderDashboard(data, { days, expiresAt: session.expiresAt, ...(meetings ? { meetings } : {}) }),
    );
  }

  return [
    {
      path: '/dashboard',
      method: ['GET'],
      handler: async (req, res) => {
        try {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const token = url.searchParams.get('t');
          if (token !== null) return await openLink(res, url, token);
          return await showPage(req, res, url);
        } catch (error) {
          log.error({ err: error }, 'dashboard failed');
          if (!res.headersSent) {
            sendHtml(
              res,
              500,
              renderRefusal(
                'Something went wrong',
                'The dashboard could not be built. Please try again in a minute.',
              ),
            );
          }
        }
      },
    },
  ];
}
