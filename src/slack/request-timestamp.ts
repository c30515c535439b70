import type { IncomingHttpHeaders } from 'node:http';

/** How far a signed request's timestamp may be from now, either way (Slack's replay window). */
export const SIGNATURE_WINDOW_SEC = 5 * 60;

/**
 * True when `X-Slack-Request-Timestamp` lies more than five minutes in the future. Bolt 5.1 refuses stale
 * timestamps only; a request signed "in the future" would stay replayable for as long as it is ahead, so
 * it is refused like a stale one (401). Uses the wall clock, as Bolt's own staleness check does.
 */
export function isFutureSignedRequest(headers: IncomingHttpHeaders, nowMs = Date.now()): boolean {
  const raw = headers['x-slack-request-timestamp'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,12}$/.test(value.trim())) return false; // Bolt refuses these itself
  return Number(value.trim()) > Math.floor(nowMs / 1000) + SIGNATURE_WINDOW_SEC;
}
