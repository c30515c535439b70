/**
 * What Slack's reference says about every Web API method and event Weave uses: the bot scopes each needs
 * (per conversation type where Slack splits them) and the rate tier. The contract test
 * (tests/unit/slack/contract.test.ts) ties this table to src/ and manifest.yml; the fake Slack enforces it.
 *
 * Sources: each method's page at https://docs.slack.dev/reference/methods/<method> ("Required scopes",
 * "Rate limits"), the OpenAPI description in slackapi/slack-api-specs (web-api/slack_web_openapi_v2.json,
 * `security.slackAuth`), and https://docs.slack.dev/apis/web-api/rate-limits for the tiers.
 */

/** Conversation types, as Slack tells them apart for scopes. */
export type ConversationKind = 'public' | 'private' | 'im' | 'mpim';

/** Slack's rate tiers: at least this many calls a minute per workspace and method. */
export const TIER_PER_MINUTE = { tier1: 1, tier2: 20, tier3: 50, tier4: 100 } as const;
export type RateTier = keyof typeof TIER_PER_MINUTE | 'special';

export interface MethodReference {
  /** The method's reference page. */
  doc: string;
  /** Bot scopes, all required; or one scope per conversation type. Empty: no scope needed. */
  scopes: string[] | Record<ConversationKind, string>;
  tier: RateTier;
  /** For 'special' tiers: what the page says, as the fake enforces it. */
  special?: { perMinute: number; per: 'channel' | 'method' };
}

const doc = (method: string) => `https://docs.slack.dev/reference/methods/${method}`;

const HISTORY: Record<ConversationKind, string> = {
  public: 'channels:history',
  private: 'groups:history',
  im: 'im:history',
  mpim: 'mpim:history',
};
const READ: Record<ConversationKind, string> = {
  public: 'channels:read',
  private: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
};
/** conversations.open: channels:manage, groups:write, im:write or mpim:write, by what is opened. */
const OPEN: Record<ConversationKind, string> = {
  public: 'channels:manage',
  private: 'groups:write',
  im: 'im:write',
  mpim: 'mpim:write',
};

export const METHODS: Record<string, MethodReference> = {
  // https://docs.slack.dev/reference/methods/auth.test — no scope; Special (generous), treated as Tier 4.
  'auth.test': {
    doc: doc('auth.test'),
    scopes: [],
    tier: 'special',
    special: { perMinute: 100, per: 'method' },
  },
  // https://docs.slack.dev/reference/methods/bots.info — users:read; Tier 3.
  'bots.info': { doc: doc('bots.info'), scopes: ['users:read'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/chat.getPermalink — no scope; Special (generous), treated as Tier 4.
  'chat.getPermalink': {
    doc: doc('chat.getPermalink'),
    scopes: [],
    tier: 'special',
    special: { perMinute: 100, per: 'method' },
  },
  // https://docs.slack.dev/reference/methods/chat.postEphemeral — chat:write; Tier 4.
  'chat.postEphemeral': { doc: doc('chat.postEphemeral'), scopes: ['chat:write'], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/chat.postMessage — chat:write; Special: 1 message a second per
  // channel (short bursts allowed), i.e. about 60 a minute per channel.
  'chat.postMessage': {
    doc: doc('chat.postMessage'),
    scopes: ['chat:write'],
    tier: 'special',
    special: { perMinute: 60, per: 'channel' },
  },
  // https://docs.slack.dev/reference/methods/chat.update — chat:write; Tier 3.
  'chat.update': { doc: doc('chat.update'), scopes: ['chat:write'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/chat.delete — chat:write; Tier 3.
  'chat.delete': { doc: doc('chat.delete'), scopes: ['chat:write'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/conversations.history — *:history by type; Tier 3, but 1 a minute
  // with limit ≤ 15 for commercially distributed apps outside the Marketplace.
  'conversations.history': { doc: doc('conversations.history'), scopes: HISTORY, tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/conversations.info — *:read by type; Tier 3.
  'conversations.info': { doc: doc('conversations.info'), scopes: READ, tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/conversations.join — channels:join (bot); Tier 3.
  'conversations.join': { doc: doc('conversations.join'), scopes: ['channels:join'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/conversations.members — *:read by type; Tier 4.
  'conversations.members': { doc: doc('conversations.members'), scopes: READ, tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/conversations.open — im:write / mpim:write …; Tier 3.
  'conversations.open': { doc: doc('conversations.open'), scopes: OPEN, tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/oauth.v2.access — no scope (client credentials); Tier 4.
  'oauth.v2.access': { doc: doc('oauth.v2.access'), scopes: [], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/apps.uninstall — no scope (client credentials); Tier 4.
  'apps.uninstall': { doc: doc('apps.uninstall'), scopes: [], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/reactions.add — reactions:write; Tier 3.
  'reactions.add': { doc: doc('reactions.add'), scopes: ['reactions:write'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/reactions.remove — reactions:write; Tier 2.
  'reactions.remove': { doc: doc('reactions.remove'), scopes: ['reactions:write'], tier: 'tier2' },
  // https://docs.slack.dev/reference/methods/team.info — team:read; Tier 3.
  'team.info': { doc: doc('team.info'), scopes: ['team:read'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/team.profile.get — users.profile:read; Tier 3.
  'team.profile.get': { doc: doc('team.profile.get'), scopes: ['users.profile:read'], tier: 'tier3' },
  // https://docs.slack.dev/reference/methods/usergroups.list — usergroups:read; Tier 2.
  'usergroups.list': { doc: doc('usergroups.list'), scopes: ['usergroups:read'], tier: 'tier2' },
  // https://docs.slack.dev/reference/methods/users.info — users:read; Tier 4.
  'users.info': { doc: doc('users.info'), scopes: ['users:read'], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/users.list — users:read; Tier 2; `team_id` required for org tokens.
  'users.list': { doc: doc('users.list'), scopes: ['users:read'], tier: 'tier2' },
  // https://docs.slack.dev/reference/methods/users.profile.get — users.profile:read; Tier 4.
  'users.profile.get': { doc: doc('users.profile.get'), scopes: ['users.profile:read'], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/views.open — no scope (needs a trigger_id); Tier 4.
  'views.open': { doc: doc('views.open'), scopes: [], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/views.publish — no scope; Tier 4.
  'views.publish': { doc: doc('views.publish'), scopes: [], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/views.push — no scope (needs a trigger_id); Tier 4.
  'views.push': { doc: doc('views.push'), scopes: [], tier: 'tier4' },
  // https://docs.slack.dev/reference/methods/views.update — no scope; Tier 4.
  'views.update': { doc: doc('views.update'), scopes: [], tier: 'tier4' },
};

/**
 * Methods Weave reaches without naming them in src/: Bolt's authorize (auth.test) and OAuth installer
 * (oauth.v2.access). The contract test adds them to what it finds in src/.
 */
export const IMPLICIT_METHODS = ['auth.test', 'oauth.v2.access'];

/**
 * Bot events and the scope each needs (https://docs.slack.dev/reference/events/<event>, "Required scopes").
 * `null`: no scope (app lifecycle events).
 */
export const EVENTS: Record<string, string[] | null> = {
  app_home_opened: null,
  app_uninstalled: null,
  tokens_revoked: null,
  // https://docs.slack.dev/reference/events/member_joined_channel — channels:read and groups:read.
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
  // https://docs.slack.dev/reference/events/message.channels and siblings.
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  'message.mpim': ['mpim:history'],
  // https://docs.slack.dev/reference/events/reaction_added
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  // https://docs.slack.dev/reference/events/team_join, user_change
  team_join: ['users:read'],
  user_change: ['users:read'],
  app_mention: ['app_mentions:read'],
};

/** Scopes a feature needs that no method or event lists, and why. */
export const FEATURE_SCOPES: Record<string, string> = {
  commands: 'slash commands (/intro, /give)',
  // https://docs.slack.dev/reference/scopes/users.read.email — users.list/users.info include profile.email
  // only with it; a department CSV names people by email.
  'users:read.email': 'department CSV rows that name people by email (/intro admin departments)',
};

/**
 * The conversation kinds Weave calls each per-kind method on (src/slack/gateway.ts), so the contract test
 * knows which of Slack's per-kind scopes are needed.
 */
export const WEAVE_CONVERSATION_KINDS: Record<string, ConversationKind[]> = {
  // postOnce looks for its own post in DMs and group DMs when an answer was lost; channel posts are read
  // through the message.channels/message.groups events' scopes anyway.
  'conversations.history': ['im', 'mpim'],
  // the program channel (public or private) of /intro admin; DMs/group DMs are never asked about.
  'conversations.info': ['public', 'private'],
  'conversations.members': ['public', 'private'],
  // DMs and group-DM intros.
  'conversations.open': ['im', 'mpim'],
};

/** The scope a method needs on a conversation kind (all of them for plain lists). */
export function scopesFor(method: string, kind?: ConversationKind): string[] {
  const ref = METHODS[method];
  if (!ref) return [];
  if (Array.isArray(ref.scopes)) return ref.scopes;
  return kind ? [ref.scopes[kind]] : [];
}
