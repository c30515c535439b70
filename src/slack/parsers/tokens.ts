// Shared pieces of slash-command parsing: whitespace normalisation, mention tokens, edit distance and
// safe echoing of what the person typed.
import { escapeText } from '../../domain/text/escape.ts';
import { truncate } from '../../domain/text/truncate.ts';

/** A person named in a command: a Slack-escaped mention (`<@U123|maria>`) or a plain `@name`. */
export type Mention = { type: 'user'; id: string; label?: string } | { type: 'name'; name: string };

/** One token at the start of a command. */
export type LeadToken =
  | Mention
  | { type: 'mass'; name: string }
  | { type: 'channel' }
  | { type: 'hashtag'; word: string }
  | { type: 'separator' }
  | { type: 'word' };

/** Result of reading the run of mentions (and optionally `#tags`) that starts a command. */
export interface LeadScan {
  mentions: Mention[];
  /** Mentions before de-duplication (to tell "the same person twice" from "one person"). */
  rawMentionCount: number;
  hashtags: string[];
  /** The first mass mention or channel met in the run of mentions, which cannot receive anything. */
  problem?: { type: 'mass'; name: string } | { type: 'channel' };
  /** Everything after the run of mentions. */
  rest: string;
}

const SPACES = /\s*/y;
const USER = /<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/y;
const SPECIAL = /<!([^<>|^]*)[^<>]*>/y;
const CHANNEL = /<#[^<>]*>/y;
const MASS_WORD = /@(here|channel|everyone)(?![A-Za-z0-9_-])/iy;
const NAME = /@([^\s<>@#,;:!?()[\]{}"'`*]+)/uy;
const HASHTAG = /#([^\s#<>,;:!?()]+)/uy;
const SEPARATOR = /(?:,|;|:|&amp;|&|\+|and(?=\s))/iy;
const WORD = /\S+/y;

/** Tabs, NBSP and other Unicode spaces become plain spaces (newlines kept); the result is trimmed. */
export function normalizeSpaces(text: string): string {
  return text.replace(/[^\S\n]/g, ' ').trim();
}

/** Collapses runs of spaces, trims each line and drops leading punctuation left after removed tokens. */
export function cleanReason(text: string): string {
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^[\s,;:–—-]+/, '')
    .trim();
}

function matchAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** Token readers in priority order: each turns a match at the current position into a token (or null). */
const READERS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => LeadToken | null]> = [
  [
    USER,
    (m) => {
      const label = m[2]?.trim();
      return { type: 'user', id: m[1] ?? '', ...(label ? { label } : {}) };
    },
  ],
  [SPECIAL, (m) => ({ type: 'mass', name: (m[1] ?? '').toLowerCase() || 'mention' })],
  [CHANNEL, () => ({ type: 'channel' })],
  [MASS_WORD, (m) => ({ type: 'mass', name: (m[1] ?? '').toLowerCase() })],
  [
    NAME,
    (m) => {
      const name = (m[1] ?? '').replace(/\.+$/, '');
      return name === '' ? null : { type: 'name', name };
    },
  ],
  [
    HASHTAG,
    (m) => {
      const word = (m[1] ?? '').replace(/\.+$/, '');
      return word === '' ? null : { type: 'hashtag', word };
    },
  ],
  [SEPARATOR, () => ({ type: 'separator' })],
];

/** Reads the token starting at `pos` (after any spaces); null at the end of the text. */
export function readToken(
  text: string,
  pos: number,
): { token: LeadToken; start: number; end: number } | null {
  const at = pos + (matchAt(SPACES, text, pos)?.[0].length ?? 0);
  if (at >= text.length) return null;
  for (const [re, read] of READERS) {
    const m = matchAt(re, text, at);
    const token = m === null ? null : read(m);
    if (m !== null && token !== null) return { token, start: at, end: at + m[0].length };
  }
  const word = matchAt(WORD, text, at);
  return { token: { type: 'word' }, start: at, end: at + (word?.[0].length ?? 1) };
}

function isPerson(token: LeadToken | undefined): boolean {
  return token?.type === 'user' || token?.type === 'name' || token?.type === 'mass';
}

/**
 * Reads the mentions that start a command, allowing `,` `&` `+` `and` between them and, when
 * `hashtags` is set, `#tags` among them. Stops at the first other token; the remainder is `rest`.
 */
export function scanLeading(text: string, options: { hashtags: boolean }): LeadScan {
  const mentions: Mention[] = [];
  const hashtags: string[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  let raw = 0;
  let pos = 0;
  for (;;) {
    const next = readToken(text, pos);
    if (next === null) break;
    const { token } = next;
    if (token.type === 'user') {
      raw++;
      if (!ids.has(token.id)) {
        ids.add(token.id);
        mentions.push(token);
      }
    } else if (token.type === 'name') {
      raw++;
      const key = token.name.toLowerCase();
      if (!names.has(key)) {
        names.add(key);
        mentions.push(token);
      }
    } else if (token.type === 'mass') {
      return { mentions, rawMentionCount: raw, hashtags, problem: token, rest: text.slice(next.end) };
    } else if (token.type === 'channel' && mentions.length === 0) {
      return { mentions, rawMentionCount: raw, hashtags, problem: token, rest: text.slice(next.end) };
    } else if (token.type === 'hashtag' && options.hashtags && mentions.length > 0) {
      hashtags.push(token.word);
    } else if (
      token.type === 'separator' &&
      mentions.length > 0 &&
      isPerson(readToken(text, next.end)?.token)
    ) {
      // "@a and @b", "@a, @b": the separator belongs to the list of people.
    } else {
      pos = next.start;
      break;
    }
    pos = next.end;
  }
  // A plain @name that repeats the label of an escaped mention is the same person.
  const labels = new Set(
    mentions.flatMap((m) => (m.type === 'user' && m.label ? [m.label.toLowerCase()] : [])),
  );
  const unique = mentions.filter((m) => m.type === 'user' || !labels.has(m.name.toLowerCase()));
  return { mentions: unique, rawMentionCount: raw, hashtags, rest: text.slice(pos) };
}

/** Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours), by code point. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/** The candidate closest to `word` (prefix or small edit distance), or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase().slice(0, 40);
  if (w === '') return undefined;
  if (w.length >= 2) {
    const prefixed = candidates.find((c) => c.startsWith(w));
    if (prefixed !== undefined) return prefixed;
  }
  const limit = w.length <= 2 ? 1 : w.length <= 5 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(w, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** What the person typed, shortened and made safe to show back inside `code` in an ephemeral message. */
export function echo(text: string, max = 40): string {
  return escapeText(truncate(text.replace(/`/g, "'").replace(/\s+/g, ' ').trim(), max));
}
