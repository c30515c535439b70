import { type Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/logger';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config.ts';

export type { Logger };

const REDACTED = '[redacted]';
const NOT_LOGGED = '[not logged]';

/**
 * Keys whose values never reach a log line, compared without case, `_` or `-` (so `Authorization`,
 * `client_secret`, `signing-secret` and `clientSecret` are all caught), at any depth.
 */
const SECRET_KEYS = new Set(
  [
    'token',
    'botToken',
    'appToken',
    'userToken',
    'accessToken',
    'refreshToken',
    'xoxbToken',
    'authorization',
    'proxyAuthorization',
    'cookie',
    'setCookie',
    'clientSecret',
    'signingSecret',
    'stateSecret',
    'secret',
    'password',
    'encryptionKey',
    'encryptionKeys',
    'tokenCiphertext',
    'dataCiphertext',
    'xSlackSignature',
  ].map((k) => normaliseKey(k)),
);
/**
 * Keys that hold message bodies, exports or whole HTTP exchanges (a WebClient error's `original` carries
 * the request it sent): dropped unless the value is a plain number (e.g. `parts: 3`).
 */
const CONTENT_KEYS = new Set(
  [
    'text',
    'blocks',
    'attachments',
    'body',
    'rawBody',
    'payload',
    'parts',
    'view',
    'original',
    'config',
    'request',
  ].map((k) => normaliseKey(k)),
);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Secret-shaped text: Slack tokens (xoxb-, xoxp-, xoxe.xoxp-, xapp-…), dashboard links and sessions. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\bxox[a-z]*[.-][A-Za-z0-9.-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  // A dashboard link's or session's token: `<base64url payload>.<base64url 32-byte MAC>`.
  [/[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, REDACTED],
  [/([?&]t=)[^&\s"']+/g, `$1${REDACTED}`],
  [/(weave_dashboard=)[^;\s"']+/g, `$1${REDACTED}`],
  [/(Bearer\s+)[^\s"']+/gi, `$1${REDACTED}`],
];
/**
 * V8's JSON.parse errors quote the input they failed on (`Unexpected token 'B', "BODY…"... is not valid
 * JSON`), and Bolt logs them for unparseable request bodies: request contents stay out of the logs.
 */
const JSON_INPUT_QUOTE = /(?:Unexpected token [\s\S]*?|"[\s\S]*") is not valid JSON/g;

/** Removes secret-shaped substrings (and configured secret values) from one string. */
export function scrubText(text: string, literals: readonly string[] = []): string {
  let out = text;
  for (const secret of literals) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out.replace(JSON_INPUT_QUOTE, 'not valid JSON (input not logged)');
}

/** A deep copy of a parsed log line with secrets and contents removed, by key and by pattern. */
export function scrubValue(value: unknown, literals: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, literals);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return NOT_LOGGED;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, literals, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = normaliseKey(key);
    if (SECRET_KEYS.has(k) || /(token|secret|password|apikey)$/.test(k)) out[key] = REDACTED;
    else if (CONTENT_KEYS.has(k) && typeof v !== 'number') out[key] = NOT_LOGGED;
    else out[key] = scrubValue(v, literals, depth + 1);
  }
  return out;
}

/** A destination that scrubs every line (pino writes one JSON object per line) before passing it on. */
function scrubbing(destination: DestinationStream, literals: readonly string[]): DestinationStream {
  return {
    write(line: string) {
      let clean: string;
      try {
        clean = `${JSON.stringify(scrubValue(JSON.parse(line), literals))}\n`;
      } catch {
        clean = scrubText(line, literals);
      }
      destination.write(clean);
    },
  };
}

/**
 * The one pino logger of the process. Every line is scrubbed on its way out, whatever a caller passed:
 * secret keys (any case, any depth), token-shaped text in every string (messages, errors, stacks), the
 * configured secret values themselves (`secrets`), and message bodies or exports under content keys.
 */
export function createLogger(
  level: LogLevel,
  destination?: DestinationStream,
  secrets: ReadonlyArray<string | undefined> = [],
): Logger {
  const literals = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return pino({ level, base: { app: 'weave' } }, scrubbing(destination ?? pino.destination(1), literals));
}

/**
 * Adapts pino to the @slack/logger interface that Bolt and the WebClient expect. Their debug output is
 * never forwarded, at any LOG_LEVEL: it holds whole request and response bodies (message texts, data
 * exports, dashboard links). Info and above go through, scrubbed like everything else.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: 'bolt' });
  let threshold: BoltLogLevel = BoltLogLevel.INFO;
  const join = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
      .join(' ');
  const order = [BoltLogLevel.DEBUG, BoltLogLevel.INFO, BoltLogLevel.WARN, BoltLogLevel.ERROR];
  const passes = (l: BoltLogLevel) => order.indexOf(l) >= order.indexOf(threshold);
  return {
    debug: () => {},
    info: (...msg) => {
      if (passes(BoltLogLevel.INFO)) child.info(join(msg));
    },
    warn: (...msg) => {
      if (passes(BoltLogLevel.WARN)) child.warn(join(msg));
    },
    error: (...msg) => child.error(join(msg)),
    setLevel: (level) => {
      // Bolt and the WebClient may only raise the threshold; debug stays off.
      threshold = level === BoltLogLevel.DEBUG ? BoltLogLevel.INFO : level;
    },
    getLevel: () => threshold,
    setName: (name) => {
      child = log.child({ component: name });
    },
  };
}
