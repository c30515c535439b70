// `/intro …` text → a discriminated union of what to do, or a friendly error. Pure: the clock and the
// caller's time zone are passed in; never throws on any text.
import { MAX_REASON_LENGTH, reasonLength } from '../../domain/gives/rules.ts';
import { addCalendarDays, type LocalDate } from '../../domain/schedule/local-date.ts';
import {
  addLocalDays,
  isValidTimeZone,
  zonedDateTimeToInstant,
  zonedParts,
} from '../../domain/schedule/zoned-time.ts';
import { graphemeLength } from '../../domain/text/truncate.ts';
import { cleanReason, closest, echo, normalizeSpaces, scanLeading } from './tokens.ts';

/** Subcommands as people type them after `/intro`. */
export const INTRO_SUBCOMMANDS = [
  'help',
  'find',
  'me',
  'profile',
  'pause',
  'resume',
  'skip',
  'leave',
  'data',
  'forget',
  'admin',
  'preview',
  'round now',
] as const;

/** Longest `/intro find` topic, in characters. */
export const MAX_TOPIC_LENGTH = 100;
/** Days paused by a bare `/intro pause`. */
export const DEFAULT_PAUSE_DAYS = 7;

/** Subcommands that take no arguments (extra words after them are ignored). */
export type IntroSimpleCommand =
  | 'me'
  | 'profile'
  | 'resume'
  | 'skip'
  | 'leave'
  | 'data'
  | 'forget'
  | 'admin'
  | 'preview'
  | 'round_now'
  | 'admin_departments';

/** Why `/intro` text could not be read. */
export type IntroCommandErrorCode =
  | 'unknown_subcommand'
  | 'no_person'
  | 'mass_mention'
  | 'not_a_person'
  | 'same_person'
  | 'too_many_people'
  | 'too_long'
  | 'topic_missing'
  | 'topic_too_long'
  | 'pause_invalid'
  | 'pause_in_past'
  | 'pause_too_long';

/** What an `/intro` command asks for. */
export type IntroCommand =
  | { ok: true; type: 'help' }
  | { ok: true; type: 'introduce'; userIds: string[]; unresolvedNames: string[]; reason?: string }
  | { ok: true; type: 'introduce_modal'; userId?: string; unresolvedName?: string; reason?: string }
  | { ok: true; type: 'find'; topic: string }
  | { ok: true; type: 'pause'; until: Date }
  | { ok: true; type: IntroSimpleCommand }
  | { ok: false; code: IntroCommandErrorCode; message: string };

/** Clock and zone the command is read against: `until` dates end at the caller's local midnight. */
export interface IntroCommandContext {
  now: Date;
  /** The caller's IANA time zone (unknown zones fall back to UTC). */
  tz: string;
}

const SIMPLE: Readonly<Record<string, IntroSimpleCommand>> = {
  me: 'me',
  profile: 'profile',
  resume: 'resume',
  skip: 'skip',
  leave: 'leave',
  data: 'data',
  forget: 'forget',
  admin: 'admin',
  preview: 'preview',
};

/** Words people try that mean an existing subcommand; suggested, not run. */
const SYNONYMS: Readonly<Record<string, string>> = {
  unpause: 'resume',
  start: 'resume',
  stop: 'leave',
  quit: 'leave',
  optout: 'leave',
  'opt-out': 'leave',
  unsubscribe: 'leave',
  export: 'data',
  delete: 'forget',
  erase: 'forget',
  settings: 'admin',
  config: 'admin',
  status: 'help',
  search: 'find',
  who: 'find',
  run: 'round now',
  now: 'round now',
  roundnow: 'round now',
  'round-now': 'round now',
  round_now: 'round now',
};

const INTRODUCE_EXAMPLE = '`/intro @maria @sam you both work on onboarding`';

function fail(code: IntroCommandErrorCode, message: string): IntroCommand {
  return { ok: false, code, message };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDate = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

function localDate(at: Date, tz: string): LocalDate {
  const { year, month, day } = zonedParts(at, tz);
  return { year, month, day };
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Local midnight that ends `date` in `tz`. */
function endOfLocalDay(date: LocalDate, tz: string): Date {
  return zonedDateTimeToInstant({ ...addCalendarDays(date, 1), hour: 0, minute: 0 }, tz);
}

/** The same local date `months` calendar months later (day clamped to the month's length). */
function addMonthsToDate(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = addCalendarDays({ year, month: month + 1, day: 1 }, -1).day;
  return { year, month, day: Math.min(date.day, lastDay) };
}

/** `now` moved by `months` local calendar months, keeping its local time of day. */
function addLocalMonths(now: Date, tz: string, months: number): Date {
  const p = zonedParts(now, tz);
  const date = addMonthsToDate(p, months);
  const base = zonedDateTimeToInstant({ ...date, hour: p.hour, minute: p.minute }, tz);
  return new Date(base.getTime() + p.second * 1000 + (now.getTime() % 1000));
}

const UNIT_DAYS: Readonly<Record<string, number>> = { d: 1, w: 7 };

function unitOf(word: string): 'd' | 'w' | 'mo' | 'y' | undefined {
  if (/^(d|days?)$/.test(word)) return 'd';
  if (/^(w|wks?|weeks?)$/.test(word)) return 'w';
  if (/^(mo|mos|months?)$/.test(word)) return 'mo';
  if (/^(y|yrs?|years?)$/.test(word)) return 'y';
  return undefined;
}

/** Reads a calendar date `YYYY-MM-DD` (also `/` or `.` separated); undefined when malformed or not a real date. */
function parseIsoDate(text: string): LocalDate | undefined {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1) return undefined;
  return compareDates(addCalendarDays(date, 0), date) === 0 ? date : undefined;
}

function parsePause(args: string, { now, tz }: IntroCommandContext): IntroCommand {
  const today = localDate(now, tz);
  const example = isoDate(addCalendarDays(today, 14));
  const lastDay = addMonthsToDate(today, 12);
  const latest = endOfLocalDay(lastDay, tz);
  const examples = `\`/intro pause\` (one week), \`/intro pause 2w\`, \`/intro pause 10d\` or \`/intro pause until ${example}\``;
  const invalid = () =>
    fail(
      'pause_invalid',
      `I couldn't read how long to pause. Try ${examples}. To stop for good, use \`/intro leave\`.`,
    );
  const tooLong = () =>
    fail(
      'pause_too_long',
      `You can pause for up to a year (until ${isoDate(lastDay)}). Try \`/intro pause until ${example}\`, or \`/intro leave\` to stop for good.`,
    );
  const rest = args
    .toLowerCase()
    .replace(/^for\s+/, '')
    .trim();
  if (rest === '') return { ok: true, type: 'pause', until: addLocalDays(now, tz, DEFAULT_PAUSE_DAYS) };

  const dateText = /^until\s+(\S+)$/.exec(rest)?.[1] ?? (/^\d{4}[-/.]/.test(rest) ? rest : undefined);
  if (dateText !== undefined || rest === 'until' || rest.startsWith('until ')) {
    const date = dateText === undefined ? undefined : parseIsoDate(dateText);
    if (date === undefined) {
      return fail(
        'pause_invalid',
        `Write the date as year-month-day, e.g. \`/intro pause until ${example}\`.`,
      );
    }
    if (compareDates(date, today) < 0) {
      return fail(
        'pause_in_past',
        `${isoDate(date)} has already passed. Pick a date from today on, e.g. \`/intro pause until ${example}\`.`,
      );
    }
    if (compareDates(date, lastDay) > 0) return tooLong();
    return { ok: true, type: 'pause', until: endOfLocalDay(date, tz) };
  }

  const m = /^(\d{1,9}|a|an|one)?\s*([a-z]+)$/.exec(rest);
  const unit = m === null ? undefined : unitOf(m[2] ?? '');
  if (m === null || unit === undefined) return invalid();
  const amount = m[1] === undefined || !/^\d/.test(m[1]) ? 1 : Number(m[1]);
  if (m[1] === undefined && /^[dwy]$|^mo$/.test(m[2] ?? '')) return invalid();
  if (amount <= 0) return invalid();
  const months = unit === 'y' ? amount * 12 : unit === 'mo' ? amount : 0;
  const days = unit === 'd' || unit === 'w' ? amount * (UNIT_DAYS[unit] ?? 1) : 0;
  if (months > 12 || days > 366) return tooLong();
  const until = months > 0 ? addLocalMonths(now, tz, months) : addLocalDays(now, tz, days);
  return until.getTime() > latest.getTime() ? tooLong() : { ok: true, type: 'pause', until };
}

function parseFind(args: string): IntroCommand {
  const topic = args
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .trim();
  if (topic === '') {
    return fail(
      'topic_missing',
      'What should they know about? Try `/intro find kubernetes` or `/intro find pricing`.',
    );
  }
  const length = graphemeLength(topic);
  if (length > MAX_TOPIC_LENGTH) {
    return fail(
      'topic_too_long',
      `That topic is ${length.toLocaleString('en-US')} characters; keep it under ${MAX_TOPIC_LENGTH}, a word or two works best. Try \`/intro find kubernetes\`.`,
    );
  }
  return { ok: true, type: 'find', topic };
}

function parseIntroduce(input: string): IntroCommand {
  const scan = scanLeading(input, { hashtags: false });
  if (scan.problem?.type === 'mass') {
    return fail('mass_mention', `Mention people, not channels or groups. Try ${INTRODUCE_EXAMPLE}`);
  }
  if (scan.problem?.type === 'channel') {
    return fail('not_a_person', `That's a channel; mention two people instead. Try ${INTRODUCE_EXAMPLE}`);
  }
  const people = scan.mentions;
  if (people.length === 0) {
    return fail('no_person', `Mention the two people you'd like to introduce. Try ${INTRODUCE_EXAMPLE}`);
  }
  if (people.length === 1 && scan.rawMentionCount > 1) {
    return fail('same_person', `Introduce two different people. Try ${INTRODUCE_EXAMPLE}`);
  }
  if (people.length > 2) {
    return fail(
      'too_many_people',
      `Intros are for two people at a time (you mentioned ${people.length}). Try ${INTRODUCE_EXAMPLE}, then another for the next pair.`,
    );
  }
  const reason = cleanReason(scan.rest);
  const length = reasonLength(reason);
  if (length > MAX_REASON_LENGTH) {
    return fail(
      'too_long',
      `That's ${length.toLocaleString('en-US')} characters; keep the reason under ${MAX_REASON_LENGTH.toLocaleString('en-US')}. A sentence or two is plenty, like ${INTRODUCE_EXAMPLE}`,
    );
  }
  const withReason = reason === '' ? {} : { reason };
  const [first] = people;
  if (people.length === 1 && first !== undefined) {
    return first.type === 'user'
      ? { ok: true, type: 'introduce_modal', userId: first.id, ...withReason }
      : { ok: true, type: 'introduce_modal', unresolvedName: first.name, ...withReason };
  }
  return {
    ok: true,
    type: 'introduce',
    userIds: people.flatMap((m) => (m.type === 'user' ? [m.id] : [])),
    unresolvedNames: people.flatMap((m) => (m.type === 'name' ? [m.name] : [])),
    ...withReason,
  };
}

function unknownSubcommand(word: string, input: string): IntroCommand {
  const lower = word.toLowerCase();
  const guess =
    (Object.hasOwn(SYNONYMS, lower) ? SYNONYMS[lower] : undefined) ?? closest(lower, INTRO_SUBCOMMANDS);
  const said = `I don't know \`/intro ${echo(word)}\`.`;
  if (guess !== undefined) {
    return fail(
      'unknown_subcommand',
      `${said} Did you mean \`/intro ${guess}\`? \`/intro help\` lists everything.`,
    );
  }
  const topic = input.replace(/\s+/g, ' ');
  const find =
    graphemeLength(topic.slice(0, 4 * MAX_TOPIC_LENGTH)) <= MAX_TOPIC_LENGTH && /[\p{L}\p{N}]/u.test(topic)
      ? ` To find people who know about it, try \`/intro find ${echo(topic, MAX_TOPIC_LENGTH)}\`;`
      : '';
  return fail('unknown_subcommand', `${said}${find} \`/intro help\` lists everything I can do.`);
}

/**
 * Parses `/intro` text (case-insensitive subcommands, any spacing) into what to do: help, introduce two
 * people (one person → a prefilled modal), find, pause until a date, and the argument-free subcommands.
 * Unknown input gets an error naming the closest subcommand.
 */
export function parseIntroCommand(text: string, context: IntroCommandContext): IntroCommand {
  const ctx = { now: context.now, tz: isValidTimeZone(context.tz) ? context.tz : 'UTC' };
  const input = normalizeSpaces(text);
  if (input === '') return { ok: true, type: 'help' };
  if (/^(<[@!#]|@)/.test(input)) return parseIntroduce(input);
  const space = input.search(/\s/);
  const word = space === -1 ? input : input.slice(0, space);
  const args = space === -1 ? '' : input.slice(space + 1).trim();
  const sub = word.toLowerCase();
  if (sub === 'help' || sub === '?') return { ok: true, type: 'help' };
  if (sub === 'find') return parseFind(args);
  if (sub === 'pause') return parsePause(args, ctx);
  if (sub === 'round') {
    if (/^now\b/i.test(args)) return { ok: true, type: 'round_now' };
    return fail(
      'unknown_subcommand',
      "To run this channel's round now, type `/intro round now`. `/intro help` lists everything.",
    );
  }
  if (sub === 'admin' && /^dep/i.test(args)) return { ok: true, type: 'admin_departments' };
  const simple = Object.hasOwn(SIMPLE, sub) ? SIMPLE[sub] : undefined;
  if (simple !== undefined) return { ok: true, type: simple };
  if (sub === 'departments' || sub === 'department') {
    return fail(
      'unknown_subcommand',
      'Departments are an admin setting: `/intro admin departments`. `/intro help` lists everything.',
    );
  }
  return unknownSubcommand(word, input);
}
