/** Public types of the fake Slack (see ../fake-slack.ts for the entry point). */
import type { FakeWorkspace } from '../fake-workspace.ts';

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
  /** For accepted response_url posts: what Slack did with the message (see responses.ts). */
  effect?: 'replaced' | 'deleted' | 'posted';
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

/** Built-in Web API handlers by method name. */
export type Builtins = Record<string, (args: CallArgs, ctx: HandlerContext) => SlackResult>;

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
  /** Bot scopes granted to this token (OAuth tokens: the grant's `scope`). */
  scopes?: string[];
}

/** A response URL from a slash command or from an interaction (block action, shortcut, view). */
export type ResponseUrlKind = 'command' | 'interaction';

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
  /** Posts allowed per response URL (default 5, like Slack). */
  responseUrlMaxUses?: number;
  /** Response URL lifetime (default 30 minutes, like Slack). */
  responseUrlTtlMs?: number;
  /** trigger_id lifetime (default 3 s, like Slack). */
  triggerTtlMs?: number;
  /** Error for conversations.open with a deactivated user (default 'account_inactive'; Slack docs also list 'user_disabled'). */
  deactivatedUserError?: string;
  /** When set, oauth.v2.access / apps.uninstall check these (`invalid_client_id` / `bad_client_secret`). */
  clientId?: string;
  clientSecret?: string;
  /** OAuth codes accepted by oauth.v2.access (single use). */
  oauthCodes?: Record<string, Partial<FakeOAuthGrant>>;
  /**
   * Strictness the test opts out of, by name (the fake is as strict as real Slack by default):
   * - 'scopes': no `missing_scope` checks;
   * - 'membership': chat.postMessage to a channel the bot is not in succeeds (as with chat:write.public);
   * - 'blocks': no Block Kit validation (messages, views, response-URL bodies);
   * - 'rateLimits': no default tier limits (limits set with `setRateLimit` still apply);
   * - 'triggers': trigger_ids never expire and may be reused;
   * - 'responseUrls': response URLs never expire (the use count still applies);
   * - 'orgUsersList': users.list without team_id on an org token answers as for a workspace token.
   */
  lenient?: Leniency[];
  /** Bot scopes granted to `fake.token` (default: oauth_config.scopes.bot of manifest.yml). */
  scopes?: string[];
  /** Multiplies every default rate-limit window (e.g. 0.01 → a 600 ms "minute"). Default 1. */
  rateWindowScale?: number;
  /** The commercially distributed, non-Marketplace limit on conversations.history: 1 a minute, limit ≤ 15. */
  distributedAppLimits?: boolean;
}

export type Leniency =
  | 'scopes'
  | 'membership'
  | 'blocks'
  | 'rateLimits'
  | 'triggers'
  | 'responseUrls'
  | 'orgUsersList';

export interface WaitForOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Also match calls recorded before waitFor was called (default true). */
  includeExisting?: boolean;
}

export type MethodMatcher = string | RegExp;
export type CallPredicate = (args: CallArgs, call: FakeSlackCall) => boolean;
