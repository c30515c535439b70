import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../services/ports.ts';
import type { StatsService } from '../services/stats.ts';
import { verifyDashboardToken } from './link.ts';
import { renderDashboard, renderRefusal } from './page.ts';

/** An HTTP route served next to Slack's endpoints (same shape as Bolt's custom routes). */
export interface WebRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export const DEFAULT_DASHBOARD_DAYS = 90;
const MIN_DAYS = 7;
const MAX_DAYS = 365;

// No script at all, styles inline only, nothing framed, no referrer (the URL carries the token).
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

/** The window asked for in `?days=`, within 7–365 days (default 90). */
export function parseDays(value: string | null): number {
  if (value === null || !/^\d{1,3}$/.test(value)) return DEFAULT_DASHBOARD_DAYS;
  return Math.min(MAX_DAYS, Math.max(MIN_DAYS, Number(value)));
}

/**
 * `GET /dashboard?t=<token>[&days=N]`: the network dashboard for the admin the signed link was made for.
 * No or unreadable token → 401; tampered or expired token, or a user no longer admin → 403.
 */
export function dashboardRoutes(deps: {
  stats: Pick<StatsService, 'dashboard' | 'isAdmin' | 'isInstalled'>;
  clock: Clock;
  key: Buffer;
  log: Logger;
}): WebRoute[] {
  const log = deps.log.child({ component: 'dashboard' });
  return [
    {
      path: '/dashboard',
      method: ['GET'],
      handler: async (req, res) => {
        try {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const token = url.searchParams.get('t');
          const check = verifyDashboardToken(deps.key, token, deps.clock.now());
          if (!check.ok) {
            log.info({ reason: check.code }, 'dashboard link refused');
            if (check.code === 'missing' || check.code === 'malformed') {
              return sendHtml(
                res,
                401,
                renderRefusal(
                  'Sign-in needed',
                  "The dashboard opens from a personal link: use the button in Weave's Home tab in Slack.",
                ),
              );
            }
            return sendHtml(
              res,
              403,
              check.code === 'expired'
                ? renderRefusal(
                    'This link has expired',
                    "Dashboard links work for a couple of hours. Open Weave's Home tab in Slack again for a fresh one.",
                  )
                : renderRefusal(
                    'This link is not valid',
                    "Open the dashboard with the button in Weave's Home tab in Slack.",
                  ),
            );
          }
          const { workspaceId, userId } = check;
          if (
            !(await deps.stats.isInstalled(workspaceId)) ||
            !(await deps.stats.isAdmin(workspaceId, userId))
          ) {
            log.info({ workspaceId, userId }, 'dashboard refused: not an admin of an installed workspace');
            return sendHtml(
              res,
              403,
              renderRefusal('No access', 'The network dashboard is for workspace admins.'),
            );
          }
          const days = parseDays(url.searchParams.get('days'));
          const data = await deps.stats.dashboard(workspaceId, days);
          log.info({ workspaceId, userId, days }, 'dashboard opened');
          sendHtml(res, 200, renderDashboard(data, { token: token ?? '', days, expiresAt: check.expiresAt }));
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
