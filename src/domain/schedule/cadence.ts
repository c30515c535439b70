// Program cadences and round periods: which period an instant falls in, whether its round is due, and the
// follow-up instants derived from it. Pure: the current time is always passed in.
import {
  addCalendarDays,
  isoWeekKey,
  isoWeekMonday,
  isoWeeksInYear,
  type LocalDate,
  MS_PER_DAY,
  mod,
  wallClockMs,
  weekIndex,
} from './local-date.ts';
import { addLocalDays, isValidTimeZone, zonedDateTimeToInstant, zonedParts } from './zoned-time.ts';

/** How often a program runs a round. */
export type Cadence = 'weekly' | 'biweekly' | 'every4weeks';

/** Every cadence, in settings order. */
export const CADENCES: readonly Cadence[] = ['weekly', 'biweekly', 'every4weeks'];

const WEEKS: Record<Cadence, number> = { weekly: 1, biweekly: 2, every4weeks: 4 };

/** A program's round schedule: weekday 1 = Monday … 7 = Sunday, hour 0–23 local to `tz`. */
export interface ProgramSchedule {
  cadence: Cadence;
  weekday: number;
  hour: number;
  tz: string;
  /** Program creation: fixes the phase of 2/4-weekly cadences; no round is due for a slot before it. */
  anchor: Date;
}

/**
 * One round period: the calendar period `[start, end)` in the program's zone (an ISO week, or a block of 2
 * or 4 ISO weeks counted from the program's start week). `roundAt` is when within it the round normally runs.
 */
export interface Period {
  key: string;
  start: Date;
  end: Date;
  roundAt: Date;
  tz: string;
}

/** Result of isRoundDue; `reason` says why a round is (not) due. */
export interface RoundDue {
  due: boolean;
  periodKey: string;
  period: Period;
  reason: 'due' | 'already_ran' | 'not_yet' | 'before_first_round';
}

/** True when `value` is a known cadence. */
export function isCadence(value: unknown): value is Cadence {
  return typeof value === 'string' && (CADENCES as readonly string[]).includes(value);
}

/** Length of a cadence's period in weeks (1, 2 or 4). */
export function cadenceWeeks(cadence: Cadence): number {
  return WEEKS[cadence];
}

/** Throws RangeError naming the first invalid field of a schedule. */
export function assertValidSchedule(schedule: ProgramSchedule): void {
  if (!isCadence(schedule.cadence)) throw new RangeError(`Unknown cadence: ${String(schedule.cadence)}`);
  if (!Number.isInteger(schedule.weekday) || schedule.weekday < 1 || schedule.weekday > 7) {
    throw new RangeError(`weekday must be an integer 1 (Monday) … 7 (Sunday), got ${schedule.weekday}`);
  }
  if (!Number.isInteger(schedule.hour) || schedule.hour < 0 || schedule.hour > 23) {
    throw new RangeError(`hour must be an integer 0 … 23, got ${schedule.hour}`);
  }
  if (!isValidTimeZone(schedule.tz)) throw new RangeError(`Unknown time zone: ${schedule.tz}`);
  if (!Number.isFinite(schedule.anchor.getTime())) throw new RangeError('anchor is an invalid date');
}

function instantAt(date: LocalDate, hour: number, tz: string): Date {
  return zonedDateTimeToInstant({ ...date, hour, minute: 0 }, tz);
}

function periodKey(cadence: Cadence, startDate: LocalDate): string {
  const weeks = WEEKS[cadence];
  const week = isoWeekKey(startDate);
  return weeks === 1 ? week : `${week}/${weeks}`;
}

/** The period that starts on the Monday `startDate` (already in phase). */
function periodFrom(schedule: ProgramSchedule, startDate: LocalDate): Period {
  const { tz, weekday, hour, cadence } = schedule;
  return {
    key: periodKey(cadence, startDate),
    // Midnight of a day whose midnight falls in a DST gap resolves to the transition (zonedDateTimeToInstant).
    start: instantAt(startDate, 0, tz),
    end: instantAt(addCalendarDays(startDate, 7 * WEEKS[cadence]), 0, tz),
    roundAt: instantAt(addCalendarDays(startDate, weekday - 1), hour, tz),
    tz,
  };
}

function locatePeriod(schedule: ProgramSchedule, at: Date): { period: Period; startWeek: number } {
  assertValidSchedule(schedule);
  const { tz, cadence } = schedule;
  const weeks = WEEKS[cadence];
  const local = zonedParts(at, tz);
  const monday = addCalendarDays(local, 1 - local.weekday);
  // Step back into phase: period-start weeks are ≡ the anchor's week modulo the cadence length, counted in
  // absolute weeks so that 53-week ISO years do not break the rhythm.
  const anchorWeek = weekIndex(zonedParts(schedule.anchor, tz));
  const startDate = addCalendarDays(monday, -7 * mod(weekIndex(monday) - anchorWeek, weeks));
  return { period: periodFrom(schedule, startDate), startWeek: weekIndex(startDate) };
}

/** The calendar period containing `at`: its ISO week, or the 2/4-week block (in phase with the anchor) holding it. */
export function periodFor(schedule: ProgramSchedule, at: Date): Period {
  return locatePeriod(schedule, at).period;
}

/** The period right after `period`. */
function nextPeriod(schedule: ProgramSchedule, period: Period): Period {
  return periodFor(schedule, period.end);
}

/** Parses a period key (`2026-W48`, `2026-W48/2`, `2026-W48/4`) to the absolute week index of its first week, or null. */
export function periodKeyWeekIndex(key: string): number | null {
  const m = /^(\d{4})-W(\d{2})(?:\/([24]))?$/.exec(key);
  if (m === null) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  return weekIndex(isoWeekMonday(year, week));
}

/**
 * Whether the round of the calendar period containing `at` should run now: from its scheduled time to the end
 * of the period, unless the period already had its round (scheduled, early with `/intro round now`, or under
 * another cadence or weekday). `lastRunPeriodKey` is the key of the program's most recent round; only the
 * current period is ever due (missed earlier periods are skipped).
 */
export function isRoundDue(schedule: ProgramSchedule, at: Date, lastRunPeriodKey: string | null): RoundDue {
  const { period, startWeek } = locatePeriod(schedule, at);
  const result = (due: boolean, reason: RoundDue['reason']): RoundDue => ({
    due,
    periodKey: period.key,
    period,
    reason,
  });
  if (lastRunPeriodKey !== null) {
    if (lastRunPeriodKey === period.key) return result(false, 'already_ran');
    // A round keyed in this period's first week or later means this period already had its round, even if
    // the cadence was edited since (keys then differ).
    const lastWeek = periodKeyWeekIndex(lastRunPeriodKey);
    if (lastWeek !== null && lastWeek >= startWeek) return result(false, 'already_ran');
  }
  if (period.roundAt.getTime() < schedule.anchor.getTime()) return result(false, 'before_first_round');
  if (at.getTime() < period.roundAt.getTime()) return result(false, 'not_yet');
  return result(true, 'due');
}

/** The next scheduled round instant strictly after `at` (and not before the anchor). */
export function nextRoundAt(schedule: ProgramSchedule, at: Date): Date {
  let period = periodFor(schedule, at.getTime() < schedule.anchor.getTime() ? schedule.anchor : at);
  // At most two steps: one past a slot already behind `at` or the anchor, one more is never needed.
  for (;;) {
    const slot = period.roundAt.getTime();
    if (slot > at.getTime() && slot >= schedule.anchor.getTime()) return period.roundAt;
    period = nextPeriod(schedule, period);
  }
}

/**
 * The period whose round comes next: the current one while its round is still to run (due now or later
 * today), otherwise the first later period with a scheduled round (so an early `/intro round now` moves
 * "next round" on to the following period).
 */
export function upcomingPeriod(schedule: ProgramSchedule, at: Date, lastRunPeriodKey: string | null): Period {
  const due = isRoundDue(schedule, at, lastRunPeriodKey);
  if (due.reason === 'due' || due.reason === 'not_yet') return due.period;
  // Already ran: look from the last instant of this period; before the first round: from now.
  const from = due.reason === 'already_ran' ? new Date(due.period.end.getTime() - 1) : at;
  return periodFor(schedule, nextRoundAt(schedule, from));
}

/**
 * Check-in time: halfway through a period's length after its scheduled round, on the local wall clock (so DST
 * does not shift it): Thursday 22:00 for a weekly Monday 10:00 round.
 */
export function checkInAt(period: Period): Date {
  const wall = (t: Date) => {
    const p = zonedParts(t, period.tz);
    return wallClockMs(p.year, p.month, p.day, p.hour, p.minute);
  };
  const mid = new Date(wall(period.roundAt) + Math.floor((wall(period.end) - wall(period.start)) / 2));
  return zonedDateTimeToInstant(
    {
      year: mid.getUTCFullYear(),
      month: mid.getUTCMonth() + 1,
      day: mid.getUTCDate(),
      hour: mid.getUTCHours(),
      minute: mid.getUTCMinutes(),
    },
    period.tz,
  );
}

/** Heads-up time: 24 h before the round; with `tz`, the same local time on the previous day (DST-safe). */
export function headsUpAt(roundAt: Date, tz?: string): Date {
  if (tz === undefined) return new Date(roundAt.getTime() - MS_PER_DAY);
  return addLocalDays(roundAt, tz, -1);
}
