/** Small helpers shared by the fake Slack's modules: argument decoding, errors, ids, cursors, HTTP replies. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallArgs, SlackResult } from './types.ts';

/** Top-level form fields that stay strings even when they look like JSON. */
const PLAIN_STRING_KEYS = new Set([
  'text',
  'name',
  'value',
  'query',
  'private_metadata',
  'alt_text',
  'fallback',
  'title',
  'ts',
  'thread_ts',
  'code',
]);

export function decodeFormValue(key: string, value: string): unknown {
  if (PLAIN_STRING_KEYS.has(key)) return value;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function str(args: CallArgs, key: string): string | undefined {
  const v: unknown = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function bool(args: CallArgs, key: string): boolean {
  const v: unknown = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

export function int(args: CallArgs, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined || s === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

export function fail(error: string, extra: Record<string, unknown> = {}): SlackResult {
  return { ok: false, error, ...extra };
}

export function failWithMessages(error: string, messages: string[]): SlackResult {
  return { ok: false, error, response_metadata: { messages } };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function shortHash(input: string, length = 10): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length).toUpperCase();
}

/**
 * Deterministic DM/MPIM id for a set of human user ids (bot excluded): 'D' + hash for one user, 'G' + hash for
 * several. Same on every fake instance, so tests can predict it.
 */
export function conversationId(teamId: string, userIds: string[]): string {
  const users = [...new Set(userIds)].sort();
  return `${users.length === 1 ? 'D' : 'G'}${shortHash(`${teamId}|${users.join(',')}`)}`;
}

export function normalizeName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const tzCache = new Map<string, { offset: number; label: string }>();

/** Current UTC offset (seconds) and long label of an IANA zone, as Slack reports them. Throws on unknown zones. */
export function timeZoneInfo(tz: string, at = new Date()): { offset: number; label: string } {
  const key = `${tz}|${at.toISOString().slice(0, 10)}`;
  const cached = tzCache.get(key);
  if (cached) return cached;
  const part = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(part('longOffset'));
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
  const info = { offset, label: part('long') };
  tzCache.set(key, info);
  return info;
}

export function encodeCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

export function decodeCursor(kind: string, cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : undefined;
}

/** Slack-style page: `limit` (0/absent = everything, capped at 1000) and an opaque cursor of the next item's id. */
export function paginate<T>(
  items: T[],
  idOf: (item: T) => string,
  kind: string,
  args: CallArgs,
): { ok: true; page: T[]; nextCursor: string } | { ok: false; result: SlackResult } {
  const limitArg = int(args, 'limit') ?? 0;
  const limit = limitArg <= 0 ? 1000 : Math.min(limitArg, 1000);
  let start = 0;
  const cursor = str(args, 'cursor');
  if (cursor) {
    const id = decodeCursor(kind, cursor);
    start = id === undefined ? -1 : items.findIndex((item) => idOf(item) === id);
    if (start < 0) return { ok: false, result: fail('invalid_cursor') };
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return { ok: true, page, nextCursor: next === undefined ? '' : encodeCursor(kind, idOf(next)) };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export function parseArgs(raw: string, contentType: string, query: URLSearchParams): CallArgs {
  const args: CallArgs = {};
  for (const [k, v] of query) args[k] = decodeFormValue(k, v);
  if (!raw) return args;
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) Object.assign(args, parsed);
    } catch {
      // leave args as the query string only
    }
    return args;
  }
  if (contentType.includes('multipart/form-data')) return args;
  for (const [k, v] of new URLSearchParams(raw)) args[k] = decodeFormValue(k, v);
  return args;
}

export function applyBasicAuth(args: CallArgs, header: string | undefined): void {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m?.[1]) return;
  const [id, ...secret] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  if (args.client_id === undefined && id) args.client_id = id;
  if (args.client_secret === undefined && secret.length > 0) args.client_secret = secret.join(':');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
