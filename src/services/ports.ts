import type { WorkspaceSettings } from '../domain/settings.ts';
import type { NotificationInput, NotificationKind, PayloadOf } from './notifications.ts';

// Interfaces the use cases depend on. Slack and the database implement them (src/slack, src/persistence);
// tests may substitute them. Everything here speaks plain data.

/** Outcome of one Slack Web API call, classified for retry decisions. */
export type SlackResult<T> =
  | ({ ok: true } & T)
  | { ok: false; kind: 'rate_limited'; retryAfterMs: number; error: string }
  | {
      ok: false;
      kind: 'transient';
      error: string;
      /**
       * The request may have reached Slack and acted (timeout, connection dropped after sending, 5xx,
       * `internal_error`): a post may exist even though the answer was lost.
       */
      uncertain?: boolean;
    }
  | { ok: false; kind: 'permanent'; error: string };

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  title: string;
  tz: string;
  isBot: boolean;
  isDeleted: boolean;
  isGuest: boolean;
  isAdmin: boolean;
  /** Custom profile fields by field id → value. */
  fields: Record<string, string>;
  /** Lower-cased email address, when Slack shares it (users:read.email). */
  email?: string;
}

/** A Slack user group (usergroups.list with its members). */
export interface SlackUserGroup {
  id: string;
  name: string;
  handle: string;
  userIds: string[];
}

export interface ProfileField {
  id: string;
  label: string;
}

export interface MessageContent {
  text: string;
  blocks?: unknown[];
  /** Stored with the message so a resend after a crash can find it (exactly-once delivery). */
  promptId?: string;
}

/** The Slack Web API as Weave uses it, per workspace. */
export interface SlackGateway {
  /** auth.test: who the bot is in this workspace. */
  identity(
    workspaceId: string,
  ): Promise<SlackResult<{ botUserId: string; teamId: string; enterpriseId: string | null }>>;
  channelMembers(workspaceId: string, channelId: string): Promise<SlackResult<{ userIds: string[] }>>;
  users(workspaceId: string): Promise<SlackResult<{ users: SlackUser[] }>>;
  user(workspaceId: string, userId: string): Promise<SlackResult<{ user: SlackUser }>>;
  /** A user's custom profile fields (users.profile.get; users.info and users.list leave them out). */
  userFields(workspaceId: string, userId: string): Promise<SlackResult<{ fields: Record<string, string> }>>;
  profileFields(workspaceId: string): Promise<SlackResult<{ fields: ProfileField[] }>>;
  openConversation(workspaceId: string, userIds: string[]): Promise<SlackResult<{ channelId: string }>>;
  postMessage(
    workspaceId: string,
    channelId: string,
    content: MessageContent,
  ): Promise<SlackResult<{ ts: string }>>;
  /**
   * Finds the message Weave posted for `promptId` (by its metadata) among the channel's messages
   * since `oldest`; reads nothing else of the conversation.
   */
  findPromptMessage(
    workspaceId: string,
    channelId: string,
    promptId: string,
    oldest: Date,
  ): Promise<SlackResult<{ ts: string | null }>>;
  updateMessage(
    workspaceId: string,
    channelId: string,
    ts: string,
    content: MessageContent,
  ): Promise<SlackResult<object>>;
  postEphemeral(
    workspaceId: string,
    channelId: string,
    userId: string,
    content: MessageContent,
  ): Promise<SlackResult<object>>;
  addReaction(workspaceId: string, channelId: string, ts: string, name: string): Promise<SlackResult<object>>;
  permalink(workspaceId: string, channelId: string, ts: string): Promise<SlackResult<{ url: string }>>;
  /**
   * conversations.info: whether a channel is public (what was said there may be quoted elsewhere; a
   * channel made private keeps its `C` id) and whether Weave is a member.
   */
  channelInfo(
    workspaceId: string,
    channelId: string,
  ): Promise<SlackResult<{ isPublic: boolean; isMember: boolean }>>;
  /** conversations.join: the bot joins a public channel (to post there). */
  joinChannel(workspaceId: string, channelId: string): Promise<SlackResult<object>>;
  publishHome(workspaceId: string, userId: string, view: unknown): Promise<SlackResult<object>>;
  openView(workspaceId: string, triggerId: string, view: unknown): Promise<SlackResult<object>>;
  /** views.update: replaces an open modal (e.g. with a submission's result, after the ack). */
  updateView(workspaceId: string, viewId: string, view: unknown): Promise<SlackResult<object>>;
  postToResponseUrl(url: string, body: unknown): Promise<SlackResult<object>>;
  /** usergroups.list with members (usergroups:read): the workspace's user groups, disabled ones left out. */
  userGroups(workspaceId: string): Promise<SlackResult<{ groups: SlackUserGroup[] }>>;
}

/** The source of time for use cases and jobs; tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A prompt (outbox message) as a use case hands it to storage: whom and when, and the notification. */
export type PromptToSchedule = {
  workspaceId: string;
  /** Idempotency key, unique per workspace. */
  key: string;
  userId?: string | null;
  groupId?: string | null;
  dueAt: Date;
} & NotificationInput;

/** A planned round with everything it stores at once: its groups (ids chosen by the caller) and prompts. */
export interface NewRound {
  /** Chosen by the caller, so prompts can name the round before it is stored. */
  id: string;
  workspaceId: string;
  programId: string;
  periodKey: string;
  number: number;
  seed: number;
  stats: Record<string, unknown>;
  unmatched: string[];
  groups: Array<{ id: string; members: string[]; reasons: string[] }>;
  prompts: PromptToSchedule[];
}

/** Where rounds are stored: the whole round in one short transaction, or nothing. */
export interface RoundStore {
  /**
   * Stores a round, its groups, their members and its prompts in batches inside one transaction.
   * `exists` when the program already has a round for that period (unique program + period).
   */
  create(round: NewRound): Promise<'created' | 'exists'>;
}

/**
 * Slack's per-workspace, per-method rate limits kept where every replica sees them (the database), so
 * replicas together stay within what Slack allows one app in one workspace.
 */
export interface RateBudgetStore {
  /**
   * Reserves the next call: when it may start (at the earliest now, later when it would be more than
   * `limit` calls within a window), in the store's clock, with the store's now to wait from. The window
   * after the `limit`-th latest call is `windowMs` from its completion, or `inFlightWindowMs` from its start
   * while it is still in flight.
   */
  reserve(
    workspaceId: string,
    method: string,
    limit: number,
    windowMs: number,
    inFlightWindowMs: number,
  ): Promise<{ startMs: number; nowMs: number }>;
  /** The call reserved at `startMs` has completed: count it at its completion time (never earlier). */
  complete(workspaceId: string, method: string, startMs: number): Promise<void>;
  /** A 429's Retry-After: no call of this method in this workspace for `retryAfterMs`. */
  block(workspaceId: string, method: string, retryAfterMs: number): Promise<void>;
}

/**
 * Transactions as a port: `run(fn)` hands `fn` the service's repositories bound to one database
 * transaction; everything `fn` does through them commits together or not at all. A service asks for
 * `UnitOfWork<ItsRepository>`; src/persistence/unit-of-work.ts builds one from a repository factory.
 */
export interface UnitOfWork<R> {
  run<T>(fn: (repos: R) => Promise<T>): Promise<T>;
}

/**
 * Work one process does at a time among the replicas sharing a database (planning a due round): the
 * lock is held while `fn` runs and released when it ends or when the process holding it dies.
 */
export interface ExclusiveRunner {
  /** Runs `fn` holding `key`; `{ ran: false }` at once when another process holds it. */
  tryExclusive<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** A prompt as scheduled (the same key twice keeps the first). */
export type NewPrompt = PromptToSchedule;

/**
 * What an attempt tells the outbox row about its posts, so only a post whose outcome is genuinely
 * unknown makes the next attempt look in the conversation.
 */
export interface PostingJournal {
  /**
   * Before a post: stored durably, so a crash mid-post leaves it set. False when this claim no longer
   * holds the prompt (its lease ran out and another claim took it): then nothing may be posted.
   */
  begin(at: Date): Promise<boolean>;
  /** After a post Slack certainly did not make (refused, rate-limited, an error answer). */
  notPosted(): Promise<void>;
  /** After a post that was made, or may have been (lost answer): the mark stays until the prompt is sent. */
  mayHavePosted(): void;
}

/** A prompt claimed for delivery by one worker, as stored (its payload not parsed yet). */
export interface ClaimedPrompt {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  userId: string | null;
  groupId: string | null;
  payload: Record<string, unknown>;
  dueAt: Date;
  attempts: number;
  /**
   * When set, an earlier attempt sent a post whose outcome is unknown (its answer was lost, or the
   * process died meanwhile): the message may be in Slack, posted at or after this time.
   */
  postingSince: Date | null;
  /** Records posts in flight on the prompt (see `PostingJournal`). */
  posting: PostingJournal;
}

/** A claimed prompt whose payload parsed as its kind's notification: what the kind's handler gets. */
export type ClaimedNotification<K extends NotificationKind = NotificationKind> = K extends NotificationKind
  ? Omit<ClaimedPrompt, 'kind' | 'payload'> & { kind: K; payload: PayloadOf<K> }
  : never;

/** The outbox: stored messages with a due time, claimed by one worker at a time. */
export interface PromptQueue {
  /** Stores prompts; keys already present are left as they are (idempotent scheduling). */
  schedule(prompts: NewPrompt[]): Promise<number>;
  claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<ClaimedPrompt[]>;
  markSent(id: string, workerId: string, now: Date, result?: Record<string, unknown>): Promise<boolean>;
  retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void>;
  markFailed(id: string, workerId: string, error: string): Promise<void>;
  /** Cancels pending prompts of a group (e.g. "Not happening" ends every later ping). */
  cancelForGroup(workspaceId: string, groupId: string, kinds: NotificationKind[]): Promise<number>;
  countPending(workspaceId?: string): Promise<number>;
}

/** Workspaces (Slack teams) Weave has seen, and their settings. */
export interface WorkspaceStore {
  /** Creates the workspace row the first time a team is seen. */
  ensure(workspaceId: string, enterpriseId?: string | null): Promise<void>;
  listActive(): Promise<string[]>;
  /** The workspace's settings, defaults filled in. */
  settings(workspaceId: string): Promise<WorkspaceSettings>;
  updateSettings(workspaceId: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
  forgetCache(workspaceId: string): void;
}

export type InboxKind = 'event' | 'command' | 'action';

export interface NewInboxItem {
  workspaceId: string;
  /** Unique per workspace: Slack's event id, or a key derived from the request. */
  key: string;
  kind: InboxKind;
  body: Record<string, unknown>;
  receivedAt: Date;
}

export interface ClaimedInboxItem {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  body: Record<string, unknown>;
  attempts: number;
}

/** Slack inputs stored before they are acknowledged, claimed by one worker at a time. */
export interface InboxStore {
  /** One row; a key already stored (Slack's retry of an input) is left as it is. */
  store(item: NewInboxItem): Promise<'stored' | 'duplicate'>;
  claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<ClaimedInboxItem[]>;
  markSent(id: string, workerId: string, now: Date): Promise<boolean>;
  retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void>;
  markFailed(id: string, workerId: string, error: string): Promise<void>;
  /** Items stored and not yet processed, across workspaces (the back-pressure and /readyz figure). */
  backlog(): Promise<number>;
  /** Forgets processed and failed items older than `before`. */
  prune(before: Date): Promise<number>;
}
