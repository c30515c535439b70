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

/** One round period: `[start, end)`; the round is scheduled at `roundAt` (= `start`). */
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
  reason: 'due' | 'already_ran' | 'before_first_round';
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

function slotAt(schedule: ProgramSchedule, date: LocalDate): Date {
  return zonedDateTimeToInstant({ ...date, hour: schedule.hour, minute: 0 }, schedule.tz);
}

function periodKey(cadence: Cadence, startDate: LocalDate): string {
  const weeks = WEEKS[cadence];
  const week = isoWeekKey(startDate);
  return weeks === 1 ? week : `${week}/${weeks}`;
}

function locatePeriod(schedule: ProgramSchedule, at: Date): { period: Period; startWeek: number } {
  assertValidSchedule(schedule);
  const { tz, weekday, hour, cadence } = schedule;
  const weeks = WEEKS[cadence];
  const local = zonedParts(at, tz);
  // Latest local date on the scheduled weekday whose slot is not after `at`. Comparing wall clocks is exact:
  // a slot in a DST gap resolves to the transition, and no wall time lies inside the gap.
  let startDate = addCalendarDays(local, -mod(local.weekday - weekday, 7));
  if (local.weekday === weekday && local.hour < hour) startDate = addCalendarDays(startDate, -7);
  // Step back into phase: period-start weeks are ≡ the anchor's week modulo the cadence length, counted in
  // absolute weeks so that 53-week ISO years do not break the rhythm.
  const anchorWeek = weekIndex(zonedParts(schedule.anchor, tz));
  const phase = mod(weekIndex(startDate) - anchorWeek, weeks);
  startDate = addCalendarDays(startDate, -7 * phase);
  const start = slotAt(schedule, startDate);
  const end = slotAt(schedule, addCalendarDays(startDate, 7 * weeks));
  return {
    period: { key: periodKey(cadence, startDate), start, end, roundAt: start, tz },
    startWeek: weekIndex(startDate),
  };
}

/** The period containing `at`: it starts at the latest scheduled slot ≤ `at` whose week is in phase with the anchor. */
export function periodFor(schedule: ProgramSchedule, at: Date): Period {
  return locatePeriod(schedule, at).period;
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
 * Whether the round of the period containing `at` should run now. `lastRunPeriodKey` is the key of the
 * program's most recent round; only the current period is ever due (missed earlier periods are skipped).
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
    // the cadence or weekday was edited since (keys then differ).
    const lastWeek = periodKeyWeekIndex(lastRunPeriodKey);
    if (lastWeek !== null && lastWeek >= startWeek) return result(false, 'already_ran');
  }
  if (period.roundAt.getTime() < schedule.anchor.getTime()) return result(false, 'before_first_round');
  return result(true, 'due');
}

/** The next scheduled round instant strictly after `at` (and not before the anchor). */
export function nextRoundAt(schedule: ProgramSchedule, at: Date): Date {
  if (at.getTime() < schedule.anchor.getTime()) {
    const first = periodFor(schedule, schedule.anchor);
    if (first.start.getTime() >= schedule.anchor.getTime()) return first.start;
    return first.end;
  }
  return periodFor(schedule, at).end;
}

/** Check-in time: halfway through the period on the local wall clock (so DST does not shift it). */
export function checkInAt(period: Period): Date {
  const s = zonedParts(period.start, period.tz);
  const e = zonedParts(period.end, period.tz);
  const wallStart = wallClockMs(s.year, s.month, s.day, s.hour, s.minute);
  const wallEnd = wallClockMs(e.year, e.month, e.day, e.hour, e.minute);
  const mid = new Date(wallStart + Math.floor((wallEnd - wallStart) / 2));
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
