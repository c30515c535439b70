import { type Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/logger';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config.ts';

export type { Logger };

/** Paths redacted from every log line: tokens, secrets and Slack request bodies' credentials. */
const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'access_token',
  'clientSecret',
  'signingSecret',
  'stateSecret',
  'encryptionKey',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.token',
  '*.botToken',
  '*.access_token',
  '*.clientSecret',
  '*.signingSecret',
  'config.auth',
  'config.encryptionKey',
];

/** Secret-shaped substrings removed from free-text messages (Bolt and WebClient log strings). */
const SECRET_PATTERN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)/g;
/**
 * V8's JSON.parse errors quote the input they failed on (`Unexpected token 'B', "BODY…"... is not valid
 * JSON`), and Bolt logs them for unparseable request bodies: request contents stay out of the logs.
 */
const JSON_INPUT_QUOTE = /(?:Unexpected token [\s\S]*?|"[\s\S]*") is not valid JSON/g;

const scrub = (text: string) =>
  text.replace(SECRET_PATTERN, '[redacted]').replace(JSON_INPUT_QUOTE, 'not valid JSON (input not logged)');

/** The one pino logger of the process; secrets redacted by path and by pattern. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'weave' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const toPino: Record<BoltLogLevel, LogLevel> = {
  [BoltLogLevel.DEBUG]: 'debug',
  [BoltLogLevel.INFO]: 'info',
  [BoltLogLevel.WARN]: 'warn',
  [BoltLogLevel.ERROR]: 'error',
};

/** Adapts pino to the @slack/logger interface that Bolt and the WebClient expect. */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: 'bolt' });
  const join = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
      .join(' ');
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: (level) => {
      child.level = toPino[level];
    },
    getLevel: () => {
      const found = Object.entries(toPino).find(([, v]) => v === child.level);
      return (found?.[0] as BoltLogLevel | undefined) ?? BoltLogLevel.INFO;
    },
    setName: (name) => {
      child = log.child({ component: name });
    },
  };
}
