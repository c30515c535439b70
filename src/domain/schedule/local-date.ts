// Pure calendar arithmetic on local (wall-clock) dates: no time zones, no clock reads.

/** A calendar date as seen on a wall calendar (month 1–12, day 1–31). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock date and time (hour 0–23, minute 0–59); out-of-range fields roll over like `Date.UTC`. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

/** ISO-8601 week-numbering year and week (1–53). */
export interface IsoWeek {
  year: number;
  week: number;
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Milliseconds of a wall-clock time read as if it were UTC (years 0–99 are not shifted to 19xx). */
export function wallClockMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** Days since 1970-01-01 of a local date (negative before). */
export function epochDay(date: LocalDate): number {
  return Math.floor(wallClockMs(date.year, date.month, date.day) / MS_PER_DAY);
}

/** The local date `epochDay` days after 1970-01-01. */
export function fromEpochDay(days: number): LocalDate {
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The local date `days` calendar days after `date` (negative goes back); input may be out of range. */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return mod(epochDay(date) + 3, 7) + 1;
}

/** Absolute Monday-based week number of a local date (week 0 starts Monday 1970-01-05); phase-stable across years. */
export function weekIndex(date: LocalDate): number {
  return Math.floor((epochDay(date) - 4) / 7);
}

/** ISO-8601 week-numbering year and week number of a local date. */
export function isoWeek(date: LocalDate): IsoWeek {
  // The ISO week belongs to the year of its Thursday.
  const thursday = addCalendarDays(date, 4 - isoWeekday(date));
  const jan1 = epochDay({ year: thursday.year, month: 1, day: 1 });
  return { year: thursday.year, week: Math.floor((epochDay(thursday) - jan1) / 7) + 1 };
}

/** Period-key form of a local date's ISO week, e.g. `2026-W05`. */
export function isoWeekKey(date: LocalDate): string {
  const { year, week } = isoWeek(date);
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The Monday that starts ISO week `week` of ISO year `year`. */
export function isoWeekMonday(year: number, week: number): LocalDate {
  // 4 January is always in ISO week 1.
  const jan4: LocalDate = { year, month: 1, day: 4 };
  return addCalendarDays(jan4, 1 - isoWeekday(jan4) + (week - 1) * 7);
}

/** Number of ISO weeks (52 or 53) in ISO year `year`. */
export function isoWeeksInYear(year: number): number {
  return isoWeek({ year, month: 12, day: 28 }).week;
}

/** Mathematical modulo (result has the sign of `m`). */
export function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
