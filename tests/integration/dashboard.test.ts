import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_RECHECK_MS } from '../../src/services/dashboard-access.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { DASHBOARD_LINK_TTL_MS, deriveDashboardKey, signDashboardToken } from '../../src/web/link.ts';
import { findChromium, loadInChromium } from '../support/chromium.ts';
import { TestClock } from '../support/clock.ts';
import { getWithCookie, openDashboard } from '../support/dashboard.ts';
import { testDbKind } from '../support/database.ts';
import { ADMIN_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { people, seedHistory, seedMembers } from '../support/network-history.ts';
import { countColour, decodePng } from '../support/png.ts';
import { slackEvents } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld } from '../support/test-app.ts';

const NOW = '2026-11-25T12:00:00Z';
const clock = new TestClock(NOW);
const ARTIFACTS = join(import.meta.dirname, '../artifacts');
const chromium = findChromium();
const NO_CHROMIUM =
  ' [skipped: Debian chromium not found at /usr/bin/chromium — apt-get install -y chromium]';
let world: TestWorld;

const staff = [
  ...people('Engineering', 11, 'U3ENG'),
  ...people('Sales', 9, 'U3SAL'),
  ...people('Design', 6, 'U3DES'),
  ...people('Finance', 5, 'U3FIN'),
  ...people('People Ops', 4, 'U3OPS'),
  ...people('Legal', 2, 'U3LEG'),
];

beforeAll(async () => {
  world = await startWorld({ clock });
  const everyone = [
    { userId: ADMIN_USER_ID, department: 'Engineering', isAdmin: true, name: 'Anna' },
    ...staff,
  ];
  await seedMembers(world.db.prisma, everyone, clock.now());
  await seedHistory(world.db.prisma, {
    now: clock.now(),
    weeks: 10,
    people: everyone,
    channelId: PAIRS_CHANNEL_ID,
  });
});
afterAll(async () => {
  await world?.close();
});

/** Opens the Home tab as `userId` and returns the dashboard button's URL, if the view has one. */
async function dashboardLinkFromHome(userId: string): Promise<string | null> {
  world.fake.clearCalls();
  const res = await world.slack.event(slackEvents.appHomeOpened(userId));
  expect(res.status).toBe(200);
  await world.fake.waitFor('views.publish', (args) => args.user_id === userId);
  const blocks = (world.fake.homeView(userId)?.blocks ?? []) as Array<{ type: string; elements?: unknown[] }>;
  const button = blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []) as Array<{ action_id?: string; url?: string }>)
    .find((e) => e.action_id === ACTIONS.openDashboard);
  return button?.url ?? null;
}

/** The same path and query on the test server (PUBLIC_URL is not the ephemeral test port). */
const onTestServer = (link: string) => {
  const u = new URL(link);
  return `${world.url}${u.pathname}${u.search}`;
};

const svgOf = (html: string, chart: string) =>
  new RegExp(`<svg[^>]*data-chart="${chart}"[\\s\\S]*?</svg>`).exec(html)?.[0] ?? '';
const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

describe('network dashboard', () => {
  it(`opens from the admin Home, renders its heatmap and charts in headless Chromium without console errors, and saves a screenshot${chromium ? '' : NO_CHROMIUM}`, async () => {
    const link = await dashboardLinkFromHome(ADMIN_USER_ID);
    expect(link).toMatch(
      new RegExp(`^${world.config.publicUrl}/dashboard\\?t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`),
    );
    const opened = await openDashboard(world.url, link!);
    expect(opened.linkStatus).toBe(303);
    const res = opened.page!;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Weave network');
    expect(html).not.toContain('Legal');

    if (!chromium) return;
    // Each Chromium run has a fresh profile, so each needs a fresh (single-use) link.
    const freshLink = async () => onTestServer((await dashboardLinkFromHome(ADMIN_USER_ID))!);
    const loaded = await loadInChromium(chromium, await freshLink());
    expect(loaded.consoleMessages).toEqual([]);
    const dom = loaded.dom;
    // Heatmap: 5 departments of 3 or more people → 25 cells (Legal, 2 people, is left out).
    const heatmap = svgOf(dom, 'heatmap');
    expect(count(heatmap, /<rect class="cell"/g)).toBe(25);
    expect(count(heatmap, /data-status="shown"/g)).toBeGreaterThan(10);
    for (const name of ['Engineering', 'Sales', 'Design', 'Finance', 'People Ops'])
      expect(heatmap).toContain(name);
    // Trend: one point per week of the 90-day window; meet rate: one bar per round; gives: one bar per kind.
    expect(count(svgOf(dom, 'trend'), /<circle class="point/g)).toBeGreaterThanOrEqual(13);
    expect(svgOf(dom, 'trend')).toMatch(/<path class="line" d="M[\d.,]+L/);
    expect(count(svgOf(dom, 'meet-rate'), /<rect class="bar/g)).toBe(10);
    expect(count(svgOf(dom, 'gives'), /<rect class="bar/g)).toBe(5);
    expect(dom).toContain('Least-connected departments');

    await mkdir(ARTIFACTS, { recursive: true });
    const desktop = join(ARTIFACTS, `dashboard-${testDbKind()}-desktop.png`);
    const phone = join(ARTIFACTS, `dashboard-${testDbKind()}-phone.png`);
    const shot = await loadInChromium(chromium, await freshLink(), {
      screenshot: desktop,
      windowSize: [1280, 1700],
    });
    expect(shot.consoleMessages).toEqual([]);
    await loadInChromium(chromium, await freshLink(), { screenshot: phone, windowSize: [390, 2400] });
    expect((await stat(desktop)).size).toBeGreaterThan(20_000);
    expect((await stat(phone)).size).toBeGreaterThan(10_000);
    // The charts were painted: the accent colour (bars, line, deepest heatmap cells) covers real area.
    const png = decodePng(await readFile(desktop));
    expect(png.width).toBe(1280);
    expect(countColour(png, [0, 109, 91])).toBeGreaterThan(500);
  });

  it(`detects console errors in headless Chromium (the check itself works)${chromium ? '' : NO_CHROMIUM}`, async () => {
    if (!chromium) return;
    const page = 'data:text/html,<p>x</p><script>console.error("weave-console-check")</script>';
    const loaded = await loadInChromium(chromium, page);
    expect(loaded.consoleMessages.join('\n')).toContain('weave-console-check');
  });

  it('serves the fixed windows from the same session, and refuses any other window with 400', async () => {
    const { cookie } = await openDashboard(world.url, (await dashboardLinkFromHome(ADMIN_USER_ID))!);
    const res = await getWithCookie(world.url, '/dashboard?days=30', cookie!);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('last 30 days');
    expect(html).toMatch(/href="\?days=30" aria-current="page"/);
    // Free windows would let day N and day N + 1 be subtracted into a single day.
    for (const days of ['8', '89', '91', '7', '366', '0', '-30', 'abc', '30.5']) {
      const bad = await getWithCookie(world.url, `/dashboard?days=${days}`, cookie!);
      expect(bad.status, days).toBe(400);
      expect(await bad.text()).toContain('30, 90, 180, 365 days');
    }
  });

  it('opens a link once: 303 to a URL without the token, setting an HttpOnly, SameSite=Strict cookie', async () => {
    const link = (await dashboardLinkFromHome(ADMIN_USER_ID))!;
    const opened = await openDashboard(world.url, link, '&days=180');
    expect(opened.linkStatus).toBe(303);
    expect(opened.location).toBe('/dashboard?days=180');
    const flags = (opened.setCookie ?? '').split(';').map((f) => f.trim());
    expect(flags).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/dashboard', 'Max-Age=7200']),
    );
    // PUBLIC_URL is http here: no Secure flag (a browser would drop the cookie on plain http).
    expect(flags).not.toContain('Secure');
    expect(opened.page?.status).toBe(200);
    expect(opened.html).toContain('last 180 days');
    expect(opened.html).not.toContain(new URL(link).searchParams.get('t')!);
    // The same link a second time: refused, no cookie.
    const again = await fetch(onTestServer(link), { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('already used');
    // The session keeps working; a link is good for ten minutes only.
    expect((await getWithCookie(world.url, '/dashboard', opened.cookie!)).status).toBe(200);
    const late = (await dashboardLinkFromHome(ADMIN_USER_ID))!;
    clock.advance(10 * 60_000 + 1000);
    try {
      const res = await fetch(onTestServer(late), { redirect: 'manual' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('expired');
    } finally {
      clock.set(NOW);
    }
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secureWorld = await startWorld({ clock, env: { PUBLIC_URL: 'https://weave.example.com' } });
    try {
      await seedMembers(
        secureWorld.db.prisma,
        [{ userId: ADMIN_USER_ID, department: 'Engineering', isAdmin: true, name: 'Anna' }],
        clock.now(),
      );
      const token = signDashboardToken(deriveDashboardKey(SIGNING_SECRET), {
        workspaceId: TEAM_ID,
        userId: ADMIN_USER_ID,
        expiresAt: new Date(clock.now().getTime() + 60_000),
      });
      await secureWorld.slack.event(slackEvents.appHomeOpened(ADMIN_USER_ID)); // the workspace is known
      await secureWorld.fake.waitFor('views.publish', (a) => a.user_id === ADMIN_USER_ID);
      const res = await fetch(`${secureWorld.url}/dashboard?t=${token}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await secureWorld.close();
    }
  });

  it('after a click from Slack (a cross-site navigation, so no Strict cookie yet) reloads the clean URL once', async () => {
    const crossSite = await fetch(`${world.url}/dashboard?days=30`, {
      headers: { 'sec-fetch-site': 'cross-site' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(401);
    expect(await crossSite.text()).toContain(
      '<meta http-equiv="refresh" content="0;url=/dashboard?days=30&amp;signin=1">',
    );
    // The reload is same-site; without a cookie even then, it is the usual sign-in page (no loop).
    const again = await fetch(`${world.url}/dashboard?days=30&signin=1`, {
      headers: { 'sec-fetch-site': 'cross-site' },
      redirect: 'manual',
    });
    expect(again.status).toBe(401);
    const text = await again.text();
    expect(text).not.toContain('http-equiv="refresh"');
    expect(text).toContain('Home tab in Slack');
  });

  it('refuses a missing or unreadable link or session with 401', async () => {
    for (const path of ['/dashboard', '/dashboard?t=', '/dashboard?t=not-a-token', '/dashboard?t=a.b.c']) {
      const res = await fetch(`${world.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain('Home tab in Slack');
    }
    const res = await getWithCookie(world.url, '/dashboard', 'weave_dashboard=nonsense');
    expect(res.status).toBe(401);
  });

  it('refuses tampered, forged, expired and foreign links with 403, and a link used as a session', async () => {
    const link = await dashboardLinkFromHome(ADMIN_USER_ID);
    const token = new URL(link!).searchParams.get('t')!;
    const [payload, signature] = token.split('.') as [string, string];
    const get = (t: string) =>
      fetch(`${world.url}/dashboard?t=${t}`, { redirect: 'manual' }).then((r) => r.status);

    const flipped = `${signature.slice(0, 5)}${signature[5] === 'x' ? 'y' : 'x'}${signature.slice(6)}`;
    expect(await get(`${payload}.${flipped}`)).toBe(403);
    const otherUser = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace(ADMIN_USER_ID, USER_IDS.ben),
    ).toString('base64url');
    expect(await get(`${otherUser}.${signature}`)).toBe(403);
    const foreign = signDashboardToken(deriveDashboardKey('someone-elses-secret'), {
      workspaceId: TEAM_ID,
      userId: ADMIN_USER_ID,
      expiresAt: new Date(clock.now().getTime() + 60_000),
    });
    expect(await get(foreign)).toBe(403);
    // A link token is not a session cookie.
    expect((await getWithCookie(world.url, '/dashboard', `weave_dashboard=${token}`)).status).toBe(401);

    clock.advance(DASHBOARD_LINK_TTL_MS + 1000);
    try {
      const res = await fetch(`${world.url}/dashboard?t=${token}`, { redirect: 'manual' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('expired');
    } finally {
      clock.set(NOW);
    }
  });

  it('asks Slack whether the user is still an admin: rights lost there close the page once the check is due', async () => {
    const key = deriveDashboardKey(SIGNING_SECRET);
    const forBen = signDashboardToken(key, {
      workspaceId: TEAM_ID,
      userId: USER_IDS.ben,
      expiresAt: new Date(clock.now().getTime() + 60_000),
    });
    expect((await fetch(`${world.url}/dashboard?t=${forBen}`, { redirect: 'manual' })).status).toBe(403);

    const { cookie } = await openDashboard(world.url, (await dashboardLinkFromHome(ADMIN_USER_ID))!);
    expect((await getWithCookie(world.url, '/dashboard', cookie!)).status).toBe(200);
    // Slack demotes Anna; Weave hears nothing about it (no user_change event).
    world.fake.updateUser(ADMIN_USER_ID, { isAdmin: false, isOwner: false, isPrimaryOwner: false });
    try {
      clock.advance(60_000);
      // Within the few minutes an answer from Slack is reused: still open.
      expect((await getWithCookie(world.url, '/dashboard', cookie!)).status).toBe(200);
      clock.advance(ADMIN_RECHECK_MS);
      const refused = await getWithCookie(world.url, '/dashboard', cookie!);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('for workspace admins');
      expect(
        (
          await world.db.prisma.member.findUniqueOrThrow({
            where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: ADMIN_USER_ID } },
          })
        ).isAdmin,
      ).toBe(false);
    } finally {
      world.fake.updateUser(ADMIN_USER_ID, { isAdmin: true, isOwner: true, isPrimaryOwner: true });
      await world.db.prisma.member.update({
        where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: ADMIN_USER_ID } },
        data: { isAdmin: true },
      });
      clock.set(NOW);
    }
  });
});
