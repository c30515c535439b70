import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import type { z } from 'zod';
import { boltLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { SlackGateway, SlackResult } from '../services/ports.ts';
import * as S from './gateway-schemas.ts';
import {
  describeIssues,
  fieldsOf,
  nextCursor,
  toProfileFields,
  toUser,
  toUserGroups,
} from './gateway-schemas.ts';
import { Pacer, PacerStoppedError, type RateGate } from './pacer.ts';

/** Slack errors worth retrying later: the request may succeed as is. */
const TRANSIENT_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'team_added_to_org',
]);

const PROMPT_EVENT_TYPE = 'weave_prompt';

/**
 * Platform errors after which Slack may have done part of the work: Slack's docs say of both "it's
 * possible some aspect of the operation succeeded before the error was raised".
 */
const MAYBE_DONE_ERRORS = new Set(['internal_error', 'fatal_error']);

/** Network errors raised before a request could be sent: Slack never saw it. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Messages per conversations.history page: Slack allows at most 15 to non-Marketplace distributed apps. */
export const HISTORY_PAGE_SIZE = 15;
/** Pages a lookup follows at most (a conversation with Weave rarely has more than a few new messages). */
const HISTORY_MAX_PAGES = 20;

/** A property of a thrown value, when it is an object (WebClient errors carry code, data, statusCode …). */
function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? Reflect.get(value, key) : undefined;
}
const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined);
const stringOr = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Whether a failed request (error and its causes) certainly never reached Slack. */
function neverSent(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth += 1) {
    const code = stringOr(field(e, 'code'));
    if (code && NOT_SENT_CODES.has(code)) return true;
    e = field(e, 'original') ?? field(e, 'cause');
  }
  return false;
}

/** Resolves the bot token for a workspace (single token, or the OAuth installation). */
export type TokenResolver = (workspaceId: string) => Promise<string | null>;

/** Classifies a WebClient error as rate-limited, transient or permanent. */
export function classifySlackError(error: unknown): Exclude<SlackResult<object>, { ok: true }> {
  const statusCode = numberOr(field(error, 'statusCode'));
  switch (field(error, 'code')) {
    case ErrorCode.RateLimitedError:
      return {
        ok: false,
        kind: 'rate_limited',
        retryAfterMs: Math.max(1, numberOr(field(error, 'retryAfter')) ?? 1) * 1000,
        error: 'ratelimited',
      };
    case ErrorCode.PlatformError: {
      const code = stringOr(field(field(error, 'data'), 'error')) ?? 'unknown_error';
      if (MAYBE_DONE_ERRORS.has(code)) return { ok: false, kind: 'transient', error: code, uncertain: true };
      return TRANSIENT_ERRORS.has(code)
        ? { ok: false, kind: 'transient', error: code }
        : { ok: false, kind: 'permanent', error: code };
    }
    case ErrorCode.HTTPError:
      // A 5xx or 408 may come from a proxy in front of a Slack that did act.
      return (statusCode ?? 500) >= 500 || statusCode === 408
        ? { ok: false, kind: 'transient', error: `http_${statusCode}`, uncertain: true }
        : { ok: false, kind: 'permanent', error: `http_${statusCode}` };
    default:
      // Network errors and timeouts. A refused connection never reached Slack; a timeout or a
      // connection dropped after sending may have, with the answer lost on the way back.
      return {
        ok: false,
        kind: 'transient',
        error: error instanceof Error ? error.message : 'request_failed',
        ...(neverSent(error) ? {} : { uncertain: true }),
      };
  }
}

/** The Slack Web API behind the SlackGateway port: paced, classified, never retrying on its own. */
export function createSlackGateway(opts: {
  tokenFor: TokenResolver;
  slackApiUrl?: string;
  log: Logger;
  pacer?: RateGate;
  /** Counts each call Slack answered (or failed to), by method and outcome. */
  metrics?: Pick<Metrics, 'slackCall'>;
}): SlackGateway {
  const pacer = opts.pacer ?? new Pacer();
  const clients = new Map<string, WebClient>();
  const clientOptions: WebClientOptions = {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    logger: boltLogger(opts.log),
  };

  async function client(workspaceId: string): Promise<WebClient | null> {
    const token = await opts.tokenFor(workspaceId);
    if (!token) return null;
    let c = clients.get(token);
    if (!c) {
      c = new WebClient(token, clientOptions);
      clients.set(token, c);
    }
    return c;
  }

  /**
   * One paced call: Slack's answer parsed by `schema` (one that fails it is a permanent
   * `invalid_response`), then mapped; errors classified.
   */
  async function call<Schema extends z.ZodType, T>(
    workspaceId: string,
    method: string,
    args: Record<string, unknown>,
    schema: Schema,
    map: (res: z.output<Schema>) => T,
    channel?: string,
  ): Promise<SlackResult<T>> {
    const c = await client(workspaceId);
    if (!c) return { ok: false, kind: 'permanent', error: 'not_installed' };
    let done: () => void | Promise<void>;
    try {
      done = await pacer.take(workspaceId, method, channel);
    } catch (error) {
      if (error instanceof PacerStoppedError) return { ok: false, kind: 'transient', error: 'shutting_down' };
      throw error;
    }
    try {
      const res = schema.safeParse(await c.apiCall(method, args));
      if (!res.success) {
        opts.metrics?.slackCall(method, 'permanent');
        opts.log.warn(
          { workspaceId, method, issues: describeIssues(res.error) },
          'slack response does not match its schema',
        );
        return { ok: false, kind: 'permanent', error: 'invalid_response' };
      }
      opts.metrics?.slackCall(method, 'ok');
      return { ok: true, ...map(res.data) };
    } catch (error) {
      const r = classifySlackError(error);
      opts.metrics?.slackCall(method, r.kind);
      if (r.kind === 'rate_limited') await pacer.block(workspaceId, method, r.retryAfterMs);
      opts.log.debug({ workspaceId, method, error: r.error, kind: r.kind }, 'slack call failed');
      return r;
    } finally {
      await done();
    }
  }

  async function paged<Schema extends z.ZodType, T>(
    workspaceId: string,
    method: string,
    args: Record<string, unknown>,
    schema: Schema,
    pick: (res: z.output<Schema>) => { items: T[]; next: string },
  ): Promise<SlackResult<{ items: T[] }>> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const r = await call(workspaceId, method, { ...args, ...(cursor ? { cursor } : {}) }, schema, pick);
      if (!r.ok) return r;
      items.push(...r.items);
      if (!r.next) break;
      cursor = r.next;
    }
    return { ok: true, items };
  }

  const content = (c: { text: string; blocks?: unknown[]; promptId?: string }) => ({
    text: c.text,
    ...(c.blocks ? { blocks: c.blocks } : {}),
    ...(c.promptId
      ? { metadata: { event_type: PROMPT_EVENT_TYPE, event_payload: { prompt_id: c.promptId } } }
      : {}),
  });

  const userFields = (workspaceId: string, userId: string) =>
    call(workspaceId, 'users.profile.get', { user: userId }, S.usersProfileGetResponse, (res) => ({
      fields: fieldsOf(res.profile),
    }));

  return {
    async identity(workspaceId) {
      return call(workspaceId, 'auth.test', {}, S.authTestResponse, (res) => ({
        botUserId: res.user_id,
        teamId: res.team_id,
        enterpriseId: res.enterprise_id ?? null,
      }));
    },
    async channelMembers(workspaceId, channelId) {
      const r = await paged(
        workspaceId,
        'conversations.members',
        { channel: channelId, limit: 1000 },
        S.conversationsMembersResponse,
        (res) => ({ items: res.members, next: nextCursor(res) }),
      );
      return r.ok ? { ok: true, userIds: r.items } : r;
    },
    async users(workspaceId) {
      // An org-wide (Enterprise Grid) token must say which workspace to list (`team_id`); a
      // workspace token may name its own. An org-level id (E…) has no one workspace to name.
      const team = /^T[A-Z0-9]+$/.test(workspaceId) ? { team_id: workspaceId } : {};
      const r = await paged(
        workspaceId,
        'users.list',
        { limit: 1000, ...team },
        S.usersListResponse,
        (res) => ({
          items: res.members.map(toUser),
          next: nextCursor(res),
        }),
      );
      return r.ok ? { ok: true, users: r.items } : r;
    },
    async user(workspaceId, userId) {
      const info = await call(workspaceId, 'users.info', { user: userId }, S.usersInfoResponse, (res) => ({
        user: toUser(res.user),
      }));
      if (!info.ok) return info;
      // users.info omits custom profile fields; users.profile.get has them.
      const profile = await userFields(workspaceId, userId);
      if (profile.ok) info.user.fields = profile.fields;
      return info;
    },
    userFields,
    async profileFields(workspaceId) {
      return call(workspaceId, 'team.profile.get', {}, S.teamProfileGetResponse, (res) => ({
        fields: toProfileFields(res),
      }));
    },
    async openConversation(workspaceId, userIds) {
      return call(
        workspaceId,
        'conversations.open',
        { users: userIds.join(',') },
        S.conversationsOpenResponse,
        (res) => ({ channelId: res.channel.id }),
      );
    },
    async postMessage(workspaceId, channelId, c) {
      return call(
        workspaceId,
        'chat.postMessage',
        { channel: channelId, ...content(c), unfurl_links: false, unfurl_media: false },
        S.chatPostMessageResponse,
        (res) => ({ ts: res.ts }),
        channelId,
      );
    },
    async findPromptMessage(workspaceId, channelId, promptId, oldest) {
      // Slack's ts is seconds since the epoch; newest first, only messages after `oldest`.
      const args = {
        channel: channelId,
        limit: HISTORY_PAGE_SIZE,
        oldest: (Math.max(0, oldest.getTime()) / 1000).toFixed(6),
        include_all_metadata: true,
      };
      let cursor = '';
      for (let page = 0; page < HISTORY_MAX_PAGES; page += 1) {
        const r = await call(
          workspaceId,
          'conversations.history',
          { ...args, ...(cursor ? { cursor } : {}) },
          S.conversationsHistoryResponse,
          (res) => {
            const found = res.messages.find(
              (m) =>
                m.metadata?.event_type === PROMPT_EVENT_TYPE &&
                m.metadata.event_payload?.prompt_id === promptId,
            );
            return { ts: found?.ts ?? null, next: res.has_more ? nextCursor(res) : '' };
          },
        );
        if (!r.ok) return r;
        if (r.ts || !r.next) return { ok: true, ts: r.ts };
        cursor = r.next;
      }
      return { ok: true, ts: null };
    },
    async updateMessage(workspaceId, channelId, ts, c) {
      return call(
        workspaceId,
        'chat.update',
        { channel: channelId, ts, ...content(c) },
        S.okResponse,
        () => ({}),
      );
    },
    async postEphemeral(workspaceId, channelId, userId, c) {
      return call(
        workspaceId,
        'chat.postEphemeral',
        { channel: channelId, user: userId, ...content(c) },
        S.okResponse,
        () => ({}),
      );
    },
    async addReaction(workspaceId, channelId, ts, name) {
      return call(
        workspaceId,
        'reactions.add',
        { channel: channelId, timestamp: ts, name },
        S.okResponse,
        () => ({}),
      );
    },
    async permalink(workspaceId, channelId, ts) {
      return call(
        workspaceId,
        'chat.getPermalink',
        { channel: channelId, message_ts: ts },
        S.chatGetPermalinkResponse,
        (res) => ({ url: res.permalink }),
      );
    },
    async channelInfo(workspaceId, channelId) {
      return call(
        workspaceId,
        'conversations.info',
        { channel: channelId },
        S.conversationsInfoResponse,
        ({ channel: c }) => ({
          isPublic: c.is_channel === true && !c.is_private && !c.is_im && !c.is_mpim,
          isMember: c.is_member === true,
        }),
      );
    },
    async joinChannel(workspaceId, channelId) {
      return call(workspaceId, 'conversations.join', { channel: channelId }, S.okResponse, () => ({}));
    },
    async publishHome(workspaceId, userId, view) {
      return call(workspaceId, 'views.publish', { user_id: userId, view }, S.okResponse, () => ({}));
    },
    async openView(workspaceId, triggerId, view) {
      return call(workspaceId, 'views.open', { trigger_id: triggerId, view }, S.okResponse, () => ({}));
    },
    async updateView(workspaceId, viewId, view) {
      return call(workspaceId, 'views.update', { view_id: viewId, view }, S.okResponse, () => ({}));
    },
    async postToResponseUrl(url, body) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.ok) return { ok: true };
        return res.status >= 500
          ? { ok: false, kind: 'transient', error: `http_${res.status}` }
          : { ok: false, kind: 'permanent', error: `http_${res.status}` };
      } catch (error) {
        return {
          ok: false,
          kind: 'transient',
          error: error instanceof Error ? error.message : 'request_failed',
        };
      }
    },
    async userGroups(workspaceId) {
      return call(
        workspaceId,
        'usergroups.list',
        { include_users: true, include_disabled: false },
        S.usergroupsListResponse,
        (res) => ({ groups: toUserGroups(res) }),
      );
    },
  };
}
