// Cross-department connections per week: the dashboard's trend line, k-anonymous per week.
import { type Cell, cellOf, MIN_PEOPLE } from './anonymity.ts';
import type { Connection, TimeWindow } from './connections.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of the week that contains `at`. */
export function weekStartUtc(at: Date): Date {
  const day = Math.floor(at.getTime() / DAY_MS);
  // Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return new Date((day - sinceMonday) * DAY_MS);
}

export interface WeekPoint {
  /** Monday 00:00 UTC; the first and last weeks may be cut by the window. */
  weekStart: Date;
  cell: Cell;
}

/** Connections between different departments per week of the window (weeks start on Monday, UTC). */
export function weeklyCrossDepartmentTrend(
  connections: Connection[],
  window: TimeWindow,
  minPeople = MIN_PEOPLE,
): WeekPoint[] {
  const first = weekStartUtc(window.from).getTime();
  const weeks: Array<{ weekStart: Date; count: number; people: Set<string> }> = [];
  for (let t = first; t < window.to.getTime(); t += WEEK_MS) {
    weeks.push({ weekStart: new Date(t), count: 0, people: new Set() });
  }
  for (const c of connections) {
    const t = c.at.getTime();
    if (c.a === c.b || t < window.from.getTime() || t >= window.to.getTime()) continue;
    const week = weeks[Math.floor((t - first) / WEEK_MS)];
    if (!week) continue;
    week.count += 1;
    week.people.add(c.people[0]);
    week.people.add(c.people[1]);
  }
  return weeks.map((w) => ({ weekStart: w.weekStart, cell: cellOf(w.count, w.people.size, minPeople) }));
}
