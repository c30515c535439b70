// Working-hours overlap from time zones: everyone works 09:00–17:00 local; overlap is measured on the
// UTC day as a circle, so a late-evening America and an early-morning APAC can still share hours.
import { isValidTimeZone, tzOffsetMinutes } from '../schedule/index.ts';

export const WORK_START_MINUTE = 9 * 60;
export const WORK_MINUTES = 8 * 60;
const DAY_MINUTES = 24 * 60;

/** UTC offset in minutes of `tz` at `at`; an unknown or empty zone is read as UTC (offset 0). */
export function offsetMinutesOrUtc(tz: string, at: Date): number {
  if (!isValidTimeZone(tz)) return 0;
  return tzOffsetMinutes(at, tz);
}

/** Start of the working window on the UTC clock, in minutes within [0, 1440). */
function windowStart(offsetMinutes: number): number {
  const s = (WORK_START_MINUTE - offsetMinutes) % DAY_MINUTES;
  return s < 0 ? s + DAY_MINUTES : s;
}

/** Minutes the 09:00–17:00 windows of the given UTC offsets share (0–480). */
export function sharedWorkingMinutes(offsets: readonly number[]): number {
  const first = offsets[0];
  if (first === undefined) return 0;
  // Intersect on the circle: unroll each window to the copy nearest the first window's start.
  let lo = windowStart(first);
  let hi = lo + WORK_MINUTES;
  for (let i = 1; i < offsets.length; i += 1) {
    const s = windowStart(offsets[i] as number);
    let best = 0;
    let bestLo = lo;
    let bestHi = lo;
    for (let shift = -DAY_MINUTES; shift <= DAY_MINUTES; shift += DAY_MINUTES) {
      const a = Math.max(lo, s + shift);
      const b = Math.min(hi, s + shift + WORK_MINUTES);
      if (b - a > best) {
        best = b - a;
        bestLo = a;
        bestHi = b;
      }
    }
    if (best <= 0) return 0;
    lo = bestLo;
    hi = bestHi;
  }
  return hi - lo;
}

/** Shared working hours (0–8) of people in the given zones at instant `at`; the time-zone score. */
export function sharedWorkingHours(tzs: readonly string[], at: Date): number {
  return sharedWorkingMinutes(tzs.map((tz) => offsetMinutesOrUtc(tz, at))) / 60;
}
