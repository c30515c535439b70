import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import {
  buildConnectionMatrix,
  buildHeatmap,
  givesByKind,
  leastConnectedPairs,
} from '../../../src/domain/network/index.ts';
import { escapeHtml, heatmapSvg, niceMax } from '../../../src/web/charts.ts';
import {
  DASHBOARD_LINK_TTL_MS,
  dashboardKeySource,
  dashboardUrl,
  deriveDashboardKey,
  signDashboardSession,
  signDashboardToken,
  verifyDashboardSession,
  verifyDashboardToken,
} from '../../../src/web/link.ts';
import { renderDashboard } from '../../../src/web/page.ts';
import { parseDays } from '../../../src/web/routes.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const key = deriveDashboardKey('test-signing-secret-0123456789');
const who = { workspaceId: 'T0WEAVE1', userId: 'U0ANNA' };

describe('dashboard links', () => {
  it('round-trips a signed link until it expires', () => {
    const nonce = 'a1b2c3d4e5f60718293a4b5c';
    const token = signDashboardToken(key, { ...who, expiresAt: new Date(NOW.getTime() + 60_000), nonce });
    expect(verifyDashboardToken(key, token, NOW)).toEqual({
      ok: true,
      ...who,
      expiresAt: new Date(NOW.getTime() + 60_000),
      nonce,
    });
    // Every link gets its own nonce (the single-use check keys on it).
    const [x, y] = [1, 2].map(() =>
      verifyDashboardToken(
        key,
        signDashboardToken(key, { ...who, expiresAt: new Date(NOW.getTime() + 60_000) }),
        NOW,
      ),
    );
    expect(x?.ok && y?.ok && x.nonce !== y.nonce).toBe(true);
    // A link is not a session, nor a session a link.
    const session = signDashboardSession(key, { ...who, expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(verifyDashboardSession(key, session, NOW)).toMatchObject({ ok: true, ...who });
    expect(verifyDashboardSession(key, token, NOW).ok).toBe(false);
    expect(verifyDashboardToken(key, session, NOW).ok).toBe(false);
    expect(verifyDashboardToken(key, token, new Date(NOW.getTime() + 60_000))).toEqual({
      ok: false,
      code: 'expired',
    });
  });

  it('refuses missing, malformed, tampered and foreign-key tokens', () => {
    const token = signDashboardToken(key, { ...who, expiresAt: new Date(NOW.getTime() + 60_000) });
    const [payload, signature] = token.split('.') as [string, string];
    const check = (t: string | null) => verifyDashboardToken(key, t, NOW);
    expect(check(null)).toEqual({ ok: false, code: 'missing' });
    expect(check('')).toEqual({ ok: false, code: 'missing' });
    expect(check('garbage')).toEqual({ ok: false, code: 'malformed' });
    expect(check(`${payload}.${signature}.x`)).toEqual({ ok: false, code: 'malformed' });
    expect(check(`${payload}.${signature}=`)).toEqual({ ok: false, code: 'malformed' });
    // Another user, the same signature.
    const nonce = Buffer.from(payload, 'base64url').toString().split(':')[3];
    const forged = Buffer.from(`T0WEAVE1:U0BEN:${Math.floor(NOW.getTime() / 1000) + 60}:${nonce}`).toString(
      'base64url',
    );
    expect(check(`${forged}.${signature}`)).toEqual({ ok: false, code: 'bad_signature' });
    // A later expiry, the same signature.
    const extended = Buffer.from(
      `T0WEAVE1:U0ANNA:${Math.floor(NOW.getTime() / 1000) + 99_999}:${nonce}`,
    ).toString('base64url');
    expect(check(`${extended}.${signature}`)).toEqual({ ok: false, code: 'bad_signature' });
    // Any single changed character of the signature, including the last one.
    for (const i of [0, 10, signature.length - 1]) {
      const c = signature[i] === 'A' ? 'B' : 'A';
      const changed = `${signature.slice(0, i)}${c}${signature.slice(i + 1)}`;
      expect(check(`${payload}.${changed}`).ok).toBe(false);
    }
    // Signed with another deployment's key.
    const other = signDashboardToken(deriveDashboardKey('another-secret'), {
      ...who,
      expiresAt: new Date(NOW.getTime() + 60_000),
    });
    expect(check(other)).toEqual({ ok: false, code: 'bad_signature' });
  });

  it('builds the link from the public URL, valid for ten minutes', () => {
    expect(DASHBOARD_LINK_TTL_MS).toBe(10 * 60_000);
    const url = new URL(dashboardUrl('https://weave.example.com/', key, who, NOW));
    expect(url.origin + url.pathname).toBe('https://weave.example.com/dashboard');
    const check = verifyDashboardToken(key, url.searchParams.get('t'), NOW);
    expect(check).toMatchObject({ ok: true, expiresAt: new Date(NOW.getTime() + DASHBOARD_LINK_TTL_MS) });
  });

  it('derives the key from the signing secret, else the encryption key, else the bot token', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', PUBLIC_URL: 'https://w.example' };
    const http = parseConfig({ ...base, SLACK_SIGNING_SECRET: 'sig' });
    const socket = parseConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1', ENCRYPTION_KEY: 'k'.repeat(32) });
    const bare = parseConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1' });
    if (!http.ok || !socket.ok || !bare.ok) throw new Error('fixture configs should parse');
    expect(dashboardKeySource(http.config)).toBe('sig');
    expect(dashboardKeySource(socket.config)).toBe('k'.repeat(32));
    expect(dashboardKeySource(bare.config)).toBe('xoxb-1');
    // The derived key is not the secret itself.
    expect(deriveDashboardKey('sig').toString('utf8')).not.toContain('sig');
  });

  it('serves only the fixed windows of 30, 90, 180 and 365 days (90 when none is asked for)', () => {
    expect(parseDays(null)).toBe(90);
    for (const d of [30, 90, 180, 365]) expect(parseDays(String(d))).toBe(d);
    for (const bad of ['1', '7', '8', '31', '364', '400', '9999', '-5', '', '30 ', '3e1'])
      expect(parseDays(bad), bad).toBeNull();
  });
});

describe('dashboard page', () => {
  const window = { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW };
  const evil = '<script>alert(1)</script> & "Ops"';
  const people = [
    ...['a', 'b', 'c'].map((id) => ({ id, department: evil, active: true })),
    ...['d', 'e', 'f'].map((id) => ({ id, department: 'Sales', active: true })),
  ];
  const meetings = [
    { members: ['a', 'd'], at: new Date(NOW.getTime() - 86_400_000) },
    { members: ['b', 'e'], at: new Date(NOW.getTime() - 86_400_000) },
  ];
  const matrix = buildConnectionMatrix({ people, meetings, gives: [], window });

  it('escapes department names everywhere and contains no script', () => {
    const html = renderDashboard(
      {
        workspaceName: 'Acme <b>',
        window,
        heatmap: buildHeatmap(matrix, { limit: 40 }),
        leastConnected: leastConnectedPairs(matrix, { count: 5 }),
        trend: [],
        rounds: [],
        gives: givesByKind([], window),
      },
      { days: 90, expiresAt: NOW },
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('Acme <b>');
    expect(html).toContain(escapeHtml(evil));
    expect(html).toContain('data-chart="heatmap"');
    expect(html).toContain('data-chart="gives"');
    expect(html).toContain('href="?days=30"');
  });

  it('draws one rect per heatmap cell and never a number for a hidden one', () => {
    const hidden = buildConnectionMatrix({ people, meetings: meetings.slice(0, 1), gives: [], window });
    const svg = heatmapSvg(buildHeatmap(hidden, { limit: 40 }));
    expect(svg.match(/<rect class="cell"/g)).toHaveLength(4);
    expect(svg.match(/data-status="hidden"/g)).toHaveLength(2);
    expect(svg).not.toMatch(/class="count/);
    expect(svg).toContain('fewer than 3 people, not shown');
  });
});

describe('chart scales', () => {
  it('rounds the axis maximum up to four even steps', () => {
    expect([1, 4, 5, 21, 40, 99, 1234].map(niceMax)).toEqual([4, 4, 8, 24, 40, 120, 1600]);
  });
});
