// Signed, expiring dashboard links: the only way into the web dashboard.
//
// Token: base64url("<workspaceId>:<userId>:<expiry unix seconds>") "." base64url(HMAC-SHA256(key, "v1:" + payload)).
//
// Key: HKDF-SHA256 over one secret the deployment already has, in this order: the Slack signing secret
// (always set in HTTP mode and for OAuth installs), else ENCRYPTION_KEY, else the bot token (single
// workspace, Socket Mode), else the OAuth client secret. HKDF with its own label means the secret itself
// never signs anything here, and rotating that secret invalidates every outstanding link (they expire
// within hours anyway). No new setting to configure and no state to store.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/config.ts';

/** How long a link from the App Home stays valid (the Home is re-published each time it is opened). */
export const DASHBOARD_LINK_TTL_MS = 2 * 60 * 60_000;

export type LinkCheck =
  | { ok: true; workspaceId: string; userId: string; expiresAt: Date }
  | { ok: false; code: 'missing' | 'malformed' | 'bad_signature' | 'expired' };

const ID = /^[A-Z0-9]{1,40}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The secret the dashboard key is derived from (see the file comment for the order). */
export function dashboardKeySource(config: Config): string {
  const source =
    config.signingSecret ??
    config.encryptionKey ??
    (config.auth.kind === 'single' ? config.auth.botToken : config.auth.clientSecret);
  if (!source) throw new Error('no secret to sign dashboard links with (set SLACK_SIGNING_SECRET)');
  return source;
}

/** A 32-byte HMAC key derived from `secret` for dashboard links only. */
export function deriveDashboardKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'weave', 'weave/dashboard-link/v1', 32));
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`v1:${payload}`).digest();

/** Signs a dashboard link for one admin of one workspace, valid until `expiresAt`. */
export function signDashboardToken(
  key: Buffer,
  claims: { workspaceId: string; userId: string; expiresAt: Date },
): string {
  if (!ID.test(claims.workspaceId) || !ID.test(claims.userId)) throw new Error('unexpected Slack id');
  const payload = `${claims.workspaceId}:${claims.userId}:${Math.floor(claims.expiresAt.getTime() / 1000)}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, payload).toString('base64url')}`;
}

/** Checks a token: well-formed, signed with `key` (constant-time comparison) and not expired at `now`. */
export function verifyDashboardToken(key: Buffer, token: string | null | undefined, now: Date): LinkCheck {
  if (!token) return { ok: false, code: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 2 || token.length > 400) return { ok: false, code: 'malformed' };
  const [encoded, signature] = parts as [string, string];
  if (!B64URL.test(encoded) || !B64URL.test(signature)) return { ok: false, code: 'malformed' };
  const raw = Buffer.from(encoded, 'base64url');
  // Only the canonical encoding counts (base64 can hide changes in a last character's unused bits).
  if (raw.toString('base64url') !== encoded) return { ok: false, code: 'malformed' };
  const payload = raw.toString('utf8');
  const m = /^([A-Z0-9]{1,40}):([A-Z0-9]{1,40}):(\d{1,12})$/.exec(payload);
  if (!m) return { ok: false, code: 'malformed' };
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (
    given.toString('base64url') !== signature ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    return { ok: false, code: 'bad_signature' };
  }
  const expiresAt = new Date(Number(m[3]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, code: 'expired' };
  return { ok: true, workspaceId: m[1]!, userId: m[2]!, expiresAt };
}

/** The full dashboard URL for an admin, valid for DASHBOARD_LINK_TTL_MS from `now`. */
export function dashboardUrl(
  publicUrl: string,
  key: Buffer,
  who: { workspaceId: string; userId: string },
  now: Date,
): string {
  const token = signDashboardToken(key, {
    ...who,
    expiresAt: new Date(now.getTime() + DASHBOARD_LINK_TTL_MS),
  });
  return `${publicUrl.replace(/\/$/, '')}/dashboard?t=${token}`;
}
