/**
 * The fake Slack's workspace state: users, conversations, messages, views, tokens, and the builders tests use
 * to shape it. Modules of the fake read and write these fields directly (they are internal to tests/support).
 */
import {
  createDefaultWorkspace,
  FAKE_BOT_TOKEN,
  type FakeBotSpec,
  type FakeChannelSpec,
  type FakeProfileFieldSpec,
  type FakeTeamSpec,
  type FakeUserSpec,
} from '../fake-workspace.ts';
import { grantedScopes } from './scopes.ts';
import type {
  CustomHandler,
  FakeFault,
  FakeMessage,
  FakeOAuthGrant,
  FakeRateLimit,
  FakeSlackCall,
  FakeSlackOptions,
  FakeSlackStats,
  FakeView,
  Leniency,
  MethodMatcher,
  ResponseUrlKind,
  SlackResult,
  TokenIdentity,
} from './types.ts';
import { conversationId, timeZoneInfo } from './util.ts';

export interface ChannelState {
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

export interface Waiter {
  matches: (call: FakeSlackCall) => boolean;
  count: number;
  found: FakeSlackCall[];
  resolve: (calls: FakeSlackCall[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface QueuedFault {
  fault: FakeFault;
  remaining: number;
}

export const FIXED_CREATED = 1_600_000_000;

export type Resolved<T> = { ok: true; value: T } | { ok: false; result: SlackResult };

export function methodMatches(matcher: MethodMatcher, method: string): boolean {
  return typeof matcher === 'string' ? matcher === '*' || matcher === method : matcher.test(method);
}
/** State and builders; `FakeSlack` (server.ts) adds the HTTP server and the Web API on top. */
export class FakeSlackState {
  /** Every recorded call, in completion order. */
  readonly calls: FakeSlackCall[] = [];
  readonly stats: FakeSlackStats = FakeSlackState.emptyStats();
  /** The bot token the app should be configured with. */
  readonly token: string;
  readonly team: FakeTeamSpec;
  readonly bot: FakeBotSpec;

  baseUrl = '';
  readonly opts: FakeSlackOptions;
  readonly users = new Map<string, FakeUserSpec>();
  readonly channels = new Map<string, ChannelState>();
  readonly profileFields: FakeProfileFieldSpec[];
  readonly messages = new Map<string, FakeMessage>();
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  readonly views = new Map<string, FakeView>();
  readonly homeViews = new Map<string, string>();
  readonly tokens = new Map<string, TokenIdentity>();
  readonly bots = new Map<string, { botId: string; userId: string; appId: string; name: string }>();
  readonly oauthCodes = new Map<string, FakeOAuthGrant>();
  readonly faults = new Map<string, QueuedFault[]>();
  readonly rateLimits = new Map<string, FakeRateLimit>();
  readonly windows = new Map<string, number[]>();
  readonly responseUrlUses = new Map<string, number>();
  readonly expiredResponseUrls = new Set<string>();
  readonly handlers = new Map<string, CustomHandler>();
  /** Issued trigger ids (by the signed-request helper or `fake.triggerId()`) → when issued; used ones removed. */
  readonly triggers = new Map<string, number>();
  readonly usedTriggers = new Set<string>();
  /** Response URLs minted by this fake → their kind and when minted. */
  readonly responseUrlInfo = new Map<string, { kind: ResponseUrlKind; at: number }>();
  readonly lenient: Set<Leniency>;
  waiters: Waiter[] = [];
  tsSeq = 0;
  idSeq = 0;

  constructor(opts: FakeSlackOptions = {}) {
    this.opts = opts;
    this.lenient = new Set(opts.lenient ?? []);
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

  static emptyStats(): FakeSlackStats {
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

  defaultIdentity(): TokenIdentity {
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
      scopes: this.opts.scopes ?? grantedScopes(),
    };
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

  userIds(): string[] {
    return [...this.users.keys()];
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
      scope: (this.opts.scopes ?? grantedScopes()).join(','),
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
      scopes: full.scope.split(',').filter((x) => x !== ''),
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

  /**
   * Opts the current test out of some strictness, by name (until `reset()`, which restores the options'
   * `lenient` list). Say why at the call site.
   */
  relax(...what: Leniency[]): void {
    for (const w of what) this.lenient.add(w);
  }

  /** Whether the test opted out of one kind of strictness. */
  isLenient(what: Leniency): boolean {
    return this.lenient.has(what);
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
}
