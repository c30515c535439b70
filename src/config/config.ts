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
  PGLITE_PROCESS: optionalString.pipe(z.enum(['inline', 'separate']).default('separate')),
  LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { message: `should be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .superRefine((value, ctx) => {
        const r = parseEncryptionKeys(value);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
      })
      .optional(),
  ),
  WEAVE_ADMIN_IDS: optionalString.pipe(
    z
      .string()
      .regex(
        /^(?:[TE][A-Z0-9]+:)?[UW][A-Z0-9]+(\s*,\s*(?:[TE][A-Z0-9]+:)?[UW][A-Z0-9]+)*$/,
        'should be Slack user ids separated by commas, e.g. U012AB,U034CD (with OAuth: workspace and user, e.g. T0123:U012AB)',
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
  SLACK_DISTRIBUTED_APP: optionalString.pipe(
    z.enum(['auto', 'true', 'false'], { message: 'should be auto, true or false' }).default('auto'),
  ),
  SLACK_RATE_BUDGET: optionalString.pipe(
    z.enum(['shared', 'local'], { message: 'should be shared or local' }).default('local'),
  ),
  INBOX_MAX_BACKLOG: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'should be a whole number such as 5000' })
      .int('should be a whole number such as 5000')
      .positive('should be a positive number such as 5000')
      .default(5000),
  ),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, 'should be at least 16 characters (e.g. `openssl rand -hex 24`)').optional(),
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

/** One key of ENCRYPTION_KEY: its id (stored with every value it encrypts) and its secret. */
export interface EncryptionKey {
  id: string;
  secret: string;
}

/** The id of a key configured without one (ENCRYPTION_KEY holding a single plain key). */
export const DEFAULT_KEY_ID = 'default';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Reads ENCRYPTION_KEY: either one plain key (id "default"), or a comma-separated list of `id:key`
 * entries, newest first. Returns the keys, or a problem to report.
 */
export function parseEncryptionKeys(
  value: string,
): { ok: true; keys: EncryptionKey[] } | { ok: false; problem: string } {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const listed =
    entries.length > 1 || entries.some((e) => KEY_ID.test(e.split(':')[0] ?? '') && e.includes(':'));
  const keys: EncryptionKey[] = listed
    ? entries.map((e) => {
        const at = e.indexOf(':');
        return { id: at > 0 ? e.slice(0, at) : '', secret: at > 0 ? e.slice(at + 1) : e };
      })
    : [{ id: DEFAULT_KEY_ID, secret: entries[0] ?? '' }];
  for (const k of keys) {
    if (!KEY_ID.test(k.id))
      return {
        ok: false,
        problem: 'should list keys as id:key separated by commas (newest first), e.g. k2:…,k1:…',
      };
    if (k.secret.length < 32)
      return {
        ok: false,
        problem: `key "${k.id}" should be at least 32 characters (e.g. \`openssl rand -base64 32\`)`,
      };
  }
  if (new Set(keys.map((k) => k.id)).size !== keys.length)
    return { ok: false, problem: 'lists the same key id twice' };
  return { ok: true, keys };
}

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
  const bareAdmins = (env.WEAVE_ADMIN_IDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '' && !id.includes(':'));
  if (oauthCount === 3 && bareAdmins.length > 0) {
    problems.push(
      `WEAVE_ADMIN_IDS must name the workspace with each user when Weave serves several workspaces (OAuth), e.g. T0123:${bareAdmins[0]}; a bare user id would make that id an admin in every workspace`,
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
  database:
    | { kind: 'postgres'; url: string }
    /** `process`: PGlite inside Weave's process (inline) or in one of its own (separate). */
    | { kind: 'pglite'; dataDir: string; process: 'inline' | 'separate' };
  logLevel: LogLevel;
  /** The secret of ENCRYPTION_KEY's first (newest) key. */
  encryptionKey: string | undefined;
  /** Every key of ENCRYPTION_KEY, newest first: writes use the first, reads the one a value names. */
  encryptionKeys: EncryptionKey[];
  adminIds: string[];
  schedulerTickMs: number;
  /** How long a claimed outbox message stays reserved for a worker that may have died. */
  outboxLeaseMs: number;
  /**
   * Whether Slack treats Weave as a commercially distributed app outside the Marketplace, which limits
   * conversations.history to 1 call a minute (default: yes with OAuth installs, no with one token).
   */
  distributedApp: boolean;
  /** Inputs stored and not yet processed above which HTTP-mode events are refused with 503. */
  inboxMaxBacklog: number;
  /** Bearer token for `GET /metrics`; without one the route does not exist. */
  metricsToken: string | undefined;
  /**
   * Where Slack's rate budget lives: `local` to this process (the default), or `shared` in the database,
   * for several replicas on one PostgreSQL database that must stay within Slack's limits together.
   */
  rateBudget: 'shared' | 'local';
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
  const parsedKeys = e.ENCRYPTION_KEY ? parseEncryptionKeys(e.ENCRYPTION_KEY) : null;
  const encryptionKeys = parsedKeys?.ok ? parsedKeys.keys : [];
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
        : { kind: 'pglite', dataDir: e.DATA_DIR, process: e.PGLITE_PROCESS },
      logLevel: e.LOG_LEVEL,
      encryptionKey: encryptionKeys[0]?.secret,
      encryptionKeys,
      adminIds: e.WEAVE_ADMIN_IDS ? e.WEAVE_ADMIN_IDS.split(',').map((s) => s.trim()) : [],
      schedulerTickMs: Math.round(e.SCHEDULER_TICK_SECONDS * 1000),
      outboxLeaseMs: Math.round(e.OUTBOX_LEASE_SECONDS * 1000),
      distributedApp:
        e.SLACK_DISTRIBUTED_APP === 'auto' ? auth.kind === 'oauth' : e.SLACK_DISTRIBUTED_APP === 'true',
      inboxMaxBacklog: e.INBOX_MAX_BACKLOG,
      metricsToken: e.METRICS_TOKEN,
      rateBudget: e.SLACK_RATE_BUDGET,
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
