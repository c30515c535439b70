/**
 * Fake Slack Web API server for tests.
 *
 * A real `node:http` server on 127.0.0.1 that answers the Web API methods Weave uses with Slack-shaped JSON,
 * records every call, supports fault injection and rate limiting, and serves response_url endpoints.
 * Point the app (or a `WebClient`) at `fake.apiUrl` (`http://127.0.0.1:PORT/api/`).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDefaultWorkspace,
  FAKE_BOT_TOKEN,
  type FakeBotSpec,
  type FakeChannelSpec,
  type FakeProfileFieldSpec,
  type FakeTeamSpec,
  type FakeUserSpec,
  type FakeWorkspace,
} from './fake-workspace.ts';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

/** Decoded call arguments (form fields with JSON-encoded objects/arrays decoded). Loosely typed for test ergonomics. */
// biome-ignore lint/suspicious/noExplicitAny: recorded args are arbitrary JSON; `any` keeps test assertions terse
export type CallArgs = Record<string, any>;

/** A JSON object answered by the fake. */
export type SlackResult = Record<string, unknown>;

export interface FakeSlackCall {
  /** Web API method (e.g. 'chat.postMessage'), or 'response_url' for posts to a response URL. */
  method: string;
  /** Decoded arguments; `token` is removed (see `token`). For response_url calls: the JSON body plus `url` and `responseUrlId`. */
  args: CallArgs;
  /** Token from `Authorization: Bearer …` (or the `token` form field); null when absent. */
  token: string | null;
  /** Arrival time (ms since epoch). */
  at: number;
  /** HTTP status answered. */
  status: number;
  /** Whether the answer was a success (`ok: true`). */
  ok: boolean;
  /** Slack error code answered (`ok: false`), 'ratelimited' for 429s, `http_<status>` for injected HTTP errors. */
  error?: string;
  /** The JSON (or text) body answered. */
  response: unknown;
  /** Set when the answer came from `failNext` ('fault') or `setRateLimit` ('rate_limit'). */
  injected?: 'fault' | 'rate_limit';
}

/**
 * A one-shot fault for `failNext`. Combinations:
 * - `{ status: 429, retryAfterSec }` → HTTP 429 + `Retry-After` (default 1s), body `{ok:false,error:'ratelimited'}`
 * - `{ status: 500 }` (any non-200 status) → that status with a text body
 * - `{ error: 'channel_not_found', extra? }` → HTTP 200 `{ok:false,error,...extra}`
 * - `{ delayMs }` → delay, then the normal answer (can be combined with the above)
 */
export interface FakeFault {
  status?: number;
  retryAfterSec?: number;
  body?: string;
  error?: string;
  extra?: Record<string, unknown>;
  delayMs?: number;
  /** Carry out the call (e.g. store the message) and only then answer with the fault: a lost response. */
  afterProcessing?: boolean;
  /** Only consume this fault for calls whose args match. */
  when?: (args: CallArgs) => boolean;
}

export interface FakeRateLimit {
  /** Allowed calls per window (the window is 60s unless `windowMs` is given). */
  perMinute: number;
  /** 'method' (default): one bucket per method; 'channel': one bucket per method + `channel` arg. */
  scope?: 'method' | 'channel';
  /** Sliding-window length; default 60_000. Shorten it to make benchmarks fast. */
  windowMs?: number;
  /** Fixed Retry-After to answer; default: seconds until the oldest call leaves the window (min 1). */
  retryAfterSec?: number;
}

export interface FakeSlackStats {
  /** API + response_url requests received. */
  requests: number;
  /** 429s answered (from setRateLimit and from injected 429 faults). */
  rateLimited: number;
  rateLimitedByMethod: Record<string, number>;
  /** Faults consumed from failNext. */
  faultsInjected: number;
  /** Accepted posts to response URLs. */
  responseUrlPosts: number;
  /** Rejected posts to response URLs (used/expired). */
  responseUrlRejected: number;
  unknownMethods: number;
}

export interface FakeOAuthGrant {
  accessToken: string;
  teamId: string | null;
  teamName: string;
  enterpriseId: string | null;
  enterpriseName: string;
  isEnterpriseInstall: boolean;
  botUserId: string;
  botId: string;
  appId: string;
  /** The installing user. */
  authedUserId: string;
  authedUserToken?: string;
  scope: string;
  userScope?: string;
  refreshToken?: string;
  expiresIn?: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  user: string;
  bot_id: string;
  /** Set when updated with chat.update. */
  edited?: { user: string; ts: string };
  deleted: boolean;
}

export interface FakeView extends SlackResult {
  id: string;
  type: string;
  hash: string;
}

export type CustomHandler = (
  args: CallArgs,
  ctx: HandlerContext,
) => SlackResult | undefined | Promise<SlackResult | undefined>;

export interface HandlerContext {
  method: string;
  token: string | null;
  identity: TokenIdentity;
}

export interface TokenIdentity {
  teamId: string;
  teamName: string;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  userId: string;
  userName: string;
  botId: string;
  appId: string;
  revoked: boolean;
}

export interface FakeSlackOptions {
  /** Override parts of the default workspace (whole arrays replace the defaults). */
  workspace?: Partial<FakeWorkspace>;
  /** Include USLACKBOT (is_bot: false, as in real Slack) in the default directory. */
  includeSlackbot?: boolean;
  /** The bot token the app should use (default FAKE_BOT_TOKEN). */
  token?: string;
  /**
   * Token checks: `true` → token must be `fake.token` or one issued by an OAuth code; a string/array → those tokens
   * (plus the above). Missing → `not_authed`, unknown → `invalid_auth`. Revoked tokens always get `token_revoked`.
   */
  requireToken?: boolean | string | string[];
  /** First message ts seconds (default 1700000000); each message adds 100µs. */
  tsBase?: number;
  /** Real users.list omits custom profile fields; set true to include them anyway. */
  usersListIncludesFields?: boolean;
  /** Answer `not_in_channel` when posting to a channel the bot isn't a member of (default false, i.e. chat:write.public). */
  strictMembership?: boolean;
  /** Posts allowed per response URL (default 5, like Slack). */
  responseUrlMaxUses?: number;
  /** Error for conversations.open with a deactivated user (default 'account_inactive'; Slack docs also list 'user_disabled'). */
  deactivatedUserError?: string;
  /** When set, oauth.v2.access / apps.uninstall check these (`invalid_client_id` / `bad_client_secret`). */
  clientId?: string;
  clientSecret?: string;
  /** OAuth codes accepted by oauth.v2.access (single use). */
  oauthCodes?: Record<string, Partial<FakeOAuthGrant>>;
}

export interface WaitForOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Also match calls recorded before waitFor was called (default true). */
  includeExisting?: boolean;
}

export type MethodMatcher = string | RegExp;
export type CallPredicate = (args: CallArgs, call: FakeSlackCall) => boolean;

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

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

function decodeFormValue(key: string, value: string): unknown {
  if (PLAIN_STRING_KEYS.has(key)) return value;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function str(args: CallArgs, key: string): string | undefined {
  const v: unknown = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(args: CallArgs, key: string): boolean {
  const v: unknown = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

function int(args: CallArgs, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined || s === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

function fail(error: string, extra: Record<string, unknown> = {}): SlackResult {
  return { ok: false, error, ...extra };
}

function failWithMessages(error: string, messages: string[]): SlackResult {
  return { ok: false, error, response_metadata: { messages } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function shortHash(input: string, length = 10): string {
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

function normalizeName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
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

function encodeCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

function decodeCursor(kind: string, cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : undefined;
}

/** Slack-style page: `limit` (0/absent = everything, capped at 1000) and an opaque cursor of the next item's id. */
function paginate<T>(
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

// ---------------------------------------------------------------------------------------------------------------
// Block Kit validation (a few real limits that commonly bite)
// ---------------------------------------------------------------------------------------------------------------

function textOf(obj: unknown): string | undefined {
  return isRecord(obj) && typeof obj.text === 'string' ? obj.text : undefined;
}

function validateElement(el: unknown, ptr: string, out: string[], actionIds: Set<string>): void {
  if (!isRecord(el) || typeof el.type !== 'string') {
    out.push(`[ERROR] missing required field: type [json-pointer:${ptr}]`);
    return;
  }
  if (typeof el.action_id === 'string') {
    if (el.action_id.length > 255)
      out.push(`[ERROR] must be less than 256 characters [json-pointer:${ptr}/action_id]`);
    if (actionIds.has(el.action_id)) {
      out.push(`[ERROR] action_id must be unique within the block [json-pointer:${ptr}/action_id]`);
    }
    actionIds.add(el.action_id);
  }
  if (el.type === 'button') {
    const t = textOf(el.text);
    if (t === undefined) out.push(`[ERROR] missing required field: text [json-pointer:${ptr}/text]`);
    else if (t.length > 75)
      out.push(`[ERROR] must be less than 76 characters [json-pointer:${ptr}/text/text]`);
    if (typeof el.value === 'string' && el.value.length > 2000) {
      out.push(`[ERROR] must be less than 2001 characters [json-pointer:${ptr}/value]`);
    }
  }
}

/** Returns Slack-style `[ERROR] … [json-pointer:…]` messages; empty when valid. */
export function validateBlocks(
  blocks: unknown,
  surface: 'message' | 'modal' | 'home',
  base = '/blocks',
): string[] {
  const out: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${base}]`];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) out.push(`[ERROR] no more than ${max} items allowed [json-pointer:${base}]`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const ptr = `${base}/${i}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      out.push(`[ERROR] missing required field: type [json-pointer:${ptr}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255)
        out.push(`[ERROR] must be less than 256 characters [json-pointer:${ptr}/block_id]`);
      if (blockIds.has(block.block_id))
        out.push(`[ERROR] block_id must be unique [json-pointer:${ptr}/block_id]`);
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section': {
        const t = textOf(block.text);
        const fields = block.fields;
        if (t === undefined && !Array.isArray(fields)) {
          out.push(`[ERROR] must provide either text or fields [json-pointer:${ptr}]`);
        }
        if (t !== undefined && (t.length === 0 || t.length > 3000)) {
          out.push(`[ERROR] must be between 1 and 3000 characters [json-pointer:${ptr}/text/text]`);
        }
        if (Array.isArray(fields)) {
          if (fields.length > 10)
            out.push(`[ERROR] no more than 10 items allowed [json-pointer:${ptr}/fields]`);
          fields.forEach((f, j) => {
            if ((textOf(f)?.length ?? 0) > 2000) {
              out.push(`[ERROR] must be less than 2001 characters [json-pointer:${ptr}/fields/${j}/text]`);
            }
          });
        }
        if (block.accessory !== undefined)
          validateElement(block.accessory, `${ptr}/accessory`, out, actionIds);
        break;
      }
      case 'header': {
        const t = textOf(block.text);
        if (!isRecord(block.text) || block.text.type !== 'plain_text') {
          out.push(`[ERROR] must be a plain_text object [json-pointer:${ptr}/text]`);
        } else if (t === undefined || t.length > 150) {
          out.push(`[ERROR] must be less than 151 characters [json-pointer:${ptr}/text/text]`);
        }
        break;
      }
      case 'actions':
      case 'context': {
        const els = block.elements;
        const maxEls = block.type === 'actions' ? 25 : 10;
        if (!Array.isArray(els) || els.length === 0) {
          out.push(`[ERROR] missing required field: elements [json-pointer:${ptr}/elements]`);
        } else {
          if (els.length > maxEls)
            out.push(`[ERROR] no more than ${maxEls} items allowed [json-pointer:${ptr}/elements]`);
          if (block.type === 'actions') {
            els.forEach((el, j) => {
              validateElement(el, `${ptr}/elements/${j}`, out, actionIds);
            });
          }
        }
        break;
      }
      case 'input': {
        if (surface === 'message')
          out.push(`[ERROR] input blocks are not supported in messages [json-pointer:${ptr}]`);
        const label = textOf(block.label);
        if (label === undefined)
          out.push(`[ERROR] missing required field: label [json-pointer:${ptr}/label]`);
        else if (label.length > 2000)
          out.push(`[ERROR] must be less than 2001 characters [json-pointer:${ptr}/label/text]`);
        if (block.element === undefined)
          out.push(`[ERROR] missing required field: element [json-pointer:${ptr}/element]`);
        else validateElement(block.element, `${ptr}/element`, out, actionIds);
        break;
      }
      default:
        break;
    }
  });
  return out;
}

/** Validates a view payload for views.open/push/update/publish; returns Slack-style messages. */
export function validateView(view: unknown, expectedType?: 'home'): string[] {
  if (!isRecord(view)) return ['[ERROR] missing required field: view'];
  const out: string[] = [];
  const type = view.type;
  if (type !== 'modal' && type !== 'home')
    out.push('[ERROR] must be one of: modal, home [json-pointer:/view/type]');
  if (expectedType === 'home' && type !== 'home')
    out.push('[ERROR] views.publish requires a home view [json-pointer:/view/type]');
  if (type === 'modal') {
    for (const key of ['title', 'submit', 'close'] as const) {
      const t = textOf(view[key]);
      if (key === 'title' && t === undefined)
        out.push('[ERROR] missing required field: title [json-pointer:/view/title]');
      if (t !== undefined && t.length > 24) {
        out.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
      }
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      out.push(
        '[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]',
      );
    }
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    out.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    out.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  out.push(...validateBlocks(view.blocks ?? [], type === 'home' ? 'home' : 'modal', '/view/blocks'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------

interface ChannelState {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
  members: string[];
  isArchived: boolean;
  isGeneral: boolean;
  created: number;
  creator: string;
  topic: string;
  purpose: string;
  /** For IMs: the other user. */
  user?: string;
}

interface Waiter {
  matches: (call: FakeSlackCall) => boolean;
  count: number;
  found: FakeSlackCall[];
  resolve: (calls: FakeSlackCall[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface QueuedFault {
  fault: FakeFault;
  remaining: number;
}

const FIXED_CREATED = 1_600_000_000;

type Resolved<T> = { ok: true; value: T } | { ok: false; result: SlackResult };

function methodMatches(matcher: MethodMatcher, method: string): boolean {
  return typeof matcher === 'string' ? matcher === '*' || matcher === method : matcher.test(method);
}

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

export class FakeSlack {
  /** Every recorded call, in completion order. */
  readonly calls: FakeSlackCall[] = [];
  readonly stats: FakeSlackStats = FakeSlack.emptyStats();
  /** The bot token the app should be configured with. */
  readonly token: string;
  readonly team: FakeTeamSpec;
  readonly bot: FakeBotSpec;

  private server: Server | undefined;
  private baseUrl = '';
  private readonly opts: FakeSlackOptions;
  private readonly users = new Map<string, FakeUserSpec>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly profileFields: FakeProfileFieldSpec[];
  private readonly messages = new Map<string, FakeMessage>();
  private readonly reactions = new Map<string, Map<string, Set<string>>>();
  private readonly views = new Map<string, FakeView>();
  private readonly homeViews = new Map<string, string>();
  private readonly tokens = new Map<string, TokenIdentity>();
  private readonly bots = new Map<string, { botId: string; userId: string; appId: string; name: string }>();
  private readonly oauthCodes = new Map<string, FakeOAuthGrant>();
  private readonly faults = new Map<string, QueuedFault[]>();
  private readonly rateLimits = new Map<string, FakeRateLimit>();
  private readonly windows = new Map<string, number[]>();
  private readonly responseUrlUses = new Map<string, number>();
  private readonly expiredResponseUrls = new Set<string>();
  private readonly handlers = new Map<string, CustomHandler>();
  private waiters: Waiter[] = [];
  private tsSeq = 0;
  private idSeq = 0;

  constructor(opts: FakeSlackOptions = {}) {
    this.opts = opts;
    const ws = {
      ...createDefaultWorkspace({ includeSlackbot: opts.includeSlackbot ?? false }),
      ...opts.workspace,
    };
    this.team = { ...ws.team };
    this.bot = { ...ws.bot };
    this.profileFields = ws.profileFields.map((f) => ({ ...f }));
    this.token = opts.token ?? FAKE_BOT_TOKEN;
    this.bots.set(this.bot.botId, { ...this.bot });
    this.tokens.set(this.token, this.defaultIdentity());
    const required = opts.requireToken;
    for (const t of typeof required === 'string' ? [required] : Array.isArray(required) ? required : []) {
      this.tokens.set(t, this.defaultIdentity());
    }
    this.addUser(...ws.users);
    for (const ch of ws.channels) this.addChannel(ch);
    for (const [code, grant] of Object.entries(opts.oauthCodes ?? {})) this.addOAuthCode(code, grant);
  }

  private static emptyStats(): FakeSlackStats {
    return {
      requests: 0,
      rateLimited: 0,
      rateLimitedByMethod: {},
      faultsInjected: 0,
      responseUrlPosts: 0,
      responseUrlRejected: 0,
      unknownMethods: 0,
    };
  }

  private defaultIdentity(): TokenIdentity {
    return {
      teamId: this.team.id,
      teamName: this.team.name,
      enterpriseId: this.team.enterpriseId ?? null,
      isEnterpriseInstall: false,
      userId: this.bot.userId,
      userName: this.bot.name,
      botId: this.bot.botId,
      appId: this.bot.appId,
      revoked: false,
    };
  }

  // ----- lifecycle ---------------------------------------------------------------------------------------------

  /** Starts listening on 127.0.0.1 with a random port. Called by `startFakeSlack`. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake slack error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Lets a test take over HTTP upgrades (e.g. the Socket Mode WebSocket in fake-socket-mode.ts). */
  onUpgrade(listener: (req: IncomingMessage, socket: import('node:stream').Duplex) => void): void {
    this.server?.on('upgrade', listener);
  }

  /** Base URL without path, e.g. `http://127.0.0.1:53111`. */
  get url(): string {
    return this.baseUrl;
  }

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  /** What WebClient's `slackApiUrl` / SLACK_API_URL takes: `http://127.0.0.1:PORT/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Stops the server (dropping open connections) and rejects pending waitFor promises. */
  async close(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('fake slack closed'));
    }
    this.waiters = [];
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- workspace builders ------------------------------------------------------------------------------------

  /** Adds (or replaces) users. Validates the time zone. */
  addUser(...specs: FakeUserSpec[]): void {
    for (const spec of specs) {
      timeZoneInfo(spec.tz ?? 'America/Los_Angeles');
      this.users.set(spec.id, { ...spec });
      if (spec.isBot && spec.botId) {
        this.bots.set(spec.botId, {
          botId: spec.botId,
          userId: spec.id,
          appId: spec.appId ?? this.bot.appId,
          name: spec.name,
        });
      }
    }
  }

  /** Patches a user (e.g. `{ deleted: true }`, `{ department: 'Sales' }`). Throws for unknown ids. */
  updateUser(id: string, patch: Partial<FakeUserSpec>): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake slack: unknown user ${id}`);
    this.users.set(id, { ...user, ...patch, id });
  }

  removeUser(id: string): void {
    this.users.delete(id);
  }

  /** Adds (or replaces) a public/private channel. */
  addChannel(spec: FakeChannelSpec): void {
    this.channels.set(spec.id, {
      id: spec.id,
      name: spec.name,
      kind: spec.isPrivate ? 'private' : 'public',
      members: [...new Set(spec.members)],
      isArchived: spec.isArchived ?? false,
      isGeneral: spec.isGeneral ?? false,
      created: spec.created ?? FIXED_CREATED,
      creator: spec.creator ?? '',
      topic: spec.topic ?? '',
      purpose: spec.purpose ?? '',
    });
  }

  setChannelMembers(channelId: string, members: string[]): void {
    const ch = this.channels.get(channelId);
    if (!ch) throw new Error(`fake slack: unknown channel ${channelId}`);
    ch.members = [...new Set(members)];
  }

  /** Current member ids of any conversation (channel, DM, MPIM). */
  channelMembers(channelId: string): string[] {
    return [...(this.channels.get(channelId)?.members ?? [])];
  }

  /** Slack-shaped user object as users.info returns it. */
  getUser(id: string): SlackResult | undefined {
    const spec = this.users.get(id);
    return spec ? this.slackUser(spec, 'info') : undefined;
  }

  userIds(): string[] {
    return [...this.users.keys()];
  }

  /** Slack-shaped conversation object as conversations.info returns it. */
  getChannel(id: string): SlackResult | undefined {
    const ch = this.channels.get(id);
    return ch ? this.channelObject(ch, true) : undefined;
  }

  /** The id conversations.open answers for this set of users (bot excluded; order-insensitive). */
  conversationIdFor(userIds: string[]): string {
    return conversationId(
      this.team.id,
      userIds.filter((u) => u !== this.bot.userId),
    );
  }

  // ----- messages / views / reactions state --------------------------------------------------------------------

  /** Non-deleted messages posted via chat.postMessage (optionally in one conversation), oldest first. */
  messagesIn(channel?: string): FakeMessage[] {
    return [...this.messages.values()].filter(
      (m) => !m.deleted && (channel === undefined || m.channel === channel),
    );
  }

  getMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.get(`${channel}|${ts}`);
  }

  /** Reaction names the bot added to a message. */
  reactionsOn(channel: string, ts: string): string[] {
    return [...(this.reactions.get(`${channel}|${ts}`)?.get(this.bot.userId) ?? [])];
  }

  getView(id: string): FakeView | undefined {
    return this.views.get(id);
  }

  /** The App Home view last published for a user. */
  homeView(userId: string): FakeView | undefined {
    const id = this.homeViews.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  // ----- tokens / oauth ----------------------------------------------------------------------------------------

  /**
   * Registers an OAuth code for oauth.v2.access (single use) and its token's identity for auth.test.
   * Defaults describe an install of the fixture workspace with `fake.token`. Returns the full grant.
   */
  addOAuthCode(code: string, grant: Partial<FakeOAuthGrant> = {}): FakeOAuthGrant {
    const full: FakeOAuthGrant = {
      accessToken: this.token,
      teamId: this.team.id,
      teamName: this.team.name,
      enterpriseId: null,
      enterpriseName: '',
      isEnterpriseInstall: false,
      botUserId: this.bot.userId,
      botId: this.bot.botId,
      appId: this.bot.appId,
      authedUserId: [...this.users.values()].find((u) => u.isAdmin)?.id ?? 'U0INSTALLER',
      scope: 'chat:write,commands,users:read',
      ...grant,
    };
    this.oauthCodes.set(code, full);
    this.tokens.set(full.accessToken, {
      teamId: full.teamId ?? full.enterpriseId ?? '',
      teamName: full.teamName,
      enterpriseId: full.enterpriseId,
      isEnterpriseInstall: full.isEnterpriseInstall,
      userId: full.botUserId,
      userName: this.bot.name,
      botId: full.botId,
      appId: full.appId,
      revoked: false,
    });
    if (!this.bots.has(full.botId)) {
      this.bots.set(full.botId, {
        botId: full.botId,
        userId: full.botUserId,
        appId: full.appId,
        name: this.bot.name,
      });
    }
    return full;
  }

  /** Registers an extra valid token (for requireToken) with an identity for auth.test. */
  registerToken(token: string, identity: Partial<TokenIdentity> = {}): void {
    this.tokens.set(token, { ...this.defaultIdentity(), ...identity });
  }

  /** Makes every later call with this token answer `token_revoked` (apps.uninstall does this too). */
  revokeToken(token: string): void {
    const identity = this.tokens.get(token) ?? this.defaultIdentity();
    this.tokens.set(token, { ...identity, revoked: true });
  }

  // ----- custom handlers ---------------------------------------------------------------------------------------

  /** Overrides a method's answer; return undefined from the handler to fall through to the built-in behaviour. */
  setHandler(method: string, handler: CustomHandler | null): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  // ----- recording ---------------------------------------------------------------------------------------------

  callsTo(method: MethodMatcher, predicate?: CallPredicate): FakeSlackCall[] {
    return this.calls.filter((c) => methodMatches(method, c.method) && (!predicate || predicate(c.args, c)));
  }

  lastCall(method: MethodMatcher, predicate?: CallPredicate): FakeSlackCall | undefined {
    return this.callsTo(method, predicate).at(-1);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Clears calls, stats, queued faults, rate limits, response URL counters and custom handlers (not workspace state). */
  reset(): void {
    this.clearCalls();
    Object.assign(this.stats, FakeSlack.emptyStats());
    this.faults.clear();
    this.rateLimits.clear();
    this.windows.clear();
    this.responseUrlUses.clear();
    this.expiredResponseUrls.clear();
    this.handlers.clear();
  }

  /** Forgets every posted message (and the reactions on them): a clean message history between tests. */
  clearMessages(): void {
    this.messages.clear();
    this.reactions.clear();
  }

  /**
   * Resolves with the first call to `method` matching `predicate` (existing calls count unless
   * `includeExisting: false`). Rejects after `timeoutMs` (default 5000) with a list of what did arrive.
   */
  async waitFor(
    method: MethodMatcher,
    predicate?: CallPredicate,
    opts: WaitForOptions = {},
  ): Promise<FakeSlackCall> {
    const [call] = await this.waitForCount(method, 1, predicate, opts);
    return call as FakeSlackCall;
  }

  /** Resolves with the first `count` matching calls once that many have arrived. */
  waitForCount(
    method: MethodMatcher,
    count: number,
    predicate?: CallPredicate,
    opts: WaitForOptions = {},
  ): Promise<FakeSlackCall[]> {
    const matches = (c: FakeSlackCall) =>
      methodMatches(method, c.method) && (!predicate || predicate(c.args, c));
    const found = opts.includeExisting === false ? [] : this.calls.filter(matches).slice(0, count);
    if (found.length >= count) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise<FakeSlackCall[]>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        count,
        found,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const seen = this.calls.map((c) => `${c.method}${c.ok ? '' : `(${c.error})`}`).join(', ') || 'none';
          reject(
            new Error(
              `fake slack: timed out after ${timeoutMs}ms waiting for ${count}× ${String(method)} ` +
                `(matched ${waiter.found.length}); calls so far: ${seen}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private record(call: FakeSlackCall): void {
    this.calls.push(call);
    const done: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.matches(call)) {
        w.found.push(call);
        if (w.found.length >= w.count) done.push(w);
      }
    }
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => !done.includes(w));
    for (const w of done) {
      clearTimeout(w.timer);
      w.resolve(w.found);
    }
  }

  // ----- faults / rate limits ----------------------------------------------------------------------------------

  /** Queues a fault for the next `times` calls to `method` ('*' = any method, 'response_url' for response URLs). */
  failNext(method: string, fault: FakeFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(method, queue);
  }

  /** Drops queued faults (for one method or all). */
  clearFaults(method?: string): void {
    if (method) this.faults.delete(method);
    else this.faults.clear();
  }

  /** Enforces a sliding-window limit; excess calls get 429 + Retry-After. Pass null to remove. */
  setRateLimit(method: string, limit: FakeRateLimit | null): void {
    if (limit) this.rateLimits.set(method, limit);
    else this.rateLimits.delete(method);
    for (const key of [...this.windows.keys()]) if (key.startsWith(`${method}|`)) this.windows.delete(key);
  }

  private takeFault(method: string, args: CallArgs): FakeFault | undefined {
    for (const key of [method, '*']) {
      const queue = this.faults.get(key);
      if (!queue) continue;
      const idx = queue.findIndex((q) => !q.fault.when || q.fault.when(args));
      const entry = queue[idx];
      if (!entry) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) queue.splice(idx, 1);
      if (queue.length === 0) this.faults.delete(key);
      this.stats.faultsInjected += 1;
      return entry.fault;
    }
    return undefined;
  }

  /** Returns Retry-After seconds when the call exceeds its window, else records it and returns undefined. */
  private checkRateLimit(method: string, args: CallArgs): number | undefined {
    const limit = this.rateLimits.get(method);
    if (!limit) return undefined;
    const windowMs = limit.windowMs ?? 60_000;
    const key = `${method}|${limit.scope === 'channel' ? (str(args, 'channel') ?? '') : ''}`;
    const now = Date.now();
    const stamps = (this.windows.get(key) ?? []).filter((t) => t > now - windowMs);
    this.windows.set(key, stamps);
    if (stamps.length >= limit.perMinute) {
      const oldest = stamps[0] ?? now;
      return limit.retryAfterSec ?? Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    }
    stamps.push(now);
    return undefined;
  }

  private countRateLimited(method: string): void {
    this.stats.rateLimited += 1;
    this.stats.rateLimitedByMethod[method] = (this.stats.rateLimitedByMethod[method] ?? 0) + 1;
  }

  // ----- response URLs -----------------------------------------------------------------------------------------

  /** A response URL served by this fake: `http://127.0.0.1:PORT/response/<id>` (id generated when omitted). */
  responseUrl(id?: string): string {
    const rid = id ?? `R${String(++this.idSeq).padStart(6, '0')}`;
    return `${this.baseUrl}/response/${encodeURIComponent(rid)}`;
  }

  /** Accepted posts so far to a response URL (by id or full URL). */
  responseUrlUseCount(idOrUrl: string): number {
    return this.responseUrlUses.get(this.responseUrlId(idOrUrl)) ?? 0;
  }

  /** Posts to this response URL now answer 404 `expired_url`. */
  expireResponseUrl(idOrUrl: string): void {
    this.expiredResponseUrls.add(this.responseUrlId(idOrUrl));
  }

  /** Recorded posts to one response URL (by id or full URL). */
  responseUrlCalls(idOrUrl?: string): FakeSlackCall[] {
    const id = idOrUrl === undefined ? undefined : this.responseUrlId(idOrUrl);
    return this.callsTo('response_url', (a) => id === undefined || a.responseUrlId === id);
  }

  private responseUrlId(idOrUrl: string): string {
    const m = /\/response\/([^/?#]+)/.exec(idOrUrl);
    return m?.[1] ? decodeURIComponent(m[1]) : idOrUrl;
  }

  // ----- HTTP --------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) {
      await this.handleApi(req, res, url, raw, decodeURIComponent(url.pathname.slice('/api/'.length)));
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      await this.handleResponseUrl(req, res, url, raw);
    } else {
      sendText(res, 404, 'not found');
    }
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
    method: string,
  ): Promise<void> {
    const at = Date.now();
    this.stats.requests += 1;
    const args = parseArgs(raw, req.headers['content-type'] ?? '', url.searchParams);
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const token =
      bearer ?? (typeof args.token === 'string' && args.token !== '' ? (args.token as string) : null);
    delete args.token;
    const base = { method, args, token, at };

    const fault = this.takeFault(method, args);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.afterProcessing) await this.answer(method, args, token, req);
    if (fault?.status === 429) {
      const retryAfter = fault.retryAfterSec ?? 1;
      const body = { ok: false, error: 'ratelimited' };
      this.countRateLimited(method);
      sendJson(res, 429, body, { 'Retry-After': String(retryAfter) });
      this.record({
        ...base,
        status: 429,
        ok: false,
        error: 'ratelimited',
        response: body,
        injected: 'fault',
      });
      return;
    }
    if (fault?.status !== undefined && fault.status !== 200) {
      const text = fault.body ?? `fake slack injected HTTP ${fault.status}`;
      sendText(res, fault.status, text);
      this.record({
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
      sendJson(res, 200, body);
      this.record({ ...base, status: 200, ok: false, error: fault.error, response: body, injected: 'fault' });
      return;
    }

    const retryAfter = this.checkRateLimit(method, args);
    if (retryAfter !== undefined) {
      const body = { ok: false, error: 'ratelimited' };
      this.countRateLimited(method);
      sendJson(res, 429, body, { 'Retry-After': String(retryAfter) });
      this.record({
        ...base,
        status: 429,
        ok: false,
        error: 'ratelimited',
        response: body,
        injected: 'rate_limit',
      });
      return;
    }

    const body = await this.answer(method, args, token, req);
    sendJson(res, 200, body);
    const ok = body.ok === true;
    this.record({
      ...base,
      status: 200,
      ok,
      ...(ok ? {} : { error: String(body.error) }),
      response: body,
    });
  }

  private async answer(
    method: string,
    args: CallArgs,
    token: string | null,
    req: IncomingMessage,
  ): Promise<SlackResult> {
    const builtin = this.builtins[method];
    const custom = this.handlers.get(method);
    if (!builtin && !custom) {
      this.stats.unknownMethods += 1;
      return fail('unknown_method', { req_method: method });
    }
    if (method !== 'oauth.v2.access') {
      const authError = this.checkAuth(token);
      if (authError) return fail(authError);
    }
    const identity = (token ? this.tokens.get(token) : undefined) ?? this.defaultIdentity();
    const ctx: HandlerContext = { method, token, identity };
    if (custom) {
      const result = await custom(args, ctx);
      if (result !== undefined) return result;
    }
    if (!builtin) return fail('unknown_method', { req_method: method });
    if (method === 'oauth.v2.access' || method === 'apps.uninstall') {
      applyBasicAuth(args, req.headers.authorization);
    }
    return builtin(args, ctx);
  }

  private checkAuth(token: string | null): string | undefined {
    if (token && this.tokens.get(token)?.revoked) return 'token_revoked';
    if (!this.opts.requireToken) return undefined;
    if (!token) return 'not_authed';
    if (!this.tokens.has(token)) return 'invalid_auth';
    return undefined;
  }

  private async handleResponseUrl(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
  ): Promise<void> {
    const at = Date.now();
    this.stats.requests += 1;
    const id = this.responseUrlId(url.pathname);
    let payload: CallArgs = {};
    if (raw) {
      try {
        const parsed: unknown = JSON.parse(raw);
        payload = isRecord(parsed) ? parsed : { body: parsed };
      } catch {
        payload = parseArgs(raw, req.headers['content-type'] ?? '', new URLSearchParams());
      }
    }
    const fullUrl = `${this.baseUrl}${url.pathname}`;
    const args: CallArgs = { ...payload, url: fullUrl, responseUrlId: id };
    const base = { method: 'response_url', args, token: null, at };

    const fault = this.takeFault('response_url', args);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status !== undefined && fault.status !== 200) {
      const headers: Record<string, string> =
        fault.status === 429 ? { 'Retry-After': String(fault.retryAfterSec ?? 1) } : {};
      if (fault.status === 429) this.countRateLimited('response_url');
      const text =
        fault.body ?? (fault.status === 429 ? 'rate_limited' : `fake slack injected HTTP ${fault.status}`);
      sendText(res, fault.status, text, headers);
      this.record({
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
      this.record({ ...base, status: 404, ok: false, error: fault.error, response: body, injected: 'fault' });
      return;
    }

    const used = this.responseUrlUses.get(id) ?? 0;
    const max = this.opts.responseUrlMaxUses ?? 5;
    const rejection = this.expiredResponseUrls.has(id) ? 'expired_url' : used >= max ? 'used_url' : undefined;
    if (rejection) {
      this.stats.responseUrlRejected += 1;
      const body = fail(rejection);
      sendJson(res, 404, body);
      this.record({ ...base, status: 404, ok: false, error: rejection, response: body });
      return;
    }
    this.responseUrlUses.set(id, used + 1);
    this.stats.responseUrlPosts += 1;
    const body = { ok: true };
    sendJson(res, 200, body);
    this.record({ ...base, status: 200, ok: true, response: body });
  }

  // ----- Slack object shapes -----------------------------------------------------------------------------------

  private fieldsOf(spec: FakeUserSpec, withLabels: boolean): Record<string, Record<string, string>> {
    const values: Record<string, string> = { ...(spec.fields ?? {}) };
    const deptField = this.profileFields.find((f) => f.label === 'Department')?.id ?? 'Xf0DEPT';
    if (spec.department) values[deptField] = spec.department;
    const out: Record<string, Record<string, string>> = {};
    for (const [id, value] of Object.entries(values)) {
      if (value === '') continue;
      const label = this.profileFields.find((f) => f.id === id)?.label ?? id;
      out[id] = withLabels ? { value, alt: '', label } : { value, alt: '' };
    }
    return out;
  }

  private slackProfile(
    spec: FakeUserSpec,
    fieldsMode: 'none' | 'nullable' | 'object' | 'labels',
  ): SlackResult {
    const avatarHash = shortHash(spec.id, 12).toLowerCase();
    const img = (size: number) => `https://secure.gravatar.com/avatar/${avatarHash}.jpg?s=${size}&d=mp`;
    const [first = '', ...rest] = spec.realName.split(' ');
    const profile: SlackResult = {
      title: spec.title ?? '',
      phone: '',
      skype: '',
      real_name: spec.realName,
      real_name_normalized: normalizeName(spec.realName),
      display_name: spec.displayName ?? '',
      display_name_normalized: normalizeName(spec.displayName ?? ''),
      status_text: '',
      status_emoji: '',
      status_emoji_display_info: [],
      status_expiration: 0,
      avatar_hash: avatarHash,
      first_name: first,
      last_name: rest.join(' '),
      image_24: img(24),
      image_32: img(32),
      image_48: img(48),
      image_72: img(72),
      image_192: img(192),
      image_512: img(512),
      team: spec.teamId ?? this.team.id,
    };
    if (fieldsMode !== 'none') {
      const fields = this.fieldsOf(spec, fieldsMode === 'labels');
      profile.fields = fieldsMode === 'nullable' && Object.keys(fields).length === 0 ? null : fields;
    }
    if (spec.isBot) {
      profile.bot_id = spec.botId ?? '';
      profile.api_app_id = spec.appId ?? '';
      profile.always_active = true;
    } else {
      profile.email = spec.email ?? `${spec.name}@${this.team.emailDomain ?? `${this.team.domain}.example`}`;
    }
    return profile;
  }

  private slackUser(spec: FakeUserSpec, mode: 'list' | 'info', includeLocale = false): SlackResult {
    const tz = spec.tz ?? 'America/Los_Angeles';
    const tzInfo = timeZoneInfo(tz);
    const fieldsMode = mode === 'info' ? 'nullable' : this.opts.usersListIncludesFields ? 'object' : 'none';
    const user: SlackResult = {
      id: spec.id,
      team_id: spec.teamId ?? this.team.id,
      name: spec.name,
      deleted: spec.deleted ?? false,
      color: shortHash(spec.name, 6).toLowerCase(),
      real_name: spec.realName,
      tz,
      tz_label: tzInfo.label,
      tz_offset: spec.tzOffset ?? tzInfo.offset,
      profile: this.slackProfile(spec, fieldsMode),
      is_admin: spec.isAdmin ?? false,
      is_owner: spec.isOwner ?? false,
      is_primary_owner: spec.isPrimaryOwner ?? false,
      is_restricted: spec.isRestricted ?? false,
      is_ultra_restricted: spec.isUltraRestricted ?? false,
      is_bot: spec.isBot ?? false,
      is_app_user: spec.isAppUser ?? false,
      updated: FIXED_CREATED,
      is_email_confirmed: !spec.isBot,
      who_can_share_contact_card: 'EVERYONE',
    };
    if (includeLocale) user.locale = spec.locale ?? 'en-US';
    if (spec.deleted) {
      // Deactivated accounts come back without time zone or role flags.
      for (const key of [
        'tz',
        'tz_label',
        'tz_offset',
        'is_admin',
        'is_owner',
        'is_primary_owner',
        'is_restricted',
        'is_ultra_restricted',
      ]) {
        delete user[key];
      }
    }
    return user;
  }

  private channelObject(ch: ChannelState, includeNumMembers: boolean): SlackResult {
    const common = {
      id: ch.id,
      created: ch.created,
      is_archived: ch.isArchived,
      is_org_shared: false,
      context_team_id: this.team.id,
      updated: ch.created * 1000,
    };
    if (ch.kind === 'im') {
      return {
        ...common,
        is_im: true,
        user: ch.user ?? '',
        is_user_deleted: this.users.get(ch.user ?? '')?.deleted ?? false,
        priority: 0,
      };
    }
    const obj: SlackResult = {
      ...common,
      name: ch.name,
      is_channel: ch.kind === 'public',
      is_group: ch.kind === 'private',
      is_im: false,
      is_mpim: ch.kind === 'mpim',
      is_private: ch.kind !== 'public',
      is_general: ch.isGeneral,
      unlinked: 0,
      name_normalized: ch.name,
      is_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      parent_conversation: null,
      creator: ch.creator,
      is_ext_shared: false,
      shared_team_ids: [this.team.id],
      pending_connected_team_ids: [],
      is_member: ch.members.includes(this.bot.userId),
      topic: { value: ch.topic, creator: ch.topic ? ch.creator : '', last_set: ch.topic ? ch.created : 0 },
      purpose: {
        value: ch.purpose,
        creator: ch.purpose ? ch.creator : '',
        last_set: ch.purpose ? ch.created : 0,
      },
      previous_names: [],
    };
    if (includeNumMembers) obj.num_members = ch.members.length;
    return obj;
  }

  private nextTs(): string {
    this.tsSeq += 1;
    const micros = this.tsSeq * 100;
    const sec = (this.opts.tsBase ?? 1_700_000_000) + Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private messageObject(m: FakeMessage): SlackResult {
    return {
      type: 'message',
      text: m.text,
      user: m.user,
      bot_id: m.bot_id,
      app_id: this.bot.appId,
      ts: m.ts,
      team: this.team.id,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.attachments ? { attachments: m.attachments } : {}),
      ...(m.metadata ? { metadata: m.metadata } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.edited ? { edited: m.edited } : {}),
    };
  }

  /** Opens (or resumes) a DM / MPIM. */
  private openConversation(userIds: string[]): Resolved<{ channel: ChannelState; existed: boolean }> {
    const error = (code: string) => ({ ok: false as const, result: fail(code) });
    const users = [...new Set(userIds.map((u) => u.trim()).filter((u) => u !== ''))];
    if (users.length === 0) return error('users_list_not_supplied');
    if (users.length > 8) return error('too_many_users');
    for (const id of users) {
      const u = this.users.get(id);
      if (!u) return error('user_not_found');
      if (u.deleted) return error(this.opts.deactivatedUserError ?? 'account_inactive');
    }
    const others = users.filter((u) => u !== this.bot.userId);
    if (others.length === 0) return error('cannot_dm_bot');
    if (others.length === 1 && this.users.get(others[0] ?? '')?.isBot) return error('cannot_dm_bot');
    const id = this.conversationIdFor(others);
    const existing = this.channels.get(id);
    if (existing) return { ok: true, value: { channel: existing, existed: true } };
    const isIm = others.length === 1;
    const sorted = [...others].sort();
    const ch: ChannelState = {
      id,
      name: isIm ? (sorted[0] ?? '') : `mpdm-${sorted.map((u) => this.users.get(u)?.name ?? u).join('--')}-1`,
      kind: isIm ? 'im' : 'mpim',
      members: [...others, this.bot.userId],
      isArchived: false,
      isGeneral: false,
      created: FIXED_CREATED,
      creator: this.bot.userId,
      topic: '',
      purpose: '',
      ...(isIm ? { user: others[0] } : {}),
    };
    this.channels.set(id, ch);
    return { ok: true, value: { channel: ch, existed: false } };
  }

  /** Resolves a `channel` arg: conversation id, or a user id (→ that user's DM with the bot). */
  private resolveChannel(channelArg: string | undefined): Resolved<ChannelState> {
    const ch = channelArg ? this.channels.get(channelArg) : undefined;
    if (ch) return { ok: true, value: ch };
    if (channelArg && /^[UW]/.test(channelArg) && this.users.has(channelArg)) {
      const opened = this.openConversation([channelArg]);
      return opened.ok ? { ok: true, value: opened.value.channel } : opened;
    }
    return { ok: false, result: fail('channel_not_found') };
  }

  private checkMessageContent(args: CallArgs, requireContent: boolean): SlackResult | undefined {
    const text = str(args, 'text');
    if (text !== undefined && text.length > 40_000) return fail('msg_too_long');
    if (args.blocks !== undefined) {
      if (!Array.isArray(args.blocks))
        return failWithMessages('invalid_blocks_format', ['[ERROR] must be an array']);
      const messages = validateBlocks(args.blocks, 'message');
      if (messages.length > 0) return failWithMessages('invalid_blocks', messages);
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments))
      return fail('invalid_attachments');
    const hasContent =
      (text !== undefined && text !== '') ||
      (Array.isArray(args.blocks) && args.blocks.length > 0) ||
      (Array.isArray(args.attachments) && args.attachments.length > 0);
    if (requireContent && !hasContent) return fail('no_text');
    return undefined;
  }

  private storeView(view: CallArgs, id: string, rootId: string, previous: string | null): FakeView {
    const stored: FakeView = {
      id,
      team_id: this.team.id,
      type: String(view.type),
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${shortHash(`${id}|${++this.idSeq}`, 8).toLowerCase()}`,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: previous,
      root_view_id: rootId,
      app_id: this.bot.appId,
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      app_installed_team_id: this.team.id,
      bot_id: this.bot.botId,
    };
    this.views.set(id, stored);
    return stored;
  }

  private newViewId(): string {
    return `V0FAKE${String(++this.idSeq).padStart(5, '0')}`;
  }

  // ----- built-in methods --------------------------------------------------------------------------------------

  private readonly builtins: Record<string, (args: CallArgs, ctx: HandlerContext) => SlackResult> = {
    'auth.test': (_args, { identity }) => ({
      ok: true,
      url: `https://${identity.teamId === this.team.id ? this.team.domain : identity.teamId.toLowerCase()}.slack.com/`,
      team: identity.teamName,
      user: identity.userName,
      team_id: identity.teamId,
      user_id: identity.userId,
      bot_id: identity.botId,
      ...(identity.enterpriseId ? { enterprise_id: identity.enterpriseId } : {}),
      is_enterprise_install: identity.isEnterpriseInstall,
    }),

    'team.info': (args, { identity }) => {
      const teamId = str(args, 'team') ?? identity.teamId;
      if (teamId === this.team.id) {
        return {
          ok: true,
          team: {
            id: this.team.id,
            name: this.team.name,
            url: `https://${this.team.domain}.slack.com/`,
            domain: this.team.domain,
            email_domain: this.team.emailDomain ?? '',
            icon: {
              image_default: true,
              image_34: '',
              image_44: '',
              image_68: '',
              image_88: '',
              image_132: '',
            },
            avatar_base_url: 'https://ca.slack-edge.com/',
            is_verified: false,
            ...(this.team.enterpriseId
              ? { enterprise_id: this.team.enterpriseId, enterprise_name: this.team.enterpriseName ?? '' }
              : {}),
          },
        };
      }
      const known = [...this.tokens.values()].find((t) => t.teamId === teamId);
      if (!known) return fail('team_not_found');
      return {
        ok: true,
        team: {
          id: known.teamId,
          name: known.teamName,
          domain: known.teamId.toLowerCase(),
          email_domain: '',
        },
      };
    },

    'team.profile.get': () => ({
      ok: true,
      profile: {
        fields: this.profileFields.map((f, i) => ({
          id: f.id,
          ordering: f.ordering ?? i,
          label: f.label,
          hint: f.hint ?? '',
          type: f.type ?? 'text',
          possible_values: f.possibleValues ?? null,
          options: null,
          is_hidden: f.isHidden ?? false,
        })),
        sections: [],
      },
    }),

    'users.info': (args) => {
      const spec = this.users.get(str(args, 'user') ?? '');
      if (!spec) return fail('user_not_found');
      return { ok: true, user: this.slackUser(spec, 'info', bool(args, 'include_locale')) };
    },

    'users.list': (args) => {
      const all = [...this.users.values()];
      const page = paginate(all, (u) => u.id, 'user', args);
      if (!page.ok) return page.result;
      const includeLocale = bool(args, 'include_locale');
      return {
        ok: true,
        members: page.page.map((u) => this.slackUser(u, 'list', includeLocale)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata: { next_cursor: page.nextCursor },
      };
    },

    'users.profile.get': (args, { identity }) => {
      const spec = this.users.get(str(args, 'user') ?? identity.userId);
      if (!spec) return fail('user_not_found');
      return {
        ok: true,
        profile: this.slackProfile(spec, bool(args, 'include_labels') ? 'labels' : 'object'),
      };
    },

    'conversations.members': (args) => {
      const ch = this.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      const page = paginate(ch.members, (m) => m, 'member', args);
      if (!page.ok) return page.result;
      return { ok: true, members: page.page, response_metadata: { next_cursor: page.nextCursor } };
    },

    'conversations.info': (args) => {
      const ch = this.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      return { ok: true, channel: this.channelObject(ch, bool(args, 'include_num_members')) };
    },

    'conversations.open': (args) => {
      const channelArg = str(args, 'channel');
      let result: Resolved<{ channel: ChannelState; existed: boolean }>;
      if (channelArg && !str(args, 'users')) {
        const ch = this.channels.get(channelArg);
        if (!ch) return fail('channel_not_found');
        if (ch.kind !== 'im' && ch.kind !== 'mpim') return fail('method_not_supported_for_channel_type');
        result = { ok: true, value: { channel: ch, existed: true } };
      } else {
        const users = (str(args, 'users') ?? '').split(',');
        if (bool(args, 'prevent_creation')) {
          const existing = this.channels.get(this.conversationIdFor(users));
          if (!existing) return fail('channel_not_found');
        }
        result = this.openConversation(users);
      }
      if (!result.ok) return result.result;
      const { channel: ch, existed } = result.value;
      const channel = bool(args, 'return_im') ? this.channelObject(ch, false) : { id: ch.id };
      return { ok: true, ...(existed ? { no_op: true, already_open: true } : {}), channel };
    },

    'conversations.history': (args) => {
      const ch = this.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      const limit = Math.max(1, Math.min(1000, Number(str(args, 'limit') ?? 100) || 100));
      const withMetadata = bool(args, 'include_all_metadata');
      const messages = this.messagesIn(ch.id)
        .slice()
        .reverse()
        .slice(0, limit)
        .map((m) => {
          const obj = this.messageObject(m);
          if (!withMetadata) delete obj.metadata;
          else if (typeof obj.metadata === 'string') obj.metadata = JSON.parse(obj.metadata);
          return obj;
        });
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
    },

    'conversations.join': (args) => {
      const ch = this.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      if (ch.kind !== 'public') return fail('method_not_supported_for_channel_type');
      if (ch.isArchived) return fail('is_archived');
      if (ch.members.includes(this.bot.userId)) {
        return {
          ok: true,
          channel: this.channelObject(ch, false),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        };
      }
      ch.members.push(this.bot.userId);
      return { ok: true, channel: this.channelObject(ch, false) };
    },

    'chat.postMessage': (args) => {
      const resolved = this.resolveChannel(str(args, 'channel'));
      if (!resolved.ok) return resolved.result;
      const ch = resolved.value;
      if (ch.isArchived) return fail('is_archived');
      if (this.opts.strictMembership && !ch.members.includes(this.bot.userId)) return fail('not_in_channel');
      const invalid = this.checkMessageContent(args, true);
      if (invalid) return invalid;
      const ts = this.nextTs();
      const threadTs = str(args, 'thread_ts');
      const msg: FakeMessage = {
        channel: ch.id,
        ts,
        text: str(args, 'text') ?? '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        user: this.bot.userId,
        bot_id: this.bot.botId,
        deleted: false,
      };
      this.messages.set(`${ch.id}|${ts}`, msg);
      return { ok: true, channel: ch.id, ts, message: this.messageObject(msg) };
    },

    'chat.postEphemeral': (args) => {
      const resolved = this.resolveChannel(str(args, 'channel'));
      if (!resolved.ok) return resolved.result;
      const ch = resolved.value;
      const user = this.users.get(str(args, 'user') ?? '');
      if (!user) return fail('user_not_found');
      if (user.deleted) return fail('user_not_in_channel');
      if (!ch.members.includes(user.id)) return fail('user_not_in_channel');
      const invalid = this.checkMessageContent(args, true);
      if (invalid) return invalid;
      return { ok: true, message_ts: this.nextTs() };
    },

    'chat.update': (args) => {
      const channel = str(args, 'channel') ?? '';
      if (!this.channels.has(channel)) return fail('channel_not_found');
      const msg = this.messages.get(`${channel}|${str(args, 'ts') ?? ''}`);
      if (!msg || msg.deleted) return fail('message_not_found');
      const invalid = this.checkMessageContent(args, false);
      if (invalid) return invalid;
      if (str(args, 'text') === undefined && args.blocks === undefined && args.attachments === undefined) {
        return fail('no_text');
      }
      if (str(args, 'text') !== undefined) msg.text = str(args, 'text') ?? '';
      if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
      if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
      if (args.metadata !== undefined) msg.metadata = args.metadata;
      msg.edited = { user: this.bot.userId, ts: this.nextTs() };
      return { ok: true, channel, ts: msg.ts, text: msg.text, message: this.messageObject(msg) };
    },

    'chat.delete': (args) => {
      const channel = str(args, 'channel') ?? '';
      if (!this.channels.has(channel)) return fail('channel_not_found');
      const msg = this.messages.get(`${channel}|${str(args, 'ts') ?? ''}`);
      if (!msg || msg.deleted) return fail('message_not_found');
      msg.deleted = true;
      return { ok: true, channel, ts: msg.ts };
    },

    'chat.getPermalink': (args) => {
      const channel = str(args, 'channel') ?? '';
      const ts = str(args, 'message_ts') ?? '';
      if (!this.channels.has(channel)) return fail('channel_not_found');
      if (!/^\d+\.\d+$/.test(ts)) return fail('message_not_found');
      return {
        ok: true,
        channel,
        permalink: `https://${this.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },

    'reactions.add': (args) => this.react(args, 'add'),
    'reactions.remove': (args) => this.react(args, 'remove'),

    'views.open': (args) => {
      if (!str(args, 'trigger_id'))
        return failWithMessages('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
      const messages = validateView(args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const id = this.newViewId();
      return { ok: true, view: this.storeView(args.view as CallArgs, id, id, null) };
    },

    'views.push': (args) => {
      if (!str(args, 'trigger_id'))
        return failWithMessages('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
      const messages = validateView(args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const id = this.newViewId();
      return { ok: true, view: this.storeView(args.view as CallArgs, id, id, null) };
    },

    'views.update': (args) => {
      const viewId = str(args, 'view_id');
      const externalId = str(args, 'external_id');
      const existing = viewId
        ? this.views.get(viewId)
        : externalId
          ? [...this.views.values()].find((v) => v.external_id === externalId)
          : undefined;
      if (!viewId && !externalId)
        return failWithMessages('invalid_arguments', ['[ERROR] view_id or external_id required']);
      if (!existing) return fail('not_found');
      const hash = str(args, 'hash');
      if (hash && hash !== existing.hash) return fail('hash_conflict');
      const messages = validateView(args.view);
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const view = this.storeView(
        args.view as CallArgs,
        existing.id,
        String(existing.root_view_id),
        (existing.previous_view_id as string | null) ?? null,
      );
      return { ok: true, view };
    },

    'views.publish': (args) => {
      const userId = str(args, 'user_id') ?? '';
      const user = this.users.get(userId);
      if (!user) return fail('user_not_found');
      const messages = validateView(args.view, 'home');
      if (messages.length > 0) return failWithMessages('invalid_arguments', messages);
      const existingId = this.homeViews.get(userId);
      const hash = str(args, 'hash');
      if (hash && existingId && this.views.get(existingId)?.hash !== hash) return fail('hash_conflict');
      const id = existingId ?? this.newViewId();
      this.homeViews.set(userId, id);
      return { ok: true, view: this.storeView(args.view as CallArgs, id, id, null) };
    },

    'oauth.v2.access': (args) => {
      const clientId = str(args, 'client_id');
      const clientSecret = str(args, 'client_secret');
      if (!clientId) return fail('invalid_client_id');
      if (this.opts.clientId && clientId !== this.opts.clientId) return fail('invalid_client_id');
      if (this.opts.clientSecret && clientSecret !== this.opts.clientSecret) return fail('bad_client_secret');
      const code = str(args, 'code') ?? '';
      const grant = this.oauthCodes.get(code);
      if (!grant) return fail('invalid_code');
      this.oauthCodes.delete(code);
      return {
        ok: true,
        app_id: grant.appId,
        authed_user: {
          id: grant.authedUserId,
          ...(grant.authedUserToken
            ? { scope: grant.userScope ?? '', access_token: grant.authedUserToken, token_type: 'user' }
            : {}),
        },
        scope: grant.scope,
        token_type: 'bot',
        access_token: grant.accessToken,
        bot_user_id: grant.botUserId,
        team: grant.teamId ? { id: grant.teamId, name: grant.teamName } : null,
        enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseName } : null,
        is_enterprise_install: grant.isEnterpriseInstall,
        ...(grant.refreshToken
          ? { refresh_token: grant.refreshToken, expires_in: grant.expiresIn ?? 43_200 }
          : {}),
      };
    },

    'apps.uninstall': (args, { token }) => {
      if (this.opts.clientId && str(args, 'client_id') !== this.opts.clientId)
        return fail('invalid_client_id');
      if (this.opts.clientSecret && str(args, 'client_secret') !== this.opts.clientSecret) {
        return fail('bad_client_secret');
      }
      if (token) this.revokeToken(token);
      return { ok: true };
    },

    'bots.info': (args, { identity }) => {
      const botId = str(args, 'bot') ?? identity.botId;
      const bot = this.bots.get(botId);
      if (!bot) return fail('bot_not_found');
      return {
        ok: true,
        bot: {
          id: bot.botId,
          deleted: false,
          name: bot.name,
          updated: FIXED_CREATED,
          app_id: bot.appId,
          user_id: bot.userId,
          icons: {
            image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png',
            image_48: 'https://a.slack-edge.com/80588/img/plugins/app/bot_48.png',
            image_72: 'https://a.slack-edge.com/80588/img/plugins/app/service_72.png',
          },
        },
      };
    },
  };

  private react(args: CallArgs, op: 'add' | 'remove'): SlackResult {
    const channel = str(args, 'channel');
    const ts = str(args, 'timestamp');
    const name = str(args, 'name') ?? '';
    if (!channel || !ts) return fail('no_item_specified');
    if (!this.channels.has(channel)) return fail('channel_not_found');
    if (name === '' || name.includes(':') || /\s/.test(name)) return fail('invalid_name');
    const key = `${channel}|${ts}`;
    const byUser = this.reactions.get(key) ?? new Map<string, Set<string>>();
    this.reactions.set(key, byUser);
    const mine = byUser.get(this.bot.userId) ?? new Set<string>();
    byUser.set(this.bot.userId, mine);
    if (op === 'add') {
      if (mine.has(name)) return fail('already_reacted');
      mine.add(name);
    } else {
      if (!mine.has(name)) return fail('no_reaction');
      mine.delete(name);
    }
    return { ok: true };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP utilities
// ---------------------------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string, query: URLSearchParams): CallArgs {
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

function applyBasicAuth(args: CallArgs, header: string | undefined): void {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m?.[1]) return;
  const [id, ...secret] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  if (args.client_id === undefined && id) args.client_id = id;
  if (args.client_secret === undefined && secret.length > 0) args.client_secret = secret.join(':');
}

function sendJson(
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

function sendText(
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

/** Starts a fake Slack Web API server on 127.0.0.1 with a random port. Remember `await fake.close()`. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(opts);
  await fake.listen();
  return fake;
}
