/**
 * Signed requests to the app, shaped like Slack's: slash commands, Events API callbacks, interactivity payloads.
 *
 * Signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=hex(HMAC-SHA256(signingSecret, "v0:{timestamp}:{raw body}"))`, with
 * `X-Slack-Request-Timestamp: {unix seconds}`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { conversationId, type FakeSlack, validateMessageBody, validateResponseAction } from './fake-slack.ts';
import { APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID } from './fake-workspace.ts';

export interface SlackSignatureHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}`. */
export function computeSignature(
  signingSecret: string,
  timestampSec: number | string,
  rawBody: string,
): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return `v0=${hmac}`;
}

/** Slack's signature headers for a raw body (timestamp defaults to now). */
export function signRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec = nowSec(),
): SlackSignatureHeaders {
  return {
    'X-Slack-Request-Timestamp': String(timestampSec),
    'X-Slack-Signature': computeSignature(signingSecret, timestampSec, rawBody),
  };
}

export interface SlackHttpResponse {
  status: number;
  /** Parsed JSON when the response is JSON, else the text ('' for empty bodies). */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary; tests assert on them directly
  body: any;
  text: string;
  headers: Record<string, string>;
}

export interface CreateSlackClientOptions {
  /** The app's base URL, e.g. `http://127.0.0.1:3000` (no trailing path). */
  appUrl: string;
  signingSecret: string;
  teamId: string;
  teamDomain?: string;
  apiAppId?: string;
  botUserId?: string;
  enterpriseId?: string;
  /** Events path (default '/slack/events'). */
  path?: string;
  /** Deprecated verification token sent in payloads (default 'fake-verification-token'). */
  verificationToken?: string;
  /** Used for response URLs (so posts to them are recorded) when a command/action doesn't pass one. */
  fake?: FakeSlack;
  /** Clock for timestamps (unix seconds); default real time. */
  now?: () => number;
}

export interface RequestOptions {
  /** Override the signature timestamp (e.g. 6 minutes ago to test replay protection). */
  timestampSec?: number;
  /** Override the signing secret (e.g. a wrong one). */
  signingSecret?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

export interface CommandOptions extends RequestOptions {
  userId: string;
  channelId: string;
  channelName?: string;
  userName?: string;
  responseUrl?: string;
  triggerId?: string;
  teamId?: string;
}

export interface EventOptions extends RequestOptions {
  eventId?: string;
  /** Adds X-Slack-Retry-Num (and X-Slack-Retry-Reason, default 'http_timeout'). */
  retryNum?: number;
  retryReason?: string;
  eventTime?: number;
  teamId?: string;
  /** Override the envelope's `authorizations`. */
  authorizations?: Record<string, unknown>[];
}

export interface BlockActionOptions {
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  /** Message container (with channel + message) when channelId is given and no viewId. */
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  /** Blocks of the message the button was in. */
  messageBlocks?: unknown[];
  messageText?: string;
  /** View container (modal / App Home) when given. */
  viewId?: string;
  viewType?: 'modal' | 'home';
  viewCallbackId?: string;
  privateMetadata?: string;
  /** Element type (default 'button'; 'static_select' when selectedOption is given). */
  actionType?: string;
  selectedOption?: { value: string; text?: string };
  selectedUser?: string;
  /** Current view state values (same format as viewSubmission's `values`). */
  state?: ViewStateInput;
  responseUrl?: string;
  triggerId?: string;
}

/**
 * View state values: `{ [blockId]: { [actionId]: element state } }`. A plain string is shorthand for
 * `{ type: 'plain_text_input', value }`.
 */
export type ViewStateInput = Record<string, Record<string, string | Record<string, unknown>>>;

export interface ViewSubmissionOptions {
  userId: string;
  callbackId: string;
  values?: ViewStateInput;
  privateMetadata?: string;
  viewId?: string;
  blocks?: unknown[];
  title?: string;
  externalId?: string;
  /** response_urls for modals with response_url_enabled inputs. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  triggerId?: string;
}

export interface ViewClosedOptions {
  userId: string;
  callbackId: string;
  privateMetadata?: string;
  viewId?: string;
}

export interface ShortcutOptions {
  userId: string;
  callbackId: string;
  triggerId?: string;
}

export interface MessageShortcutOptions extends ShortcutOptions {
  channelId: string;
  messageTs: string;
  messageText?: string;
  messageUser?: string;
  responseUrl?: string;
}

let seq = 0;

function uniqueSuffix(): string {
  seq += 1;
  return `${Date.now().toString(36)}${seq.toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase();
}

/** A Slack-looking trigger id: `<digits>.<digits>.<hex32>`. */
export function newTriggerId(): string {
  const a = 1_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999);
  return `${a}.${47_445_629_121}.${randomBytes(16).toString('hex')}`;
}

/** A unique Events API event id (`Ev…`). */
export function newEventId(): string {
  return `Ev${uniqueSuffix()}`.slice(0, 16);
}

function newViewId(): string {
  return `V${uniqueSuffix()}`.slice(0, 11);
}

/** Expands `ViewStateInput` shorthand into Slack's `state.values` shape. */
export function toStateValues(
  values: ViewStateInput = {},
): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: Record<string, Record<string, unknown>> = {};
    for (const [actionId, v] of Object.entries(actions)) {
      block[actionId] = typeof v === 'string' ? { type: 'plain_text_input', value: v } : v;
    }
    out[blockId] = block;
  }
  return out;
}

async function toResponse(res: Response): Promise<SlackHttpResponse> {
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key] = value;
  });
  let body: unknown = text;
  if ((headers['content-type'] ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, text, headers };
}

/** A Slack-side client for one app instance. Every request is signed unless sent via `raw`. */
export function createSlackClient(opts: CreateSlackClientOptions) {
  const path = opts.path ?? '/slack/events';
  const eventsUrl = `${opts.appUrl.replace(/\/$/, '')}${path}`;
  const teamDomain = opts.teamDomain ?? TEAM_DOMAIN;
  const apiAppId = opts.apiAppId ?? APP_ID;
  const botUserId = opts.botUserId ?? BOT_USER_ID;
  const token = opts.verificationToken ?? 'fake-verification-token';
  const now = opts.now ?? nowSec;
  const enterprise = opts.enterpriseId ? { id: opts.enterpriseId, name: 'Acme Grid' } : null;

  const responseUrlFor = (given?: string, kind: 'command' | 'interaction' = 'interaction'): string => {
    if (given) return given;
    if (opts.fake) return kind === 'command' ? opts.fake.commandResponseUrl() : opts.fake.responseUrl();
    return `https://hooks.slack.com/actions/${opts.teamId}/${Date.now()}/${randomBytes(12).toString('hex')}`;
  };
  const team = () => ({
    id: opts.teamId,
    domain: teamDomain,
    ...(opts.enterpriseId ? { enterprise_id: opts.enterpriseId } : {}),
  });
  const user = (id: string) => ({
    id,
    username: id.toLowerCase(),
    name: id.toLowerCase(),
    team_id: opts.teamId,
  });

  /**
   * Slack checks what the app acks with (a command's message, a view submission's `response_action`): a body
   * Slack would refuse fails the test here, loudly, unless the fake was started lenient about blocks.
   */
  function checkAck(res: SlackHttpResponse, validate: (body: unknown) => string[]): void {
    if (!opts.fake || opts.fake.isLenient('blocks') || res.status !== 200) return;
    const errors = validate(res.body);
    if (errors.length > 0)
      throw new Error(`Slack would refuse this ack body (invalid_blocks):\n${errors.join('\n')}`);
  }

  async function send(
    rawBody: string,
    contentType: string,
    ro: RequestOptions = {},
    extraHeaders: Record<string, string> = {},
  ): Promise<SlackHttpResponse> {
    const signed = signRequest(ro.signingSecret ?? opts.signingSecret, rawBody, ro.timestampSec ?? now());
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'Content-Type': contentType, ...signed, ...extraHeaders, ...(ro.headers ?? {}) },
      body: rawBody,
      redirect: 'manual',
    });
    return toResponse(res);
  }

  return {
    eventsUrl,

    /** Sends a slash command exactly as Slack does (form-encoded). Returns the response plus the ids used. */
    async command(command: string, text: string, o: CommandOptions) {
      const responseUrl = responseUrlFor(o.responseUrl, 'command');
      const triggerId = o.triggerId ?? newTriggerId();
      opts.fake?.issueTrigger(triggerId);
      const fields: [string, string][] = [
        ['token', token],
        ['team_id', o.teamId ?? opts.teamId],
        ['team_domain', teamDomain],
        ...(opts.enterpriseId
          ? ([
              ['enterprise_id', opts.enterpriseId],
              ['enterprise_name', 'Acme Grid'],
            ] as [string, string][])
          : []),
        ['channel_id', o.channelId],
        ['channel_name', o.channelName ?? (o.channelId.startsWith('D') ? 'directmessage' : 'coffee')],
        ['user_id', o.userId],
        ['user_name', o.userName ?? o.userId.toLowerCase()],
        ['command', command],
        ['text', text],
        ['api_app_id', apiAppId],
        ['is_enterprise_install', 'false'],
        ['response_url', responseUrl],
        ['trigger_id', triggerId],
      ];
      const body = new URLSearchParams(fields).toString();
      const res = await send(body, 'application/x-www-form-urlencoded', o);
      checkAck(res, validateMessageBody);
      return { ...res, responseUrl, triggerId };
    },

    /** Sends an Events API `event_callback` envelope (JSON). */
    async event(event: Record<string, unknown>, o: EventOptions = {}) {
      const eventId = o.eventId ?? newEventId();
      const teamId = o.teamId ?? opts.teamId;
      const envelope = {
        token,
        team_id: teamId,
        ...(opts.enterpriseId ? { enterprise_id: opts.enterpriseId } : {}),
        context_team_id: teamId,
        context_enterprise_id: opts.enterpriseId ?? null,
        api_app_id: apiAppId,
        event: { event_ts: `${now()}.000100`, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: o.eventTime ?? now(),
        authorizations: o.authorizations ?? [
          {
            enterprise_id: opts.enterpriseId ?? null,
            team_id: teamId,
            user_id: botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
      };
      const retry: Record<string, string> =
        o.retryNum !== undefined
          ? {
              'X-Slack-Retry-Num': String(o.retryNum),
              'X-Slack-Retry-Reason': o.retryReason ?? 'http_timeout',
            }
          : {};
      const res = await send(JSON.stringify(envelope), 'application/json', o, retry);
      return { ...res, eventId, envelope };
    },

    /** Sends an interactivity payload (block_actions, view_submission, shortcut…) as `payload=<json>`. */
    async action(payload: Record<string, unknown>, o: RequestOptions = {}) {
      if (typeof payload.trigger_id === 'string') opts.fake?.issueTrigger(payload.trigger_id);
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const res = await send(body, 'application/x-www-form-urlencoded', o);
      if (payload.type === 'view_submission') checkAck(res, validateResponseAction);
      return res;
    },

    /** Sends Slack's url_verification handshake. */
    async urlVerification(challenge: string, o: RequestOptions = {}) {
      return send(JSON.stringify({ token, challenge, type: 'url_verification' }), 'application/json', o);
    },

    /** POSTs a body with exactly the given headers (nothing signed) — for tampered or stale requests. */
    async raw(body: string, headers: Record<string, string>, o: { path?: string; method?: string } = {}) {
      const url = o.path ? `${opts.appUrl.replace(/\/$/, '')}${o.path}` : eventsUrl;
      const res = await fetch(url, { method: o.method ?? 'POST', headers, body, redirect: 'manual' });
      return toResponse(res);
    },

    /** Unsigned GET against the app (e.g. '/slack/install', '/slack/oauth_redirect?code=…&state=…', health). */
    async get(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${opts.appUrl.replace(/\/$/, '')}${path}`, { headers, redirect: 'manual' });
      return toResponse(res);
    },

    // ----- payload builders (return objects; send them with `action(...)`) ------------------------------------

    blockAction(o: BlockActionOptions): Record<string, unknown> {
      const actionType =
        o.actionType ?? (o.selectedOption ? 'static_select' : o.selectedUser ? 'users_select' : 'button');
      const actionTs = `${now()}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
      const action: Record<string, unknown> = {
        type: actionType,
        action_id: o.actionId,
        block_id: o.blockId ?? 'actions',
        action_ts: actionTs,
      };
      if (actionType === 'button') {
        action.text = { type: 'plain_text', text: 'Button', emoji: true };
        if (o.value !== undefined) action.value = o.value;
      }
      if (o.selectedOption) {
        action.selected_option = {
          text: { type: 'plain_text', text: o.selectedOption.text ?? o.selectedOption.value, emoji: true },
          value: o.selectedOption.value,
        };
      }
      if (o.selectedUser) action.selected_user = o.selectedUser;
      const base: Record<string, unknown> = {
        type: 'block_actions',
        user: user(o.userId),
        api_app_id: apiAppId,
        token,
        trigger_id: o.triggerId ?? newTriggerId(),
        team: team(),
        enterprise,
        is_enterprise_install: false,
        state: { values: toStateValues(o.state) },
        actions: [action],
      };
      if (o.viewId) {
        const viewType = o.viewType ?? 'modal';
        return {
          ...base,
          container: { type: 'view', view_id: o.viewId },
          view: {
            id: o.viewId,
            team_id: opts.teamId,
            type: viewType,
            blocks: [],
            private_metadata: o.privateMetadata ?? '',
            callback_id: o.viewCallbackId ?? '',
            state: { values: toStateValues(o.state) },
            hash: `${now()}.abcdef12`,
            title: { type: 'plain_text', text: 'Weave', emoji: true },
            root_view_id: o.viewId,
            previous_view_id: null,
            app_id: apiAppId,
            external_id: '',
            app_installed_team_id: opts.teamId,
            bot_id: 'B0WEAVEBOT',
          },
        };
      }
      const channelId = o.channelId ?? 'D0UNKNOWN';
      const messageTs = o.messageTs ?? `${now()}.000100`;
      return {
        ...base,
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
        channel: {
          id: channelId,
          name: o.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'coffee'),
        },
        message: {
          type: 'message',
          user: botUserId,
          bot_id: 'B0WEAVEBOT',
          app_id: apiAppId,
          ts: messageTs,
          text: o.messageText ?? '',
          team: opts.teamId,
          blocks: o.messageBlocks ?? [],
        },
        response_url: responseUrlFor(o.responseUrl),
      };
    },

    viewSubmission(o: ViewSubmissionOptions): Record<string, unknown> {
      const viewId = o.viewId ?? newViewId();
      return {
        type: 'view_submission',
        team: team(),
        user: user(o.userId),
        api_app_id: apiAppId,
        token,
        trigger_id: o.triggerId ?? newTriggerId(),
        view: {
          id: viewId,
          team_id: opts.teamId,
          type: 'modal',
          blocks: o.blocks ?? [],
          private_metadata: o.privateMetadata ?? '',
          callback_id: o.callbackId,
          state: { values: toStateValues(o.values) },
          hash: `${now()}.abcdef12`,
          title: { type: 'plain_text', text: o.title ?? 'Weave', emoji: true },
          clear_on_close: false,
          notify_on_close: false,
          close: { type: 'plain_text', text: 'Cancel', emoji: true },
          submit: { type: 'plain_text', text: 'Submit', emoji: true },
          previous_view_id: null,
          root_view_id: viewId,
          app_id: apiAppId,
          external_id: o.externalId ?? '',
          app_installed_team_id: opts.teamId,
          bot_id: 'B0WEAVEBOT',
        },
        response_urls: o.responseUrls ?? [],
        is_enterprise_install: false,
        enterprise,
      };
    },

    viewClosed(o: ViewClosedOptions): Record<string, unknown> {
      const viewId = o.viewId ?? newViewId();
      return {
        type: 'view_closed',
        team: team(),
        user: user(o.userId),
        api_app_id: apiAppId,
        token,
        view: {
          id: viewId,
          team_id: opts.teamId,
          type: 'modal',
          blocks: [],
          private_metadata: o.privateMetadata ?? '',
          callback_id: o.callbackId,
          state: { values: {} },
          root_view_id: viewId,
          app_id: apiAppId,
        },
        is_cleared: false,
        is_enterprise_install: false,
        enterprise,
      };
    },

    /** Global shortcut payload. */
    shortcut(o: ShortcutOptions): Record<string, unknown> {
      return {
        type: 'shortcut',
        token,
        action_ts: `${now()}.000000`,
        team: team(),
        user: user(o.userId),
        is_enterprise_install: false,
        enterprise,
        callback_id: o.callbackId,
        trigger_id: o.triggerId ?? newTriggerId(),
      };
    },

    /** Message shortcut payload. */
    messageShortcut(o: MessageShortcutOptions): Record<string, unknown> {
      return {
        type: 'message_action',
        token,
        action_ts: `${now()}.000000`,
        team: team(),
        user: user(o.userId),
        channel: { id: o.channelId, name: 'coffee' },
        is_enterprise_install: false,
        enterprise,
        callback_id: o.callbackId,
        trigger_id: o.triggerId ?? newTriggerId(),
        message_ts: o.messageTs,
        message: { type: 'message', user: o.messageUser ?? '', ts: o.messageTs, text: o.messageText ?? '' },
        response_url: responseUrlFor(o.responseUrl),
      };
    },
  };
}

export type SlackClient = ReturnType<typeof createSlackClient>;

// ----- event builders (pass the result to `client.event(...)`) ---------------------------------------------------

function eventTs(): string {
  return `${nowSec()}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

export const slackEvents = {
  /** `channel` defaults to the fixture team's DM id for the user (what the fake's conversations.open answers). */
  appHomeOpened(
    userId: string,
    tab: 'home' | 'messages' = 'home',
    channel = conversationId(TEAM_ID, [userId]),
  ) {
    return { type: 'app_home_opened', user: userId, channel, tab, event_ts: eventTs() };
  },
  memberJoinedChannel(userId: string, channelId: string, inviter?: string) {
    return {
      type: 'member_joined_channel',
      user: userId,
      channel: channelId,
      channel_type: channelId.startsWith('G') ? 'G' : 'C',
      team: '',
      ...(inviter ? { inviter } : {}),
      event_ts: eventTs(),
    };
  },
  memberLeftChannel(userId: string, channelId: string) {
    return {
      type: 'member_left_channel',
      user: userId,
      channel: channelId,
      channel_type: channelId.startsWith('G') ? 'G' : 'C',
      team: '',
      event_ts: eventTs(),
    };
  },
  /** A user message (`message` event). For DMs use a D… channel; channel_type is inferred. */
  message(o: {
    userId: string;
    channelId: string;
    text: string;
    ts?: string;
    threadTs?: string;
    subtype?: string;
  }) {
    const ts = o.ts ?? eventTs();
    const channelType = o.channelId.startsWith('D')
      ? 'im'
      : o.channelId.startsWith('G')
        ? 'group'
        : 'channel';
    return {
      type: 'message',
      ...(o.subtype ? { subtype: o.subtype } : {}),
      user: o.userId,
      text: o.text,
      ts,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
      channel: o.channelId,
      channel_type: channelType,
      event_ts: ts,
    };
  },
  appMention(o: { userId: string; channelId: string; text: string; ts?: string }) {
    const ts = o.ts ?? eventTs();
    return { type: 'app_mention', user: o.userId, text: o.text, ts, channel: o.channelId, event_ts: ts };
  },
  reactionAdded(o: { userId: string; reaction: string; channelId: string; ts: string; itemUser?: string }) {
    return {
      type: 'reaction_added',
      user: o.userId,
      reaction: o.reaction,
      item_user: o.itemUser ?? BOT_USER_ID,
      item: { type: 'message', channel: o.channelId, ts: o.ts },
      event_ts: eventTs(),
    };
  },
  /** `user` is a Slack user object, e.g. `fake.getUser(id)`. */
  teamJoin(user: Record<string, unknown>) {
    return { type: 'team_join', user, event_ts: eventTs() };
  },
  /** `user` is a Slack user object, e.g. `fake.getUser(id)` after `fake.updateUser(...)`. */
  userChange(user: Record<string, unknown>) {
    return { type: 'user_change', user, cache_ts: nowSec(), event_ts: eventTs() };
  },
  appUninstalled() {
    return { type: 'app_uninstalled', event_ts: eventTs() };
  },
  tokensRevoked(botUserIds: string[] = [BOT_USER_ID], oauthUserIds: string[] = []) {
    return { type: 'tokens_revoked', tokens: { oauth: oauthUserIds, bot: botUserIds }, event_ts: eventTs() };
  },
};
