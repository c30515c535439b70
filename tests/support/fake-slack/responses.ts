/**
 * Response URLs, as Slack serves them: valid 30 minutes and 5 uses; `replace_original`/`delete_original`
 * honoured only on an interaction's response URL (a slash command's posts a new message, so a stale
 * "Working on it…" stays); bodies checked as Block Kit messages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateMessageBody } from './block-kit.ts';
import { countRateLimited, takeFault } from './faults.ts';
import type { FakeSlackState } from './state.ts';
import type { CallArgs, FakeSlackCall, ResponseUrlKind } from './types.ts';
import { fail, isRecord, parseArgs, sendJson, sendText, sleep } from './util.ts';

/** Default response URL lifetime: 30 minutes. */
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** The id part of `…/response/<id>` (or the argument itself when it is already an id). */
export function responseUrlId(idOrUrl: string): string {
  const m = /\/response\/([^/?#]+)/.exec(idOrUrl);
  return m?.[1] ? decodeURIComponent(m[1]) : idOrUrl;
}

/** Mints a response URL of a kind served by this fake. */
export function mintResponseUrl(s: FakeSlackState, kind: ResponseUrlKind, id?: string): string {
  const rid = id ?? `R${String(++s.idSeq).padStart(6, '0')}`;
  if (!s.responseUrlInfo.has(rid)) s.responseUrlInfo.set(rid, { kind, at: Date.now() });
  return `${s.baseUrl}/response/${encodeURIComponent(rid)}`;
}

/** What a post does to the conversation: replaces the original, deletes it, or posts a new message. */
function effectOf(kind: ResponseUrlKind, payload: CallArgs): 'replaced' | 'deleted' | 'posted' {
  if (kind !== 'interaction') return 'posted';
  if (payload.delete_original === true || payload.delete_original === 'true') return 'deleted';
  if (payload.replace_original === true || payload.replace_original === 'true') return 'replaced';
  return 'posted';
}

export async function handleResponseUrl(
  s: FakeSlackState,
  record: (call: FakeSlackCall) => void,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: string,
): Promise<void> {
  const at = Date.now();
  s.stats.requests += 1;
  const id = responseUrlId(url.pathname);
  let payload: CallArgs = {};
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      payload = isRecord(parsed) ? parsed : { body: parsed };
    } catch {
      payload = parseArgs(raw, req.headers['content-type'] ?? '', new URLSearchParams());
    }
  }
  const fullUrl = `${s.baseUrl}${url.pathname}`;
  const args: CallArgs = { ...payload, url: fullUrl, responseUrlId: id };
  const base = { method: 'response_url', args, token: null, at };

  const fault = takeFault(s, 'response_url', args);
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.status !== undefined && fault.status !== 200) {
    const headers: Record<string, string> =
      fault.status === 429 ? { 'Retry-After': String(fault.retryAfterSec ?? 1) } : {};
    if (fault.status === 429) countRateLimited(s, 'response_url');
    const text =
      fault.body ?? (fault.status === 429 ? 'rate_limited' : `fake slack injected HTTP ${fault.status}`);
    sendText(res, fault.status, text, headers);
    record({
      ...base,
      status: fault.status,
      ok: false,
      error: `http_${fault.status}`,
      response: text,
      injected: 'fault',
    });
    return;
  }
  if (fault?.error) {
    const body = fail(fault.error, fault.extra);
    sendJson(res, 404, body);
    record({ ...base, status: 404, ok: false, error: fault.error, response: body, injected: 'fault' });
    return;
  }

  const info = s.responseUrlInfo.get(id);
  const ttl = s.opts.responseUrlTtlMs ?? RESPONSE_URL_TTL_MS;
  const tooOld = info !== undefined && !s.isLenient('responseUrls') && at - info.at > ttl;
  const used = s.responseUrlUses.get(id) ?? 0;
  const max = s.opts.responseUrlMaxUses ?? 5;
  const rejection =
    s.expiredResponseUrls.has(id) || tooOld ? 'expired_url' : used >= max ? 'used_url' : undefined;
  if (rejection) {
    s.stats.responseUrlRejected += 1;
    const body = fail(rejection);
    sendJson(res, 404, body);
    record({ ...base, status: 404, ok: false, error: rejection, response: body });
    return;
  }
  const invalid = s.isLenient('blocks') ? [] : validateMessageBody(payload);
  if (invalid.length > 0) {
    const body = { ...fail('invalid_blocks'), errors: invalid };
    sendJson(res, 400, body);
    record({ ...base, status: 400, ok: false, error: 'invalid_blocks', response: body });
    return;
  }
  s.responseUrlUses.set(id, used + 1);
  s.stats.responseUrlPosts += 1;
  const body = { ok: true };
  sendJson(res, 200, body);
  record({
    ...base,
    status: 200,
    ok: true,
    response: body,
    effect: effectOf(info?.kind ?? 'interaction', payload),
  });
}
