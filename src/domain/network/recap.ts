// The weekly recap in a program channel ("27 people met across 8 departments this week").
import {
  addCalendarDays,
  isoWeekKey,
  isValidTimeZone,
  type LocalDate,
  zonedDateTimeToInstant,
  zonedParts,
} from '../schedule/index.ts';
import { MIN_PEOPLE } from './anonymity.ts';
import type { Meeting, NetworkPerson, TimeWindow } from './connections.ts';

/** Recaps go out on Fridays at 16:00 in the program's time zone. */
export const RECAP_WEEKDAY = 5;
export const RECAP_HOUR = 16;

export interface RecapSlot extends TimeWindow {
  /** ISO week of the recap, e.g. `2026-W48`: one recap per program and key. */
  key: string;
}

const at16 = (date: LocalDate, tz: string) =>
  zonedDateTimeToInstant({ ...date, hour: RECAP_HOUR, minute: 0 }, tz);

/** The latest recap slot at or before `now` in `tz`: it covers the seven days up to that Friday 16:00. */
export function latestRecapSlot(now: Date, tz: string): RecapSlot {
  const zone = isValidTimeZone(tz) ? tz : 'UTC';
  const local = zonedParts(now, zone);
  let friday = addCalendarDays(local, -((((local.weekday - RECAP_WEEKDAY) % 7) + 7) % 7));
  let to = at16(friday, zone);
  if (to.getTime() > now.getTime()) {
    friday = addCalendarDays(friday, -7);
    to = at16(friday, zone);
  }
  return { key: isoWeekKey(friday), from: at16(addCalendarDays(friday, -7), zone), to };
}

export type Recap =
  | { status: 'post'; peopleMet: number; departments: number }
  | { status: 'skip'; reason: 'too_few_people' };

/** What the recap says about the meetings of its window; nothing when fewer than MIN_PEOPLE people met. */
export function weeklyRecap(
  people: NetworkPerson[],
  meetings: Meeting[],
  window: TimeWindow,
  minPeople = MIN_PEOPLE,
): Recap {
  const departmentOf = new Map(people.map((p) => [p.id, p.department]));
  const met = new Set<string>();
  for (const m of meetings) {
    const t = m.at.getTime();
    if (t >= window.from.getTime() && t < window.to.getTime()) for (const id of m.members) met.add(id);
  }
  if (met.size < minPeople) return { status: 'skip', reason: 'too_few_people' };
  const departments = new Set([...met].map((id) => departmentOf.get(id)).filter((d): d is string => !!d));
  return { status: 'post', peopleMet: met.size, departments: departments.size };
}
