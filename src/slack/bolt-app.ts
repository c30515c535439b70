import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type App as BoltApp, HTTPReceiver, type InstallationStore } from '@slack/bolt';
import { LogLevel } from '@slack/logger';
import type { Config } from '../config/config.ts';
import type { InflightTracker } from '../observability/inflight.ts';
import { boltLogger, type Logger } from '../observability/logger.ts';
import type { ListenerDeps } from './listeners/deps.ts';
import { registerListeners } from './listeners/index.ts';

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
  ) => Promise<'continue' | 'skip'>;
  afterListeners?: (body: Record<string, unknown>, teamId: string | undefined) => Promise<void>;
}

export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export const BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'channels:join',
  'channels:read',
  'chat:write',
  'commands',
  'groups:history',
  'groups:read',
  'im:write',
  'mpim:write',
  'reactions:read',
  'reactions:write',
  'team:read',
  'users.profile:read',
  'users:read',
];

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
          },
          redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
        };

  const common = { logger, logLevel: LogLevel.INFO, clientOptions, ...auth };
  const app =
    config.mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: config.appToken, customRoutes: opts.routes })
      : new App({
          ...common,
          receiver: new HTTPReceiver({
            signingSecret: config.signingSecret ?? '',
            endpoints: '/slack/events',
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
            // A listener that throws before ack must not turn into a 5xx for Slack (which would retry
            // and show the user an error): answer 200 and log. Signature failures stay 401.
            processEventErrorHandler: async ({ error, response, logger: l }) => {
              if (response.headersSent) return false;
              const code = (error as { code?: string }).code;
              if (code === 'slack_bolt_authorization_error') {
                response.writeHead(401);
                response.end();
                return true;
              }
              l.error(`listener failed before ack: ${error.message}`);
              response.writeHead(200, { 'content-type': 'application/json' });
              response.end(
                JSON.stringify({
                  response_type: 'ephemeral',
                  text: 'Sorry, something went wrong on our side. Please try again in a minute.',
                }),
              );
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
          }),
        });

  app.use(async ({ body, context, next }) => {
    const raw = body as Record<string, unknown>;
    const teamId = context.teamId ?? (context.enterpriseId as string | undefined);
    await opts.inflight.run(async () => {
      const verdict = opts.beforeListeners ? await opts.beforeListeners(raw, teamId) : 'continue';
      if (verdict === 'skip') {
        log.debug({ eventId: raw.event_id }, 'duplicate event skipped');
        return;
      }
      await next();
      if (opts.afterListeners) await opts.afterListeners(raw, teamId);
    });
  });

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'unhandled error in a listener');
  });

  registerListeners(app, opts.listenerDeps);
  return app;
}
