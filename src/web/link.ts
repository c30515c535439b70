// Dashboard access: a signed, single-use, 10-minute link from the App Home, exchanged on first use for a
// signed session cookie (HttpOnly, SameSite=Strict), after a 303 to a URL without the token.
//
// Link:    base64url("<workspaceId>:<userId>:<expiry unix s>:<nonce>") "." base64url(HMAC(key, "v2:link:" + payload))
// Session: base64url("<workspaceId>:<userId>:<expiry unix s>")         "." base64url(HMAC(key, "v2:session:" + payload))
// The purposes are part of what is signed, so a link is never accepted as a session or the other way round.
// The nonce of each opened link is stored until the link's expiry (DashboardLinkUse): a second use fails.
//
// Key: HKDF-SHA256 over one secret the deployment already has, in this order: the Slack signing secret
// (always set in HTTP mode and for OAuth installs), else ENCRYPTION_KEY, else the bot token (single
// workspace, Socket Mode), else the OAuth client secret. HKDF with its own label means the secret itself
// never signs anything here, and rotating that secret invalidates every outstanding link and session.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/config.ts';

/** How long a link from the App Home works (once): the Home is re-published each time it is opened. */
export const DASHBOARD_LINK_TTL_MS = 10 * 60_000;
/** How long the session cookie set by opening a link lasts (the admin check runs on every page anyway). */
export const DASHBOARD_SESSION_TTL_MS = 2 * 60 * 60_000;
/** The session cookie's name. */
export const SESSION_COOKIE = 'weave_dashboard';

export type LinkCheck =
  | { ok: true; workspaceId: string; userId: string; expiresAt: Date; nonce: string }
  | { ok: false; code: 'missing' | 'malformed' | 'bad_signature' | 'expired' };

export type SessionCheck =
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

type Purpose = 'link' | 'session' | 'calendar';
const mac = (key: Buffer, purpose: Purpose, payload: string) =>
  createHmac('sha256', key).update(`v2:${purpose}:${payload}`).digest();
const NONCE = /^[a-f0-9]{24}$/;

function sign(key: Buffer, purpose: Purpose, fields: string[]): string {
  const payload = fields.join(':');
  return `${Buffer.from(payload).toString('base64url')}.${mac(key, purpose, payload).toString('base64url')}`;
}

type Checked =
  | { ok: true; fields: string[]; expiresAt: Date }
  | { ok: false; code: 'missing' | 'malformed' | 'bad_signature' | 'expired' };

/** Well-formed, signed with `key` for `purpose` (constant-time comparison) and not expired at `now`. */
function check(
  key: Buffer,
  purpose: Purpose,
  token: string | null | undefined,
  now: Date,
  shape: RegExp,
): Checked {
  if (!token) return { ok: false, code: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 2 || token.length > 400) return { ok: false, code: 'malformed' };
  const [encoded, signature] = parts as [string, string];
  if (!B64URL.test(encoded) || !B64URL.test(signature)) return { ok: false, code: 'malformed' };
  const raw = Buffer.from(encoded, 'base64url');
  // Only the canonical encoding counts (base64 can hide changes in a last character's unused bits).
  if (raw.toString('base64url') !== encoded) return { ok: false, code: 'malformed' };
  const payload = raw.toString('utf8');
  const m = shape.exec(payload);
  if (!m) return { ok: false, code: 'malformed' };
  const expected = mac(key, purpose, payload);
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
  return { ok: true, fields: m.slice(1), expiresAt };
}

const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));

/** Signs a single-use dashboard link for one admin of one workspace, valid until `expiresAt`. */
export function signDashboardToken(
  key: Buffer,
  claims: { workspaceId: string; userId: string; expiresAt: Date; nonce?: string },
): string {
  if (!ID.test(claims.workspaceId) || !ID.test(claims.userId)) throw new Error('unexpected Slack id');
  const nonce = claims.nonce ?? randomBytes(12).toString('hex');
  if (!NONCE.test(nonce)) throw new Error('unexpected nonce');
  return sign(key, 'link', [claims.workspaceId, claims.userId, unix(claims.expiresAt), nonce]);
}

/** Checks a link token (signature, expiry); whether it was used already is the caller's to check. */
export function verifyDashboardToken(key: Buffer, token: string | null | undefined, now: Date): LinkCheck {
  const r = check(key, 'link', token, now, /^([A-Z0-9]{1,40}):([A-Z0-9]{1,40}):(\d{1,12}):([a-f0-9]{24})$/);
  if (!r.ok) return r;
  const [workspaceId, userId, , nonce] = r.fields as [string, string, string, string];
  return { ok: true, workspaceId, userId, expiresAt: r.expiresAt, nonce };
}

/** Signs the session cookie's value. */
export function signDashboardSession(
  key: Buffer,
  claims: { workspaceId: string; userId: string; expiresAt: Date },
): string {
  if (!ID.test(claims.workspaceId) || !ID.test(claims.userId)) throw new Error('unexpected Slack id');
  return sign(key, 'session', [claims.workspaceId, claims.userId, unix(claims.expiresAt)]);
}

/** Checks a session cookie's value. */
export function verifyDashboardSession(
  key: Buffer,
  value: string | null | undefined,
  now: Date,
): SessionCheck {
  const r = check(key, 'session', value, now, /^([A-Z0-9]{1,40}):([A-Z0-9]{1,40}):(\d{1,12})$/);
  if (!r.ok) return r;
  const [workspaceId, userId] = r.fields as [string, string];
  return { ok: true, workspaceId, userId, expiresAt: r.expiresAt };
}

/** The full dashboard URL for an admin, valid once and for DASHBOARD_LINK_TTL_MS from `now`. */
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

/** How long a meeting's calendar link works after the meeting starts. */
export const CALENDAR_LINK_TTL_AFTER_MS = 30 * 86_400_000;

export type CalendarCheck =
  | { ok: true; workspaceId: string; groupId: string }
  | { ok: false; code: 'missing' | 'malformed' | 'bad_signature' | 'expired' };

const GROUP_ID = /^[0-9a-f-]{36}$/;

/** Signs the link to a group's meeting `.ics` (no login: the signature is the permission), until `expiresAt`. */
export function signCalendarToken(
  key: Buffer,
  claims: { workspaceId: string; groupId: string; expiresAt: Date },
): string {
  if (!ID.test(claims.workspaceId) || !GROUP_ID.test(claims.groupId)) throw new Error('unexpected id');
  return sign(key, 'calendar', [claims.workspaceId, claims.groupId, unix(claims.expiresAt)]);
}

/** Checks a calendar link token (signature, expiry). */
export function verifyCalendarToken(key: Buffer, token: string | null | undefined, now: Date): CalendarCheck {
  const r = check(key, 'calendar', token, now, /^([A-Z0-9]{1,40}):([0-9a-f-]{36}):(\d{1,12})$/);
  if (!r.ok) return r;
  const [workspaceId, groupId] = r.fields as [string, string];
  return { ok: true, workspaceId, groupId };
}

/** The full `.ics` URL of a group's agreed meeting. */
export function calendarUrl(
  publicUrl: string,
  key: Buffer,
  meeting: { workspaceId: string; groupId: string; meetingAt: Date },
): string {
  const token = signCalendarToken(key, {
    workspaceId: meeting.workspaceId,
    groupId: meeting.groupId,
    expiresAt: new Date(meeting.meetingAt.getTime() + CALENDAR_LINK_TTL_AFTER_MS),
  });
  return `${publicUrl.replace(/\/$/, '')}/meetings/calendar.ics?t=${token}`;
}
