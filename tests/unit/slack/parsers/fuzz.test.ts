import { describe, expect, it } from 'vitest';
import { GIVE_KINDS } from '../../../../src/domain/gives/kinds.ts';
import { reasonLength } from '../../../../src/domain/gives/rules.ts';
import { parseGiveCommand } from '../../../../src/slack/parsers/give-command.ts';
import { INTRO_SUBCOMMANDS, parseIntroCommand } from '../../../../src/slack/parsers/intro-command.ts';

/** Mulberry32: a small seeded generator, so every run fuzzes the same texts. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  // Valid syntax.
  '<@U123ABC>',
  '<@U9|maria>',
  '<@W0AB12|sam>',
  '@maria',
  '@sam.lee',
  '@',
  '#help',
  '#mentoring',
  '#FEEDBACK',
  '#intro',
  '#expertise',
  '#thanks',
  '#mentorng',
  ...INTRO_SUBCOMMANDS,
  'round',
  'now',
  'until',
  '2026-12-31',
  '2025-01-01',
  '2026-02-30',
  '9999-99-99',
  '2w',
  '10d',
  '3 weeks',
  '0d',
  '-1w',
  '13mo',
  '1y',
  'and',
  ',',
  '&amp;',
  '&',
  ':',
  'for',
  'thanks for reviewing the deck',
  'you both work on onboarding',
  // Hostile or odd.
  '<!here>',
  '<!channel>',
  '<!everyone>',
  '<!subteam^S123|@eng>',
  '<!date^1|x>',
  '@here',
  '@channel',
  '<#C1|general>',
  '<',
  '>',
  '<<>>',
  '<@',
  '<@U1',
  '|',
  '`',
  '*',
  '_',
  '~',
  '\\',
  '"',
  "'",
  '%s',
  '{{x}}',
  '__proto__',
  'constructor',
  '\u0000',
  '\u00a0',
  '\t',
  '\n',
  '\r\n',
  '\u200b',
  '\u200d',
  '\u202e',
  '\ufeff',
  '\u3000',
  '\ud800',
  '\udc00',
  // Other languages and emoji.
  '日本語',
  'ありがとう',
  'العربية',
  'شكرا',
  'עברית',
  'Ελληνικά',
  'Ünïcödé',
  'e\u0301',
  '👩‍💻',
  '👨‍👩‍👧‍👦',
  '🇯🇵',
  '🏳️‍🌈',
  '🙏🏽',
  '🎁',
  ':gift:',
  ':gift::skin-tone-3:',
  '١٢٣',
  '２w',
];

/** Valid beginnings, so half the texts get past the first token and exercise the deeper paths. */
const STARTS = [
  '<@U123ABC> ',
  '<@U9|maria> #help ',
  '@maria ',
  '<@U1> <@U2> ',
  '@maria and @sam ',
  'pause ',
  'pause until ',
  'pause 2',
  'find ',
  'round now',
  'help ',
  'me ',
  'skip ',
];

function randomText(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const parts: string[] = next() < 0.5 ? [pick(STARTS)] : [];
  const count = Math.floor(next() * 12);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.6) parts.push(pick(FRAGMENTS));
    else if (roll < 0.85) {
      // Random code points anywhere in Unicode, lone surrogates included.
      const n = 1 + Math.floor(next() * 6);
      parts.push(
        Array.from({ length: n }, () => String.fromCodePoint(Math.floor(next() * 0x110000))).join(''),
      );
    } else if (roll < 0.97) parts.push(pick(FRAGMENTS).repeat(1 + Math.floor(next() * 40)));
    else parts.push(pick(FRAGMENTS).repeat(1 + Math.floor(next() * 3000)));
  }
  const glue = () => pick([' ', ' ', ' ', '', '  ', '\t', '\u00a0', '\n']);
  return parts.map((p) => p + glue()).join('');
}

function texts(seed: number, n: number): string[] {
  const next = seeded(seed);
  return Array.from({ length: n }, () => randomText(next));
}

/** An error message is helpful: short, says what to type, shows nothing broken or notifying. */
function expectHelpful(message: string, command: '/give' | '/intro'): void {
  expect(typeof message).toBe('string');
  expect(message.trim().length).toBeGreaterThan(20);
  expect(message.length).toBeLessThan(800);
  expect(message).toContain(`\`${command}`);
  expect(message).not.toMatch(/undefined|NaN|\[object|Error:/);
  expect(message).not.toMatch(/<!|(^|[^A-Za-z0-9_])@(here|channel|everyone)(?![A-Za-z0-9_-])/i);
}

describe('fuzz: 2,000 random command texts', () => {
  const now = new Date('2026-03-10T17:00:00Z');

  it('/give never throws and every error explains itself', () => {
    const codes = new Set<string>();
    for (const text of texts(20260310, 2000)) {
      let result: ReturnType<typeof parseGiveCommand> | undefined;
      expect(
        () => {
          result = parseGiveCommand(text);
        },
        JSON.stringify(text.slice(0, 200)),
      ).not.toThrow();
      if (result === undefined) continue;
      if (result.ok) {
        codes.add('ok');
        expect(result.receivers.length + result.unresolvedNames.length).toBeGreaterThan(0);
        expect(new Set(result.receivers).size).toBe(result.receivers.length);
        for (const id of result.receivers) expect(id).toMatch(/^[UW][A-Z0-9]+$/);
        expect(GIVE_KINDS).toContain(result.kind);
        expect(reasonLength(result.reason)).toBeGreaterThanOrEqual(10);
        expect(reasonLength(result.reason)).toBeLessThanOrEqual(2000);
      } else {
        codes.add(result.code);
        expectHelpful(result.message, '/give');
      }
    }
    // The generator reaches the interesting paths, not just one error.
    expect(codes.size).toBeGreaterThanOrEqual(6);
  });

  it.each(['America/Los_Angeles', 'Pacific/Auckland', 'UTC', 'Bad/Zone'])(
    '/intro (caller in %s) never throws and every error explains itself',
    (tz) => {
      const codes = new Set<string>();
      const yearLater = now.getTime() + 367 * 24 * 3_600_000;
      for (const text of texts(tz.length * 7919, 2000)) {
        let result: ReturnType<typeof parseIntroCommand> | undefined;
        expect(
          () => {
            result = parseIntroCommand(text, { now, tz });
          },
          JSON.stringify(text.slice(0, 200)),
        ).not.toThrow();
        if (result === undefined) continue;
        if (!result.ok) {
          codes.add(result.code);
          expectHelpful(result.message, '/intro');
          continue;
        }
        codes.add(result.type);
        if (result.type === 'pause') {
          expect(result.until.getTime()).toBeGreaterThan(now.getTime());
          expect(result.until.getTime()).toBeLessThanOrEqual(yearLater);
        }
        if (result.type === 'find') {
          expect(result.topic.trim()).toBe(result.topic);
          expect(result.topic).not.toBe('');
        }
        if (result.type === 'introduce') {
          expect(result.userIds.length + result.unresolvedNames.length).toBe(2);
        }
      }
      expect(codes.size).toBeGreaterThanOrEqual(8);
    },
  );
});
