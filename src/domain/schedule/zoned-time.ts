// Time-zone math with `Intl` only: reading wall-clock parts of an instant and resolving wall-clock times
// back to instants, DST-correct. Pure: every instant is passed in.
import {
  addCalendarDays,
  isoWeekday,
  type LocalDateTime,
  MS_PER_DAY,
  MS_PER_MINUTE,
  mod,
  wallClockMs,
} from './local-date.ts';

/** Wall-clock parts of an instant in a time zone; `weekday` is ISO (1 = Monday … 7 = Sunday). */
export interface ZonedParts extends LocalDateTime {
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

function assertValidDate(at: Date): number {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Invalid Date');
  return t;
}

/** True when `tz` is a time zone `Intl` knows (IANA name such as `Europe/Berlin`, or `UTC`). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock parts of `at` in `tz` (throws RangeError for an unknown zone or an invalid date). */
export function zonedParts(at: Date, tz: string): ZonedParts {
  assertValidDate(at);
  // en-US numeric output is "M/D/YYYY, HH:mm:ss"; reading the digit runs is ~3× faster than formatToParts.
  const digits = formatter(tz).format(at).match(/\d+/g);
  if (digits === null || digits.length < 6) throw new RangeError(`Cannot read a date in time zone ${tz}`);
  const [month, day, year, h, minute, second] = digits.map(Number);
  const hour = h === 24 ? 0 : h!;
  return {
    year: year!,
    month: month!,
    day: day!,
    hour,
    minute: minute!,
    second: second!,
    weekday: isoWeekday({ year: year!, month: month!, day: day! }),
  };
}

/** Offset of `tz` from UTC at instant `t` in ms (wall clock minus UTC), at one-second resolution. */
function offsetMsAt(t: number, tz: string): number {
  const p = zonedParts(new Date(t), tz);
  const floorSecond = t - mod(t, 1000);
  return wallClockMs(p.year, p.month, p.day, p.hour, p.minute, p.second) - floorSecond;
}

/** Wall-clock parts of a UTC wall-clock time in ms (no zone involved). */
function partsOfWallClock(wall: number): ZonedParts {
  const d = new Date(wall);
  const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  return {
    ...date,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: isoWeekday(date),
  };
}

/** Spans up to this long have at most one offset change in any real zone (transitions are months apart). */
const ONE_OFFSET_SPAN_MS = 26 * 60 * MS_PER_MINUTE;

/**
 * `zonedParts` for many instants within [from, to] in one zone: when the offset is the same at both ends
 * of a span shorter than a day, it holds throughout and each instant's parts are arithmetic, not an
 * `Intl` call; otherwise each instant is read with `Intl`. Same results as `zonedParts`.
 */
export function zonedPartsWithin(tz: string, from: number, to: number): (t: number) => ZonedParts {
  if (to - from <= ONE_OFFSET_SPAN_MS) {
    const offset = offsetMsAt(from, tz);
    if (offsetMsAt(to, tz) === offset) return (t) => partsOfWallClock(t - mod(t, 1000) + offset);
  }
  return (t) => zonedParts(new Date(t), tz);
}

/** Offset of `tz` from UTC at `at`, in minutes (local minus UTC: Europe/Berlin in winter → 60). */
export function tzOffsetMinutes(at: Date, tz: string): number {
  return Math.round(offsetMsAt(assertValidDate(at), tz) / MS_PER_MINUTE);
}

/**
 * The instant at which the wall clock in `tz` shows `local`; a nonexistent time (spring-forward gap) moves
 * forward to the first valid instant (the transition), an ambiguous one (fall-back) takes the earlier instant.
 */
export function zonedDateTimeToInstant(local: LocalDateTime, tz: string): Date {
  // Out-of-range fields roll over (e.g. hour 24 → next day 00:00).
  const target = wallClockMs(local.year, local.month, local.day, local.hour, local.minute);
  if (!Number.isFinite(target)) throw new RangeError('Invalid local date-time');
  // Real offsets lie within ±14 h, so the instant is within a day of `target`; sample the offsets in force
  // around it (before and after any transition) and keep the candidates whose wall clock matches.
  const before = offsetMsAt(target - MS_PER_DAY, tz);
  const after = offsetMsAt(target + MS_PER_DAY, tz);
  if (before === after && offsetMsAt(target - before, tz) === before) return new Date(target - before);
  const offsets = new Set([before, offsetMsAt(target, tz), after]);
  const candidates = [...offsets].map((o) => target - o).sort((a, b) => a - b);
  for (const c of candidates) {
    if (offsetMsAt(c, tz) === target - c) return new Date(c);
  }
  // Gap: the transition lies between the candidates; binary-search it at one-second resolution.
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('Invalid local date-time');
  const firstOffset = offsetMsAt(first, tz);
  let lo = Math.floor(first / 1000);
  let hi = Math.ceil(last / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMsAt(mid * 1000, tz) === firstOffset) lo = mid;
    else hi = mid;
  }
  return new Date(hi * 1000);
}

/** `at` moved by `days` calendar days in `tz`, keeping its local time of day (DST rules as zonedDateTimeToInstant). */
export function addLocalDays(at: Date, tz: string, days: number): Date {
  const t = assertValidDate(at);
  const p = zonedParts(at, tz);
  const date = addCalendarDays(p, days);
  const base = zonedDateTimeToInstant({ ...date, hour: p.hour, minute: p.minute }, tz);
  return new Date(base.getTime() + p.second * 1000 + mod(t, 1000));
}
