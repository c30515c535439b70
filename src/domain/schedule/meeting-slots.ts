// Members' working hours and the meeting times Weave suggests in an intro: 30-minute slots inside every
// member's working hours, on different days, preferring mid-morning and early afternoon for everyone.
// Pure: the current time comes in as an argument; time-zone math is Intl's (zoned-time.ts).

import { z } from 'zod';
import { addCalendarDays, isoWeekday, type LocalDate, MS_PER_DAY, MS_PER_MINUTE } from './local-date.ts';
import { type Interval, intersectIntervals, type WorkingHoursOptions } from './working-time.ts';
import { type ZonedParts, zonedDateTimeToInstant, zonedParts, zonedPartsWithin } from './zoned-time.ts';

/** A member's working week: ISO weekdays (1 = Monday … 7 = Sunday) and local minutes of the day [start, end). */
export interface WorkingHours {
  days: number[];
  startMinute: number;
  endMinute: number;
}

/** Monday–Friday 09:00–17:00, in the member's own time zone. */
export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({
  days: [1, 2, 3, 4, 5],
  startMinute: 9 * 60,
  endMinute: 17 * 60,
});

/** A member as far as meeting times go: their time zone and working hours. */
export interface ScheduledPerson {
  tz: string;
  hours: WorkingHours;
}

export const SLOT_MINUTES = 30;
export const SLOT_COUNT = 3;
/** How far ahead suggested times may lie. */
export const SLOT_HORIZON_DAYS = 14;
/** The earliest suggestion lies at least this far after the intro, so nobody is asked to meet right now. */
export const SLOT_LEAD_MS = 2 * 60 * MS_PER_MINUTE;

const WEEKDAY_NAMES: readonly string[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Why working hours are not valid, or null when they are. */
export function workingHoursProblem(h: WorkingHours): string | null {
  if (h.days.length === 0) return 'Pick at least one working day.';
  if (h.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'Working days are Monday … Sunday.';
  if (!Number.isInteger(h.startMinute) || !Number.isInteger(h.endMinute)) return 'Times are whole minutes.';
  if (h.startMinute < 0 || h.endMinute > 24 * 60) return 'Times lie within the day.';
  if (h.endMinute - h.startMinute < SLOT_MINUTES)
    return 'The day should end at least 30 minutes after it starts.';
  return null;
}

/** True when `h` is valid working hours. */
export function isValidWorkingHours(h: WorkingHours): boolean {
  return workingHoursProblem(h) === null;
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Human form, e.g. "Mon–Fri 09:00–17:00" or "Sun, Mon, Tue 08:30–16:30". */
export function describeWorkingHours(h: WorkingHours): string {
  const days = [...new Set(h.days)].sort((a, b) => a - b);
  const consecutive = days.every((d, i) => i === 0 || d === (days[i - 1] ?? 0) + 1);
  const dayText =
    days.length > 2 && consecutive
      ? `${WEEKDAY_NAMES[(days[0] ?? 1) - 1]}–${WEEKDAY_NAMES[(days[days.length - 1] ?? 1) - 1]}`
      : days.map((d) => WEEKDAY_NAMES[d - 1]).join(', ');
  return `${dayText} ${hhmm(h.startMinute)}–${hhmm(h.endMinute)}`;
}

/** One person's working intervals (epoch ms) overlapping [from, to), DST-correct. */
export function workingIntervals(person: ScheduledPerson, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  const days = new Set(person.hours.days);
  const first = addCalendarDays(zonedParts(new Date(from), person.tz), -1);
  const count = Math.ceil((to - from) / MS_PER_DAY) + 2;
  for (let i = 0; i <= count; i++) {
    const date: LocalDate = addCalendarDays(first, i);
    if (!days.has(isoWeekday(date))) continue;
    const at = (minute: number) =>
      zonedDateTimeToInstant(
        { ...date, hour: Math.floor(minute / 60), minute: minute % 60 },
        person.tz,
      ).getTime();
    const start = Math.max(at(person.hours.startMinute), from);
    const end = Math.min(at(person.hours.endMinute), to);
    if (start < end) out.push({ start, end });
  }
  return out;
}

/** The intervals within [from, to) that are working time for every person. */
export function sharedWorkingIntervals(
  people: readonly ScheduledPerson[],
  from: number,
  to: number,
): Interval[] {
  let shared: Interval[] | null = null;
  for (const p of people) {
    const mine = workingIntervals(p, from, to);
    shared = shared === null ? mine : intersectIntervals(shared, mine);
    if (shared.length === 0) return [];
  }
  return shared ?? [];
}

/** True when [start, start + minutes) lies inside the person's working hours. */
export function isWithinWorkingHours(person: ScheduledPerson, start: Date, minutes = SLOT_MINUTES): boolean {
  const t = start.getTime();
  return workingIntervals(person, t, t + minutes * MS_PER_MINUTE).some(
    (w) => w.start <= t && w.end >= t + minutes * MS_PER_MINUTE,
  );
}

// Mid-morning and early afternoon, local minutes: the times people most readily take a chat.
const PREFERRED: readonly Interval[] = [
  { start: 10 * 60, end: 11 * 60 + 30 },
  { start: 13 * 60 + 30, end: 15 * 60 },
];

/** Minutes a slot's local start lies outside the preferred windows, for one person (0 = inside one). */
function discomfort(local: ZonedParts): number {
  const minute = local.hour * 60 + local.minute;
  return Math.min(
    ...PREFERRED.map((w) => (minute < w.start ? w.start - minute : minute >= w.end ? minute - w.end + 1 : 0)),
  );
}

const dayKeyOf = (p: ZonedParts) => `${p.year}-${p.month}-${p.day}`;
const dayKey = (t: number, tz: string) => dayKeyOf(zonedParts(new Date(t), tz));

export interface SlotOptions {
  count?: number;
  horizonDays?: number;
  /** Days (in the first person's zone) already offered: "None of these work" asks for other days. */
  excludeDaysOf?: readonly Date[];
}

/**
 * Up to `count` (3) 30-minute meeting slots after `now` that lie inside every person's working hours, each
 * on a different day (the first person's calendar) when there are enough days, the best-placed time of
 * each day (closest to everyone's mid-morning or early afternoon), soonest days first. Empty when the
 * people share no working time within the horizon. Starts are on the hour or half hour (UTC).
 */
export function suggestMeetingSlots(
  people: readonly ScheduledPerson[],
  now: Date,
  opts: SlotOptions = {},
): Date[] {
  const count = opts.count ?? SLOT_COUNT;
  if (people.length === 0 || count <= 0) return [];
  const slotMs = SLOT_MINUTES * MS_PER_MINUTE;
  const earliest = Math.ceil((now.getTime() + SLOT_LEAD_MS) / slotMs) * slotMs;
  const until = earliest + (opts.horizonDays ?? SLOT_HORIZON_DAYS) * MS_PER_DAY;
  const anchorTz = (people[0] as ScheduledPerson).tz;
  const excluded = new Set((opts.excludeDaysOf ?? []).map((d) => dayKey(d.getTime(), anchorTz)));
  const candidates: Array<{ start: number; day: string; score: number }> = [];
  for (const w of sharedWorkingIntervals(people, earliest, until)) {
    // Each person's wall clock across this interval (people[0]'s also gives the slot's day).
    const local = people.map((p) => zonedPartsWithin(p.tz, w.start, w.end));
    for (let s = Math.ceil(w.start / slotMs) * slotMs; s + slotMs <= w.end; s += slotMs) {
      const parts = local.map((read) => read(s));
      const day = dayKeyOf(parts[0] as ZonedParts);
      if (excluded.has(day)) continue;
      // Fairness first (the person worst off), then everyone's total.
      const each = parts.map(discomfort);
      const score = Math.max(...each) * 10_000 + each.reduce((a, b) => a + b, 0);
      candidates.push({ start: s, day, score });
    }
  }
  // The best time of each day (earliest on ties), then days in order.
  const bestOfDay = new Map<string, { start: number; score: number }>();
  for (const c of candidates) {
    const best = bestOfDay.get(c.day);
    if (!best || c.score < best.score) bestOfDay.set(c.day, c);
  }
  const chosen = [...bestOfDay.values()]
    .sort((a, b) => a.start - b.start)
    .slice(0, count)
    .map((c) => c.start);
  // Fewer days than slots: more times on the same days, at least two hours from those already chosen.
  if (chosen.length < count) {
    const rest = candidates
      .filter((c) => chosen.every((t) => Math.abs(t - c.start) >= 4 * slotMs))
      .sort((a, b) => a.score - b.score || a.start - b.start);
    for (const c of rest) {
      if (chosen.length >= count) break;
      if (chosen.every((t) => Math.abs(t - c.start) >= 4 * slotMs)) chosen.push(c.start);
    }
  }
  return chosen.sort((a, b) => a - b).map((t) => new Date(t));
}

/**
 * When to ask "did you meet?" after an agreed meeting: the first instant from an hour after the meeting's
 * end that is working time for every person, within two weeks; else that instant plus one day (members share no working time then, which a slot agreed in Weave rules out).
 */
export function checkInAfterMeeting(people: readonly ScheduledPerson[], meetingStart: Date): Date {
  // An hour's grace after the meeting's end: meetings run over.
  const end = meetingStart.getTime() + (SLOT_MINUTES + 60) * MS_PER_MINUTE;
  const shared = sharedWorkingIntervals(people, end, end + SLOT_HORIZON_DAYS * MS_PER_DAY);
  const first = shared[0];
  return new Date(first ? first.start : end + MS_PER_DAY);
}

/**
 * The delivery rules (working-time.ts) for a member who set their own working hours: Weave's messages come
 * on their working days, from the hour their day starts to the hour it ends, at 10:00 when that is inside
 * (else the start of their day). Null hours (never set) keep Weave's general rules (weekdays, 08–19).
 */
export function quietHoursOf(hours: WorkingHours | null): WorkingHoursOptions | undefined {
  if (!hours || !isValidWorkingHours(hours)) return undefined;
  const quietEnd = Math.floor(hours.startMinute / 60);
  const quietStart = Math.max(quietEnd + 1, Math.min(24, Math.ceil(hours.endMinute / 60)));
  const preferredHour = Math.min(Math.max(10, quietEnd), quietStart - 1);
  const weekendDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => !hours.days.includes(d));
  return { quietEnd, quietStart, preferredHour, weekendDays };
}

const workingHoursSchema = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    startMinute: z.number().int().min(0).max(1440),
    endMinute: z.number().int().min(0).max(1440),
  })
  .refine(isValidWorkingHours);

/** Working hours as stored (a JSON column); null when never set or unreadable (the default applies). */
export function parseWorkingHours(value: unknown): WorkingHours | null {
  if (value === null || value === undefined) return null;
  const r = workingHoursSchema.safeParse(value);
  return r.success ? r.data : null;
}

/** A member as slots are suggested for them: their zone (UTC when unknown) and their hours (or the default). */
export function scheduledPersonOf(
  member: { tz: string; workingHours: unknown } | undefined,
): ScheduledPerson {
  return {
    tz: member?.tz || 'UTC',
    hours: parseWorkingHours(member?.workingHours) ?? { ...DEFAULT_WORKING_HOURS },
  };
}
