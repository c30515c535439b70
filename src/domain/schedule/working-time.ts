// Working-time delivery for prompts (product §5 Timing): weekdays only, never in quiet hours, at the
// preferred local hour when a prompt has to wait. Pure: the earliest allowed instant is passed in.
import { addCalendarDays, isoWeekday, type LocalDate, MS_PER_DAY } from './local-date.ts';
import { zonedDateTimeToInstant, zonedParts } from './zoned-time.ts';

/** Local working-time rules; working time is `[quietEnd, quietStart)` on days not in `weekendDays`. */
export interface WorkingHoursOptions {
  /** Local hour a delayed prompt is sent at (default 10). */
  preferredHour?: number;
  /** Local hour quiet hours begin (default 19). */
  quietStart?: number;
  /** Local hour quiet hours end (default 8). */
  quietEnd?: number;
  /** ISO weekdays with no delivery (default Saturday and Sunday: [6, 7]). */
  weekendDays?: readonly number[];
}

interface WorkingHours {
  preferredHour: number;
  quietStart: number;
  quietEnd: number;
  weekendDays: ReadonlySet<number>;
}

/** A member's zone with their own working-time rules (see quietHoursOf in meeting-slots.ts). */
export interface ZoneHours {
  tz: string;
  opts?: WorkingHoursOptions | undefined;
}

/** How far groupDeliveryTime looks for a shared working window before falling back. */
export const GROUP_OVERLAP_HORIZON_DAYS = 7;

function resolveOptions(opts: WorkingHoursOptions = {}): WorkingHours {
  const preferredHour = opts.preferredHour ?? 10;
  const quietStart = opts.quietStart ?? 19;
  const quietEnd = opts.quietEnd ?? 8;
  const weekendDays = new Set(opts.weekendDays ?? [6, 7]);
  const ints = [preferredHour, quietStart, quietEnd];
  if (
    !ints.every(Number.isInteger) ||
    !(quietEnd >= 0 && quietEnd <= preferredHour && preferredHour < quietStart)
  ) {
    throw new RangeError('working hours need integers with 0 ≤ quietEnd ≤ preferredHour < quietStart ≤ 24');
  }
  if (quietStart > 24) throw new RangeError('quietStart must be ≤ 24');
  if ([...weekendDays].some((d) => !Number.isInteger(d) || d < 1 || d > 7) || weekendDays.size >= 7) {
    throw new RangeError('weekendDays must be ISO weekdays 1–7 and leave at least one working day');
  }
  return { preferredHour, quietStart, quietEnd, weekendDays };
}

function isWorkday(date: LocalDate, wh: WorkingHours): boolean {
  return !wh.weekendDays.has(isoWeekday(date));
}

/** True when `at` is working time in `tz`: a working day and outside quiet hours. */
export function isWorkingTime(at: Date, tz: string, opts?: WorkingHoursOptions): boolean {
  const wh = resolveOptions(opts);
  const p = zonedParts(at, tz);
  return isWorkday(p, wh) && p.hour >= wh.quietEnd && p.hour < wh.quietStart;
}

/**
 * First delivery instant ≥ `earliest` in `tz`: `earliest` itself when it is working time, otherwise the
 * preferred hour (10:00) of the next working day (the same day when `earliest` is before the quiet-hours end).
 */
export function nextWorkingTime(earliest: Date, tz: string, opts?: WorkingHoursOptions): Date {
  const wh = resolveOptions(opts);
  const p = zonedParts(earliest, tz);
  if (isWorkday(p, wh) && p.hour >= wh.quietEnd && p.hour < wh.quietStart)
    return new Date(earliest.getTime());
  let date: LocalDate = p.hour < wh.quietEnd ? p : addCalendarDays(p, 1);
  while (!isWorkday(date, wh)) date = addCalendarDays(date, 1);
  return zonedDateTimeToInstant({ ...date, hour: wh.preferredHour, minute: 0 }, tz);
}

/** A time span in epoch ms, end exclusive. */
export interface Interval {
  start: number;
  end: number;
}

/** Working-time intervals and preferred-hour instants of `tz` covering [from, to). */
function workingWindows(from: number, to: number, tz: string, wh: WorkingHours) {
  const windows: Interval[] = [];
  const preferred: number[] = [];
  const first = addCalendarDays(zonedParts(new Date(from), tz), -1);
  const days = Math.ceil((to - from) / MS_PER_DAY) + 2;
  for (let i = 0; i <= days; i++) {
    const date = addCalendarDays(first, i);
    if (!isWorkday(date, wh)) continue;
    const start = zonedDateTimeToInstant({ ...date, hour: wh.quietEnd, minute: 0 }, tz).getTime();
    const end = zonedDateTimeToInstant({ ...date, hour: wh.quietStart, minute: 0 }, tz).getTime();
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (s < e) windows.push({ start: s, end: e });
    preferred.push(zonedDateTimeToInstant({ ...date, hour: wh.preferredHour, minute: 0 }, tz).getTime());
  }
  return { windows, preferred };
}

/** The spans covered by both sorted, disjoint interval lists. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/**
 * Delivery instant for a prompt to a group: `earliest` if it is working time for everyone; otherwise the first
 * window (within 7 days) that is working time for all members, at the first member's preferred hour inside it
 * or else its start; with no shared window, the earliest of the members' own nextWorkingTime.
 */
export function groupDeliveryTime(
  earliest: Date,
  tzs: readonly (string | ZoneHours)[],
  opts?: WorkingHoursOptions,
): Date {
  // Each member may bring their own working hours; identical zone and hours count once.
  const byKey = new Map<string, ZoneHours>();
  for (const z of tzs) {
    const entry = typeof z === 'string' ? { tz: z, opts } : { tz: z.tz, opts: z.opts ?? opts };
    byKey.set(`${entry.tz}|${JSON.stringify(entry.opts ?? null)}`, entry);
  }
  const zones = [...byKey.values()];
  if (zones.length === 0) return new Date(earliest.getTime());
  const from = earliest.getTime();
  const to = from + GROUP_OVERLAP_HORIZON_DAYS * MS_PER_DAY;
  const perZone = zones.map((z) => workingWindows(from, to, z.tz, resolveOptions(z.opts)));
  let shared: Interval[] | null = null;
  for (const { windows } of perZone) shared = shared === null ? windows : intersectIntervals(shared, windows);
  const firstShared = shared?.[0];
  if (firstShared !== undefined) {
    if (firstShared.start === from) return new Date(from);
    const preferredInside = perZone
      .flatMap((z) => z.preferred)
      .filter((t) => t >= firstShared.start && t < firstShared.end);
    return new Date(preferredInside.length > 0 ? Math.min(...preferredInside) : firstShared.start);
  }
  // No overlap: the member whose own working time comes first decides.
  return new Date(Math.min(...zones.map((z) => nextWorkingTime(earliest, z.tz, z.opts).getTime())));
}

/**
 * `at` moved forward by `days` working days in `tz` (weekend days are not counted), keeping the local time of
 * day; e.g. Friday 15:00 + 2 → Tuesday 15:00, Saturday 12:00 + 2 → Tuesday 12:00. Negative `days` go back.
 */
export function addWorkingDays(at: Date, tz: string, days: number, opts?: WorkingHoursOptions): Date {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const wh = resolveOptions(opts);
  const p = zonedParts(at, tz);
  const step = days < 0 ? -1 : 1;
  let date: LocalDate = p;
  for (let left = Math.abs(days); left > 0; ) {
    date = addCalendarDays(date, step);
    if (isWorkday(date, wh)) left--;
  }
  if (days === 0) return new Date(at.getTime());
  const base = zonedDateTimeToInstant({ ...date, hour: p.hour, minute: p.minute }, tz);
  return new Date(base.getTime() + p.second * 1000 + (((at.getTime() % 1000) + 1000) % 1000));
}
