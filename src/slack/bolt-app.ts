import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  type AckFn,
  App,
  type App as BoltApp,
  ErrorCode,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type InstallationStore,
  isRawBodyError,
} from '@slack/bolt';
import { LogLevel } from '@slack/logger';
import type { Config } from '../config/config.ts';
import type { InflightTracker } from '../observability/inflight.ts';
import { boltLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { type DurableInput, durableInput } from './inbox-intake.ts';
import type { ListenerDeps } from './listeners/deps.ts';
import { registerListeners } from './listeners/index.ts';
import { ACK_BUDGET_MS } from './listeners/reply.ts';
import { isFutureSignedRequest } from './request-timestamp.ts';

export interface HttpRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export interface SlackAppOptions {
  config: Config;
  log: Logger;
  inflight: InflightTracker;
  routes: HttpRoute[];
  listenerDeps: ListenerDeps;
  installationStore?: InstallationStore;
  /** Runs once per incoming Slack request before listeners (dedupe, workspace upsert). */
  beforeListeners?: (
    body: Record<string, unknown>,
    teamId: string | undefined,
    /** Replayed from the inbox, whose key already kept Slack's retries out. */
    replayed: boolean,
  ) => Promise<'continue' | 'skip' | 'foreign'>;
  afterListeners?: (
    body: Record<string, unknown>,
    teamId: string | undefined,
    replayed: boolean,
  ) => Promise<void>;
  /**
   * HTTP mode: false while Events API callbacks cannot be processed (the database is unreachable). Bolt
   * acknowledges an event before its listeners run, so one that then fails would be lost; answering 503
   * instead makes Slack deliver it again later (after about 1 and 5 minutes).
   */
  canProcessEvents?: () => Promise<boolean>;
  /** Stores the inputs whose effect Weave keeps before they are acknowledged (see `durableInput`). */
  inbox?: InboxIntake;
  /** Records how long each Slack request waited for its ack. */
  metrics?: Pick<Metrics, 'ack'>;
}

/** Where the Bolt app writes a durable input before acking it; the inbox worker replays it later. */
export interface InboxIntake {
  /**
   * One insert (a redelivered key is a 'duplicate'). 'full': the backlog is over its limit and
   * `refuseWhenFull` was asked (nothing stored); 'foreign': a team this token does not serve (nothing stored).
   */
  store(
    input: DurableInput,
    body: Record<string, unknown>,
    opts: { refuseWhenFull: boolean },
  ): Promise<'stored' | 'duplicate' | 'full' | 'foreign'>;
  /** What the listener acked a stored input with, if the worker gets there within `budgetMs`. */
  reply(key: string, budgetMs: number): Promise<unknown>;
}

/** Thrown before an ack so the receiver answers 503 and Slack delivers the event again later. */
class RetryLaterError extends Error {
  readonly code = 'weave_retry_later';
}

/** The context key that marks an inbox replay; the middleware records a listener failure there. */
const INBOX_REPLAY = 'weaveInboxReplay';
interface ReplayState {
  error?: unknown;
}

/**
 * Runs a stored input through the app's middleware and listeners, as if Slack had just sent it (the
 * inbox worker's handler). What a listener acks with goes to the response URL (the request itself was
 * answered when the input was stored). Resolves with the listener's error, if any.
 */
export async function replayStoredInput(
  app: BoltApp,
  body: Record<string, unknown>,
  /** Hands the ack to the request still waiting for it (true), if there is one. */
  handOver: (response: unknown) => boolean = () => false,
): Promise<{ error?: unknown }> {
  const state: ReplayState = {};
  const responseUrl = typeof body.response_url === 'string' ? body.response_url : undefined;
  await App.prototype.processEvent.call(app, {
    body,
    ack: async (response?: unknown) => {
      if (state.error) return;
      if (handOver(response)) return;
      if (response === undefined || response === '' || !responseUrl) return;
      const message = typeof response === 'string' ? { text: response } : response;
      const r = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      if (!r.ok) throw new Error(`response URL answered ${r.status}`);
    },
    customProperties: { [INBOX_REPLAY]: state },
  });
  return state;
}

/**
 * Makes Bolt store durable inputs before acknowledging them: Bolt acks an event before its listeners
 * run, so the insert has to come first, in front of `processEvent`, which every receiver calls with the
 * verified, parsed body and the request's ack (HTTP: the 200; Socket Mode: the envelope ack). Inputs
 * not durable go on to Bolt as before.
 */
function storeBeforeAck(app: BoltApp, inbox: InboxIntake, mode: Config['mode']): void {
  app.processEvent = async (event) => {
    const input = durableInput(event.body);
    if (!input) return App.prototype.processEvent.call(app, event);
    // HTTP mode: over the backlog limit an event is refused with 503 (Slack retries it later); commands
    // and clicks are not retried by Slack, so they are stored anyway.
    let verdict: Awaited<ReturnType<InboxIntake['store']>>;
    try {
      verdict = await inbox.store(input, event.body as Record<string, unknown>, {
        refuseWhenFull: mode !== 'socket' && input.kind === 'event',
      });
    } catch (error) {
      // Not stored: an event must not be acknowledged (Slack delivers it again); a command or click is
      // answered with an apology by the receiver's error handler.
      if (input.kind === 'event') throw new RetryLaterError('the inbox could not store it', { cause: error });
      throw error;
    }
    if (verdict === 'full') throw new RetryLaterError('the inbox backlog is over its limit');
    if (verdict === 'foreign') {
      await event.ack(input.kind === 'command' ? NOT_INSTALLED : undefined);
      return;
    }
    // Stored: from here a crash loses nothing. A listener that answers in its ack gets a moment to do so.
    const reply =
      verdict === 'stored' && input.awaitsReply ? await inbox.reply(input.key, ACK_BUDGET_MS) : undefined;
    await event.ack(reply as Parameters<typeof event.ack>[0]);
  };
}

/** The kind of a Slack input, for the ack latency histogram (a few fixed values). */
function inputKind(body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.command === 'string') return 'command';
  switch (b.type) {
    case 'event_callback':
      return 'event';
    case 'block_actions':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    default:
      return 'other';
  }
}

/**
 * Times each request from the moment a receiver hands it to the app (HTTP: verified and parsed; Socket
 * Mode: the envelope) to its ack, whatever acks it: the inbox's store-before-ack, Bolt, or a listener.
 * Inputs replayed from the inbox do not come through here (they were acked when stored).
 */
function timeAcks(app: BoltApp, metrics: Pick<Metrics, 'ack'>): void {
  const inner = app.processEvent;
  app.processEvent = async (event) => {
    const started = performance.now();
    const ack = event.ack;
    let timed = false;
    return inner.call(app, {
      ...event,
      ack: async (response) => {
        try {
          return await ack(response);
        } finally {
          if (!timed) metrics.ack(inputKind(event.body), (performance.now() - started) / 1000);
          timed = true;
        }
      },
    });
  };
}

export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export const BOT_SCOPES = [
  'channels:history',
  'channels:join',
  'channels:read',
  'chat:write',
  'commands',
  'groups:history',
  'groups:read',
  'im:history',
  'im:write',
  'mpim:history',
  'mpim:write',
  'reactions:read',
  'reactions:write',
  'usergroups:read',
  'users.profile:read',
  'users:read',
  'users:read.email',
];

const EVENTS_PATH = '/slack/events';

/**
 * Bolt 5.1's HTTPReceiver reads `body.ssl_check` outside its error handling, so a (signed) body that
 * parses to `null` — `null`, or `payload=null` — becomes an unhandled rejection and the request is never
 * answered. Its listener here reads the body first (Bolt reuses a buffered body) and answers those 400.
 */
function guardedReceiver(
  log: Logger,
  options: HTTPReceiverOptions,
  canProcessEvents: () => Promise<boolean> = async () => true,
): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  const next = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== EVENTS_PATH) {
      next(req, res); // synchronous, so the server's own catch still reaches dispatchErrorHandler
      return;
    }
    if (isFutureSignedRequest(req.headers)) {
      log.warn({ path: req.url, status: 401, reason: 'timestamp in the future' }, 'rejected request');
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      req.resume();
      return;
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, SLACK_BODY_LIMIT_BYTES).then(
      async (buffered) => {
        // Bolt reads a form's `payload` field as JSON, anything else as JSON (see parseHTTPRequestBody).
        const text = buffered.rawBody.toString();
        const json =
          req.headers['content-type'] === 'application/x-www-form-urlencoded'
            ? parseQuery(text).payload
            : text;
        if (typeof json === 'string' && json.trim() === 'null') {
          log.warn({ path: req.url, status: 400, reason: 'body is null' }, 'rejected request');
          HTTPModuleFunctions.buildNoBodyResponse(res, 400);
          return;
        }
        // The readiness answer is cached; the body is only looked at again when the database is down.
        if (!(await canProcessEvents()) && isEventCallback(json)) {
          log.warn(
            { path: req.url, status: 503, retryNum: req.headers['x-slack-retry-num'] },
            'event refused while the database is unreachable; Slack will deliver it again',
          );
          HTTPModuleFunctions.buildNoBodyResponse(res, 503);
          return;
        }
        try {
          next(buffered, res);
        } catch (error) {
          log.warn({ path: req.url, status: 400, reason: (error as Error).message }, 'rejected request');
          if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 400);
        }
      },
      (error: unknown) => {
        // What Bolt answers when it reads the body itself: 413 over the limit, else the request is unusable.
        const tooLarge =
          isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413);
        const status = tooLarge ? 413 : 400;
        log.warn({ path: req.url, status, reason: (error as Error).message }, 'rejected request');
        if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, status);
      },
    );
  };
  return receiver;
}

/** An Events API callback (not a URL verification, command or interaction), judged from the raw JSON. */
function isEventCallback(json: unknown): boolean {
  if (typeof json !== 'string' || !json.includes('event_callback')) return false;
  try {
    const body = JSON.parse(json) as { type?: unknown } | null;
    return body?.type === 'event_callback';
  } catch {
    return false;
  }
}

function sendPage(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><body style="font-family:system-ui;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body>`,
  );
}

const SORRY = {
  response_type: 'ephemeral',
  text: 'Sorry, something went wrong on our side. Please try again in a minute.',
} as const;

const NOT_INSTALLED = {
  response_type: 'ephemeral',
  text: 'Weave is not installed in this workspace. Ask a Slack admin to install it from the Weave app page.',
} as const;

/** Acks unless a listener already did (in HTTP mode a second ack throws ReceiverMultipleAckError). */
async function ackIfUnanswered(
  ack: AckFn<unknown>,
  reply?: typeof SORRY | typeof NOT_INSTALLED,
): Promise<void> {
  try {
    await ack(reply);
  } catch (error) {
    if ((error as { code?: string }).code !== ErrorCode.ReceiverMultipleAckError) throw error;
  }
}

/** Builds the Bolt app for HTTP or Socket Mode with Weave's routes, error handling and listeners. */
export function createSlackApp(opts: SlackAppOptions): BoltApp {
  const { config, log } = opts;
  const logger = boltLogger(log);
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    // Listener calls are user-facing: a short retry budget, never the WebClient's 30-minute default.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  };
  const auth =
    config.auth.kind === 'single'
      ? { token: config.auth.botToken }
      : {
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          stateSecret: config.auth.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: opts.installationStore,
          installerOptions: {
            directInstall: true,
            installPath: '/slack/install',
            redirectUriPath: '/slack/oauth_redirect',
            port: config.port,
            clientOptions,
            callbackOptions: {
              success: (
                _installation: unknown,
                _options: unknown,
                _req: IncomingMessage,
                res: ServerResponse,
              ) =>
                sendPage(
                  res,
                  200,
                  'Weave is installed',
                  'Invite @Weave to a channel to start pairing people there.',
                ),
              // Bolt answers some failures (e.g. an unknown code) with 500; it is the visitor's link that is bad.
              failure: (error: Error, _options: unknown, _req: IncomingMessage, res: ServerResponse) => {
                log.warn({ reason: error.message }, 'OAuth install failed');
                sendPage(
                  res,
                  400,
                  'Installation did not complete',
                  'The link expired or was already used. Start again from the install page.',
                );
              },
            },
          },
          redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
        };

  const common = { logger, logLevel: LogLevel.INFO, clientOptions, ...auth };
  const app =
    config.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          appToken: config.appToken,
          customRoutes: opts.routes,
          // Health and dashboard routes are served on PORT in Socket Mode too.
          ...('token' in auth ? { installerOptions: { port: config.port } } : {}),
        })
      : new App({
          // OAuth options go to the receiver only: Bolt takes its authorize from the receiver's installer.
          logger,
          logLevel: LogLevel.INFO,
          clientOptions,
          ...('token' in auth ? { token: auth.token } : {}),
          receiver: guardedReceiver(
            log,
            {
              signingSecret: config.signingSecret ?? '',
              endpoints: EVENTS_PATH,
              logger,
              customRoutes: opts.routes,
              bodyLimit: SLACK_BODY_LIMIT_BYTES,
              ...('clientId' in auth
                ? {
                    clientId: auth.clientId,
                    clientSecret: auth.clientSecret,
                    stateSecret: auth.stateSecret,
                    scopes: auth.scopes,
                    installationStore: auth.installationStore,
                    installerOptions: auth.installerOptions,
                    redirectUri: auth.redirectUri,
                  }
                : {}),
              // An error escaping Bolt's own handling before the ack (e.g. an unreadable event envelope) must
              // not turn into a 5xx for Slack (which would retry and show the user an error): answer 200 and
              // log. Signature failures stay 401. (Listener errors go to app.error; see the middleware.)
              processEventErrorHandler: async ({ error, response, logger: l }) => {
                if (response.headersSent) return false;
                const code = (error as { code?: string }).code;
                if (code === 'weave_retry_later') {
                  log.warn(
                    { status: 503, reason: error.message },
                    'event refused; Slack will deliver it again',
                  );
                  response.writeHead(503);
                  response.end();
                  return true;
                }
                if (code === 'slack_bolt_authorization_error') {
                  response.writeHead(401);
                  response.end();
                  return true;
                }
                l.error(`listener failed before ack: ${error.message}`);
                response.writeHead(200, { 'content-type': 'application/json' });
                response.end(JSON.stringify(SORRY));
                return true;
              },
              // Unparseable or oversized bodies: a 4xx, logged without the body.
              dispatchErrorHandler: async ({ error, request, response }) => {
                const status = (error as { statusCode?: number }).statusCode;
                const code = status && status >= 400 && status < 500 ? status : 400;
                log.warn(
                  { path: request.url, method: request.method, status: code, reason: error.message },
                  'rejected request',
                );
                if (!response.headersSent) {
                  response.writeHead(code);
                  response.end();
                }
              },
            },
            opts.canProcessEvents,
          ),
        });

  app.use(async (args) => {
    const { body, context, next } = args;
    const raw = body as Record<string, unknown>;
    const teamId = context.teamId ?? (context.enterpriseId as string | undefined);
    let failed = false;
    let foreign = false;
    const replay = context[INBOX_REPLAY] as ReplayState | undefined;
    try {
      await opts.inflight.run(async () => {
        const verdict = opts.beforeListeners
          ? await opts.beforeListeners(raw, teamId, replay !== undefined)
          : 'continue';
        if (verdict === 'skip') {
          log.debug({ eventId: raw.event_id }, 'duplicate event skipped');
          return;
        }
        if (verdict === 'foreign') {
          foreign = true;
          log.warn({ teamId }, 'request from a workspace this token is not installed in; ignored');
          return;
        }
        await next();
        if (opts.afterListeners) await opts.afterListeners(raw, teamId, replay !== undefined);
      });
    } catch (error) {
      failed = true;
      if (replay) replay.error = error; // the inbox worker retries it
      throw error; // to app.error, which logs it
    } finally {
      // Still unanswered — an action, view or command Weave doesn't handle, or one that failed before its
      // ack: Bolt would send a 404 after 3 s, which Slack shows as an error. Answer 200 now (a failed
      // command with an apology; Bolt hands listener errors to app.error, not processEventErrorHandler).
      if (config.mode !== 'socket' && 'ack' in args)
        await ackIfUnanswered(
          args.ack as AckFn<unknown>,
          'command' in raw ? (failed ? SORRY : foreign ? NOT_INSTALLED : undefined) : undefined,
        );
    }
  });

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'unhandled error in a listener');
  });

  registerListeners(app, opts.listenerDeps);
  if (opts.inbox) storeBeforeAck(app, opts.inbox, config.mode);
  if (opts.metrics) timeAcks(app, opts.metrics);
  return app;
}
