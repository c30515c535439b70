import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { boltLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type {
  ProfileField,
  SlackGateway,
  SlackResult,
  SlackUser,
  SlackUserGroup,
} from '../services/ports.ts';
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

/** Whether a failed request (error and its causes) certainly never reached Slack. */
function neverSent(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    e = (e as { original?: unknown; cause?: unknown }).original ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Resolves the bot token for a workspace (single token, or the OAuth installation). */
export type TokenResolver = (workspaceId: string) => Promise<string | null>;

/** Classifies a WebClient error as rate-limited, transient or permanent. */
export function classifySlackError(error: unknown): Exclude<SlackResult<object>, { ok: true }> {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return {
        ok: false,
        kind: 'rate_limited',
        retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000,
        error: 'ratelimited',
      };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (MAYBE_DONE_ERRORS.has(code)) return { ok: false, kind: 'transient', error: code, uncertain: true };
      return TRANSIENT_ERRORS.has(code)
        ? { ok: false, kind: 'transient', error: code }
        : { ok: false, kind: 'permanent', error: code };
    }
    case ErrorCode.HTTPError:
      // A 5xx or 408 may come from a proxy in front of a Slack that did act.
      return (e.statusCode ?? 500) >= 500 || e.statusCode === 408
        ? { ok: false, kind: 'transient', error: `http_${e.statusCode}`, uncertain: true }
        : { ok: false, kind: 'permanent', error: `http_${e.statusCode}` };
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

/** Maps a Slack user object (users.info, users.list, user_change) to Weave's SlackUser. */
export function toUser(raw: Record<string, unknown>): SlackUser {
  const profile = (raw.profile ?? {}) as Record<string, unknown>;
  const rawFields = (profile.fields ?? {}) as Record<string, { value?: string } | null>;
  const fields: Record<string, string> = {};
  for (const [id, f] of Object.entries(rawFields ?? {})) if (f?.value) fields[id] = f.value;
  return {
    id: String(raw.id),
    name: String(profile.display_name || raw.name || ''),
    realName: String(profile.real_name || raw.real_name || raw.name || ''),
    title: String(profile.title ?? ''),
    tz: String(raw.tz ?? 'UTC'),
    isBot: Boolean(raw.is_bot) || raw.id === 'USLACKBOT',
    isDeleted: Boolean(raw.deleted),
    isGuest: Boolean(raw.is_restricted) || Boolean(raw.is_ultra_restricted),
    isAdmin: Boolean(raw.is_admin) || Boolean(raw.is_owner) || Boolean(raw.is_primary_owner),
    fields,
    ...(typeof profile.email === 'string' && profile.email ? { email: profile.email.toLowerCase() } : {}),
  };
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

  async function call<T>(
    workspaceId: string,
    method: string,
    args: Record<string, unknown>,
    map: (res: Record<string, unknown>) => T,
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
      const res = (await c.apiCall(method, args)) as unknown as Record<string, unknown>;
      opts.metrics?.slackCall(method, 'ok');
      return { ok: true, ...map(res) };
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

  async function paged<T>(
    workspaceId: string,
    method: string,
    args: Record<string, unknown>,
    pick: (res: Record<string, unknown>) => T[],
  ): Promise<SlackResult<{ items: T[] }>> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const r = await call(workspaceId, method, { ...args, ...(cursor ? { cursor } : {}) }, (res) => ({
        items: pick(res),
        next: ((res.response_metadata as { next_cursor?: string } | undefined)?.next_cursor ?? '') as string,
      }));
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
    call(workspaceId, 'users.profile.get', { user: userId }, (res) => ({
      fields: toUser({ id: userId, profile: res.profile ?? {} }).fields,
    }));

  return {
    async identity(workspaceId) {
      return call(workspaceId, 'auth.test', {}, (res) => ({
        botUserId: String(res.user_id ?? ''),
        teamId: String(res.team_id ?? ''),
        enterpriseId: typeof res.enterprise_id === 'string' ? res.enterprise_id : null,
      }));
    },
    async channelMembers(workspaceId, channelId) {
      const r = await paged(
        workspaceId,
        'conversations.members',
        { channel: channelId, limit: 1000 },
        (res) => (res.members as string[] | undefined) ?? [],
      );
      return r.ok ? { ok: true, userIds: r.items } : r;
    },
    async users(workspaceId) {
      // An org-wide (Enterprise Grid) token must say which workspace to list (`team_id`); a
      // workspace token may name its own. An org-level id (E…) has no one workspace to name.
      const team = /^T[A-Z0-9]+$/.test(workspaceId) ? { team_id: workspaceId } : {};
      const r = await paged(workspaceId, 'users.list', { limit: 1000, ...team }, (res) =>
        ((res.members as Record<string, unknown>[] | undefined) ?? []).map(toUser),
      );
      return r.ok ? { ok: true, users: r.items } : r;
    },
    async user(workspaceId, userId) {
      const info = await call(workspaceId, 'users.info', { user: userId }, (res) => ({
        user: toUser(res.user as Record<string, unknown>),
      }));
      if (!info.ok) return info;
      // users.info omits custom profile fields; users.profile.get has them.
      const profile = await userFields(workspaceId, userId);
      if (profile.ok) info.user.fields = profile.fields;
      return info;
    },
    userFields,
    async profileFields(workspaceId) {
      return call(workspaceId, 'team.profile.get', {}, (res) => {
        const fields = (
          (res.profile as { fields?: Array<{ id: string; label: string }> } | undefined)?.fields ?? []
        ).map((f): ProfileField => ({ id: f.id, label: f.label }));
        return { fields };
      });
    },
    async openConversation(workspaceId, userIds) {
      return call(workspaceId, 'conversations.open', { users: userIds.join(',') }, (res) => ({
        channelId: String((res.channel as { id: string }).id),
      }));
    },
    async postMessage(workspaceId, channelId, c) {
      return call(
        workspaceId,
        'chat.postMessage',
        { channel: channelId, ...content(c), unfurl_links: false, unfurl_media: false },
        (res) => ({ ts: String(res.ts) }),
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
          (res) => {
            const messages =
              (res.messages as Array<{
                ts: string;
                metadata?: { event_type?: string; event_payload?: { prompt_id?: string } };
              }>) ?? [];
            const found = messages.find(
              (m) =>
                m.metadata?.event_type === PROMPT_EVENT_TYPE &&
                m.metadata.event_payload?.prompt_id === promptId,
            );
            const next = (res.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
            return { ts: found?.ts ?? null, next: res.has_more === true && next ? next : '' };
          },
        );
        if (!r.ok) return r;
        if (r.ts || !r.next) return { ok: true, ts: r.ts };
        cursor = r.next;
      }
      return { ok: true, ts: null };
    },
    async updateMessage(workspaceId, channelId, ts, c) {
      return call(workspaceId, 'chat.update', { channel: channelId, ts, ...content(c) }, () => ({}));
    },
    async postEphemeral(workspaceId, channelId, userId, c) {
      return call(
        workspaceId,
        'chat.postEphemeral',
        { channel: channelId, user: userId, ...content(c) },
        () => ({}),
      );
    },
    async addReaction(workspaceId, channelId, ts, name) {
      return call(workspaceId, 'reactions.add', { channel: channelId, timestamp: ts, name }, () => ({}));
    },
    async permalink(workspaceId, channelId, ts) {
      return call(workspaceId, 'chat.getPermalink', { channel: channelId, message_ts: ts }, (res) => ({
        url: String(res.permalink ?? ''),
      }));
    },
    async channelInfo(workspaceId, channelId) {
      return call(workspaceId, 'conversations.info', { channel: channelId }, (res) => {
        const c = (res.channel ?? {}) as Record<string, unknown>;
        return {
          isPublic: c.is_channel === true && !c.is_private && !c.is_im && !c.is_mpim,
          isMember: c.is_member === true,
        };
      });
    },
    async joinChannel(workspaceId, channelId) {
      return call(workspaceId, 'conversations.join', { channel: channelId }, () => ({}));
    },
    async publishHome(workspaceId, userId, view) {
      return call(workspaceId, 'views.publish', { user_id: userId, view }, () => ({}));
    },
    async openView(workspaceId, triggerId, view) {
      return call(workspaceId, 'views.open', { trigger_id: triggerId, view }, () => ({}));
    },
    async updateView(workspaceId, viewId, view) {
      return call(workspaceId, 'views.update', { view_id: viewId, view }, () => ({}));
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
        (res) => ({
          groups: ((res.usergroups as Record<string, unknown>[] | undefined) ?? [])
            .filter((g) => !g.date_delete)
            .map(
              (g): SlackUserGroup => ({
                id: String(g.id ?? ''),
                name: String(g.name ?? ''),
                handle: String(g.handle ?? ''),
                userIds: Array.isArray(g.users) ? g.users.map(String) : [],
              }),
            ),
        }),
      );
    },
  };
}
