import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  // Any non-empty value: Slack's token formats change, and test setups use placeholders. A token that
  // does not look like a bot token is reported as a warning at start-up (see configWarnings).
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-/, 'should be an app-level token starting with "xapp-" (Socket Mode)')
      .optional(),
  ),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_API_URL: optionalString.pipe(
    z.url({ message: 'should be a URL such as https://slack.com/api/' }).optional(),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'should be a port number such as 3000' })
      .int('should be a whole port number such as 3000')
      .min(0, 'should be between 0 and 65535')
      .max(65535, 'should be between 0 and 65535')
      .default(3000),
  ),
  PUBLIC_URL: optionalString.pipe(
    z.url({ message: 'should be a URL such as https://weave.example.com' }).optional(),
  ),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'should be a PostgreSQL URL such as postgresql://user@host:5432/weave')
      .optional(),
  ),
  DATA_DIR: optionalString.pipe(z.string().default('./data')),
  LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { message: `should be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  ENCRYPTION_KEY: optionalString.pipe(
    z.string().min(32, 'should be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  ),
  WEAVE_ADMIN_IDS: optionalString.pipe(
    z
      .string()
      .regex(
        /^[UW][A-Z0-9]+(\s*,\s*[UW][A-Z0-9]+)*$/,
        'should be Slack user ids separated by commas, e.g. U012AB,U034CD',
      )
      .optional(),
  ),
  OUTBOX_LEASE_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'should be a number of seconds such as 60' })
      .positive('should be a positive number of seconds such as 60')
      .default(60),
  ),
  INBOX_MAX_BACKLOG: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'should be a whole number such as 5000' })
      .int('should be a whole number such as 5000')
      .positive('should be a positive number such as 5000')
      .default(5000),
  ),
  SCHEDULER_TICK_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'should be a number of seconds such as 30' })
      .positive('should be a positive number of seconds such as 30')
      .default(30),
  ),
});

type RawEnv = Record<string, string | undefined>;
const present = (env: RawEnv, key: string) => (env[key] ?? '').trim() !== '';

/** Rules that span several variables; run even when single variables are invalid, so all problems show. */
function crossProblems(env: RawEnv): string[] {
  const problems: string[] = [];
  const oauthKeys = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  const oauthCount = oauthKeys.filter((k) => present(env, k)).length;
  if (oauthCount > 0 && oauthCount < 3) {
    for (const key of oauthKeys.filter((k) => !present(env, k))) {
      problems.push(
        `${key} is required for OAuth: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together`,
      );
    }
  }
  if (!present(env, 'SLACK_BOT_TOKEN') && oauthCount === 0) {
    problems.push(
      'SLACK_BOT_TOKEN is required (xoxb-…, from "OAuth & Permissions"), unless you set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for multi-workspace installs',
    );
  }
  if (!present(env, 'SLACK_SIGNING_SECRET') && (!present(env, 'SLACK_APP_TOKEN') || oauthCount === 3)) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode and for OAuth (from "Basic Information" → "Signing Secret")',
    );
  }
  if (oauthCount === 3 && !present(env, 'ENCRYPTION_KEY')) {
    problems.push(
      'ENCRYPTION_KEY is required for OAuth installs: it encrypts stored bot tokens (e.g. `openssl rand -base64 32`)',
    );
  }
  return problems;
}

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Typed, validated configuration; the only place that knows environment variable names. */
export interface Config {
  mode: 'http' | 'socket';
  auth:
    | { kind: 'single'; botToken: string }
    | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string };
  signingSecret: string | undefined;
  appToken: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  publicUrl: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  logLevel: LogLevel;
  encryptionKey: string | undefined;
  adminIds: string[];
  schedulerTickMs: number;
  /** How long a claimed outbox message stays reserved for a worker that may have died. */
  outboxLeaseMs: number;
  /** Inputs stored and not yet processed above which HTTP-mode events are refused with 503. */
  inboxMaxBacklog: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Validates an environment (normally process.env) into a Config, or lists every problem found. */
export function parseConfig(env: RawEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const cross = crossProblems(env);
  if (!parsed.success || cross.length > 0) {
    const fieldProblems = (parsed.error?.issues ?? []).map((issue) => {
      const name = issue.path.join('.') || 'environment';
      const value = env[name];
      const shown = value === undefined || value === '' ? 'is missing and' : 'is invalid:';
      const message = issue.message.startsWith('is ') ? issue.message : `${shown} ${issue.message}`;
      return `${name} ${message}`;
    });
    return { ok: false, problems: [...new Set([...fieldProblems, ...cross])] };
  }
  const e = parsed.data;
  const auth: Config['auth'] =
    e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
      ? {
          kind: 'oauth',
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          stateSecret: e.SLACK_STATE_SECRET,
        }
      : { kind: 'single', botToken: e.SLACK_BOT_TOKEN ?? '' };
  const slackApiUrl = e.SLACK_API_URL
    ? e.SLACK_API_URL.endsWith('/')
      ? e.SLACK_API_URL
      : `${e.SLACK_API_URL}/`
    : undefined;
  return {
    ok: true,
    config: {
      mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
      auth,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      slackApiUrl,
      port: e.PORT,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      database: e.DATABASE_URL
        ? { kind: 'postgres', url: e.DATABASE_URL }
        : { kind: 'pglite', dataDir: e.DATA_DIR },
      logLevel: e.LOG_LEVEL,
      encryptionKey: e.ENCRYPTION_KEY,
      adminIds: e.WEAVE_ADMIN_IDS ? e.WEAVE_ADMIN_IDS.split(',').map((s) => s.trim()) : [],
      schedulerTickMs: Math.round(e.SCHEDULER_TICK_SECONDS * 1000),
      outboxLeaseMs: Math.round(e.OUTBOX_LEASE_SECONDS * 1000),
      inboxMaxBacklog: e.INBOX_MAX_BACKLOG,
    },
  };
}

/** Things that work but look wrong, logged at start-up. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.auth.kind === 'single' && !/^xox[bp]-/.test(config.auth.botToken)) {
    warnings.push(
      'SLACK_BOT_TOKEN does not look like a bot token (xoxb-…); Slack will refuse it if it is not one',
    );
  }
  return warnings;
}

/** The message printed when configuration is bad: one line per problem, and where to look. */
export function formatConfigProblems(problems: string[]): string {
  return [
    'Weave cannot start: the configuration has problems.',
    ...problems.map((p) => `  - ${p}`),
    'Set these in the environment or in a .env file (see .env.example).',
  ].join('\n');
}
