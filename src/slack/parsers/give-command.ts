// `/give @person [@person…] [#kind] <reason>`: text in, a plain value out (never throws).
import {
  DEFAULT_GIVE_KIND,
  GIVE_KINDS,
  type GiveKind,
  listGiveKinds,
  parseGiveKind,
} from '../../domain/gives/kinds.ts';
import { MAX_REASON_LENGTH, MIN_REASON_LENGTH, reasonLength } from '../../domain/gives/rules.ts';
import { cleanReason, closest, echo, editDistance, normalizeSpaces, scanLeading } from './tokens.ts';

/** Why `/give` text could not be read. */
export type GiveCommandErrorCode =
  | 'empty'
  | 'no_receiver'
  | 'mass_mention'
  | 'not_a_person'
  | 'unknown_kind'
  | 'multiple_kinds'
  | 'reason_missing'
  | 'reason_too_short'
  | 'too_long';

/** A parsed `/give`: receivers by id, plain `@names` for the caller to resolve, the kind and the reason. */
export type GiveCommand =
  | { ok: true; receivers: string[]; unresolvedNames: string[]; kind: GiveKind; reason: string }
  | { ok: false; code: GiveCommandErrorCode; message: string };

/** Limits applied while parsing (defaults: reason of 10 to 2,000 characters). */
export interface GiveCommandOptions {
  minReasonLength?: number;
  maxReasonLength?: number;
}

/** An example `/give` people can copy. */
export const GIVE_EXAMPLE = '`/give @maria #help thanks for reviewing the deck`';

const REASON_HASHTAG = /(^|\s)#([\p{L}\p{N}_-]+)(?=$|[\s,.;:!?)])/gu;

function fail(code: GiveCommandErrorCode, message: string): GiveCommand {
  return { ok: false, code, message };
}

function unknownKind(word: string): GiveCommand {
  const guess = closest(word, GIVE_KINDS);
  const hint = guess === undefined ? '' : ` Did you mean \`#${guess}\`?`;
  return fail(
    'unknown_kind',
    `\`#${echo(word, 30)}\` isn't a kind of give.${hint} Use ${listGiveKinds()}, or leave it out for \`#help\`. Try ${GIVE_EXAMPLE}`,
  );
}

/** True when an unknown `#word` in the reason is close enough to a kind to be a typo of one. */
function looksLikeKindTypo(word: string): boolean {
  const w = word.toLowerCase();
  const limit = w.length < 6 ? 1 : 2;
  return w.length >= 3 && GIVE_KINDS.some((k) => editDistance(w, k) <= limit);
}

/**
 * Pulls `#kind` tags out of the reason: a tag at the start or end is removed, one mid-sentence keeps its
 * word ("thanks for the #mentoring session" → "thanks for the mentoring session"). Unknown tags stay as
 * written unless they look like a misspelt kind.
 */
function extractReasonKinds(reason: string): { kinds: GiveKind[]; reason: string } | { typo: string } {
  const kinds: GiveKind[] = [];
  let typo: string | undefined;
  const edited = reason.replace(REASON_HASHTAG, (match, before: string, word: string, offset: number) => {
    const kind = parseGiveKind(word);
    if (kind === undefined) {
      if (typo === undefined && looksLikeKindTypo(word)) typo = word;
      return match;
    }
    kinds.push(kind);
    const atStart = reason.slice(0, offset).trim() === '';
    const atEnd = /^[\s,.;:!?)]*$/.test(reason.slice(offset + match.length));
    return atStart || atEnd ? before : `${before}${word}`;
  });
  return typo === undefined ? { kinds, reason: edited } : { typo };
}

/**
 * Parses `/give` text: one or more people (`<@U123>`, `<@U123|name>` or plain `@name`), an optional
 * `#kind` (default `#help`) and a reason. Errors say what to type instead.
 */
export function parseGiveCommand(text: string, options: GiveCommandOptions = {}): GiveCommand {
  const min = options.minReasonLength ?? MIN_REASON_LENGTH;
  const max = options.maxReasonLength ?? MAX_REASON_LENGTH;
  const input = normalizeSpaces(text);
  if (input === '') {
    return fail('empty', `Who would you like to thank, and for what? Try ${GIVE_EXAMPLE}`);
  }
  const scan = scanLeading(input, { hashtags: true });
  if (scan.problem?.type === 'mass') {
    return fail(
      'mass_mention',
      `Mention people, not channels or groups: a give goes to each person you name. Try ${GIVE_EXAMPLE}`,
    );
  }
  if (scan.problem?.type === 'channel') {
    return fail('not_a_person', `That's a channel; mention a person instead. Try ${GIVE_EXAMPLE}`);
  }
  if (scan.mentions.length === 0) {
    const later = /<@[UW][A-Z0-9]+|(^|\s)@\S/.test(input);
    return fail(
      'no_receiver',
      later
        ? `Start with the person you're thanking, then the reason. Try ${GIVE_EXAMPLE}`
        : `Who would you like to thank? Mention them first. Try ${GIVE_EXAMPLE}`,
    );
  }
  const kinds: GiveKind[] = [];
  for (const tag of scan.hashtags) {
    const kind = parseGiveKind(tag);
    if (kind === undefined) return unknownKind(tag);
    kinds.push(kind);
  }
  const extracted = extractReasonKinds(scan.rest);
  if ('typo' in extracted) return unknownKind(extracted.typo);
  kinds.push(...extracted.kinds);
  const distinct = [...new Set(kinds)];
  if (distinct.length > 1) {
    return fail(
      'multiple_kinds',
      `Pick one kind per give (you used ${distinct.map((k) => `\`#${k}\``).join(' and ')}). Try ${GIVE_EXAMPLE}`,
    );
  }
  const reason = cleanReason(extracted.reason);
  if (reason === '') {
    return fail(
      'reason_missing',
      `Add what they did, so they know what you're thanking them for. Try ${GIVE_EXAMPLE}`,
    );
  }
  const length = reasonLength(reason);
  if (length > max) {
    return fail(
      'too_long',
      `That reason is ${length.toLocaleString('en-US')} characters; keep it under ${max.toLocaleString('en-US')}. A sentence or two is plenty, like ${GIVE_EXAMPLE}`,
    );
  }
  if (length < min) {
    return fail(
      'reason_too_short',
      `Say a bit more about what they did (at least ${min} characters). Try ${GIVE_EXAMPLE}`,
    );
  }
  return {
    ok: true,
    receivers: scan.mentions.flatMap((m) => (m.type === 'user' ? [m.id] : [])),
    unresolvedNames: scan.mentions.flatMap((m) => (m.type === 'name' ? [m.name] : [])),
    kind: distinct[0] ?? DEFAULT_GIVE_KIND,
    reason,
  };
}
