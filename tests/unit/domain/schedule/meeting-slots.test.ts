import { describe, expect, it } from 'vitest';
import {
  checkInAfterMeeting,
  DEFAULT_WORKING_HOURS,
  describeWorkingHours,
  groupDeliveryTime,
  isWithinWorkingHours,
  nextWorkingTime,
  quietHoursOf,
  type ScheduledPerson,
  suggestMeetingSlots,
  type WorkingHours,
  workingHoursProblem,
  zonedParts,
} from '../../../../src/domain/schedule/index.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const LOS_ANGELES = 'America/Los_Angeles';

const person = (tz: string, hours: WorkingHours = { ...DEFAULT_WORKING_HOURS }): ScheduledPerson => ({
  tz,
  hours,
});

/** Local wall-clock rendering, e.g. `Mon 10:00`. */
function local(t: Date, tz: string): string {
  const p = zonedParts(t, tz);
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][p.weekday - 1];
  return `${wd} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** Checks every slot lies fully inside every person's working hours (independently of the code under test). */
function expectInsideEveryonesHours(slots: Date[], people: ScheduledPerson[]): void {
  for (const slot of slots) {
    for (const p of people) {
      const start = zonedParts(slot, p.tz);
      const end = zonedParts(new Date(slot.getTime() + 30 * 60_000), p.tz);
      const startMinute = start.hour * 60 + start.minute;
      const endMinute = end.hour * 60 + end.minute;
      expect(p.hours.days, `${local(slot, p.tz)} in ${p.tz}`).toContain(start.weekday);
      expect(startMinute, `${local(slot, p.tz)} in ${p.tz}`).toBeGreaterThanOrEqual(p.hours.startMinute);
      expect(endMinute, `${local(slot, p.tz)} in ${p.tz}`).toBeLessThanOrEqual(p.hours.endMinute);
      expect(end.day, 'a slot does not straddle midnight').toBe(start.day);
      expect(isWithinWorkingHours(p, slot)).toBe(true);
    }
  }
}

const distinctDays = (slots: Date[], tz: string) =>
  new Set(slots.map((s) => `${zonedParts(s, tz).month}-${zonedParts(s, tz).day}`)).size;

describe('suggestMeetingSlots', () => {
  it('offers a Berlin–Kolkata pair three mid-morning/early-afternoon slots on three different days', () => {
    const people = [person(BERLIN), person(KOLKATA)];
    const slots = suggestMeetingSlots(people, new Date('2026-01-12T07:00:00Z')); // Mon 08:00 Berlin
    expect(slots).toHaveLength(3);
    expectInsideEveryonesHours(slots, people);
    expect(distinctDays(slots, BERLIN)).toBe(3);
    // Berlin 10:00 is Kolkata 14:30: inside both people's preferred windows.
    expect(slots.map((s) => local(s, BERLIN))).toEqual(['Mon 10:00', 'Tue 10:00', 'Wed 10:00']);
    expect(local(slots[0] as Date, KOLKATA)).toBe('Mon 14:30');
  });

  it('finds the Berlin afternoon / New York morning overlap for a pair', () => {
    const people = [person(NEW_YORK), person(BERLIN)];
    const slots = suggestMeetingSlots(people, new Date('2026-01-13T12:00:00Z'));
    expect(slots).toHaveLength(3);
    expectInsideEveryonesHours(slots, people);
    expect(distinctDays(slots, NEW_YORK)).toBe(3);
    // Overlap is New York 09:00–11:00 = Berlin 15:00–17:00: the time fairest to both.
    for (const s of slots) expect(local(s, NEW_YORK)).toMatch(/ 09:30$/);
    for (const s of slots) expect(local(s, BERLIN)).toMatch(/ 15:30$/);
  });

  it('fits a trio (Berlin, New York, early Los Angeles) into their one shared hour', () => {
    const earlyLa: WorkingHours = { days: [1, 2, 3, 4, 5], startMinute: 7 * 60, endMinute: 15 * 60 };
    const people = [person(BERLIN), person(NEW_YORK), person(LOS_ANGELES, earlyLa)];
    const slots = suggestMeetingSlots(people, new Date('2026-01-12T06:00:00Z'));
    expect(slots).toHaveLength(3);
    expectInsideEveryonesHours(slots, people);
    expect(distinctDays(slots, BERLIN)).toBe(3);
    for (const s of slots) expect(local(s, LOS_ANGELES)).toMatch(/^\w{3} 07:(00|30)$/);
  });

  it('skips the weekend: asked on a Friday afternoon, the slots are Monday, Tuesday and Wednesday', () => {
    const people = [person(BERLIN), person(BERLIN)];
    const slots = suggestMeetingSlots(people, new Date('2026-01-16T14:00:00Z')); // Fri 15:00 Berlin
    expect(slots.map((s) => local(s, BERLIN))).toEqual(['Mon 10:00', 'Tue 10:00', 'Wed 10:00']);
  });

  it('stays inside working hours across the autumn daylight-saving change (Berlin switches a week before New York)', () => {
    const people = [person(BERLIN), person(NEW_YORK)];
    // Fri 23 Oct 2026; Berlin falls back on Sun 25 Oct, New York on Sun 1 Nov: the overlap is an hour longer between.
    const slots = suggestMeetingSlots(people, new Date('2026-10-23T16:00:00Z'));
    expect(slots).toHaveLength(3);
    expectInsideEveryonesHours(slots, people);
    expect(slots.map((s) => local(s, BERLIN))[0]).toMatch(/^Mon /);
    // During that week New York 09:00 is Berlin 14:00 (not 15:00): 10:00 New York is still chosen.
    expect(local(slots[0] as Date, NEW_YORK)).toBe('Mon 10:00');
    expect(local(slots[0] as Date, BERLIN)).toBe('Mon 15:00');
  });

  it('stays inside working hours across the spring change in Los Angeles', () => {
    const people = [person(LOS_ANGELES), person(NEW_YORK)];
    // Fri 6 Mar 2026 (after work on both coasts); the US springs forward on Sun 8 Mar.
    const slots = suggestMeetingSlots(people, new Date('2026-03-06T20:00:00Z'));
    expect(slots).toHaveLength(3);
    expectInsideEveryonesHours(slots, people);
    // Los Angeles 10:30 is New York 13:30 (before the change as after it): early afternoon there.
    expect(slots.map((s) => local(s, LOS_ANGELES))).toEqual(['Mon 10:30', 'Tue 10:30', 'Wed 10:30']);
    expect(slots.map((s) => local(s, NEW_YORK))).toEqual(['Mon 13:30', 'Tue 13:30', 'Wed 13:30']);
  });

  it('respects custom working days: a Sunday–Thursday week is met on Sunday, never on Friday', () => {
    const sunToThu: WorkingHours = { days: [7, 1, 2, 3, 4], startMinute: 9 * 60, endMinute: 17 * 60 };
    const both = [person(KOLKATA, sunToThu), person(KOLKATA, sunToThu)];
    const fromThursdayEvening = new Date('2026-01-15T13:00:00Z'); // Thu 18:30 Kolkata
    const slots = suggestMeetingSlots(both, fromThursdayEvening);
    expect(slots.map((s) => local(s, KOLKATA))).toEqual(['Sun 10:00', 'Mon 10:00', 'Tue 10:00']);

    const withBerlin = [person(KOLKATA, sunToThu), person(BERLIN)];
    const mixed = suggestMeetingSlots(withBerlin, fromThursdayEvening, { count: 3 });
    expectInsideEveryonesHours(mixed, withBerlin);
    for (const s of mixed) expect(local(s, BERLIN)).toMatch(/^(Mon|Tue|Wed|Thu) /);
  });

  it('offers no slot when the people share no working hours (Kolkata and Los Angeles)', () => {
    expect(
      suggestMeetingSlots([person(KOLKATA), person(LOS_ANGELES)], new Date('2026-01-12T07:00:00Z')),
    ).toEqual([]);
  });

  it('never suggests a time in the past or right now', () => {
    const now = new Date('2026-01-12T09:17:00Z'); // Mon 10:17 Berlin
    const slots = suggestMeetingSlots([person(BERLIN), person(BERLIN)], now);
    expect(slots).toHaveLength(3);
    for (const s of slots) expect(s.getTime()).toBeGreaterThanOrEqual(now.getTime() + 2 * 3_600_000);
    expect(local(slots[0] as Date, BERLIN)).toBe('Mon 13:30');
  });

  it('"None of these work" gets three times on other days', () => {
    const people = [person(BERLIN), person(KOLKATA)];
    const now = new Date('2026-01-12T07:00:00Z');
    const first = suggestMeetingSlots(people, now);
    const more = suggestMeetingSlots(people, now, { excludeDaysOf: first });
    expect(more).toHaveLength(3);
    expectInsideEveryonesHours(more, people);
    const firstDays = new Set(first.map((s) => zonedParts(s, BERLIN).day));
    for (const s of more) expect(firstDays.has(zonedParts(s, BERLIN).day)).toBe(false);
  });
});

describe('working hours', () => {
  it('describes and validates them', () => {
    expect(describeWorkingHours(DEFAULT_WORKING_HOURS)).toBe('Mon–Fri 09:00–17:00');
    expect(describeWorkingHours({ days: [7, 1, 2, 3, 4], startMinute: 510, endMinute: 990 })).toBe(
      'Mon, Tue, Wed, Thu, Sun 08:30–16:30',
    );
    expect(workingHoursProblem(DEFAULT_WORKING_HOURS)).toBeNull();
    expect(workingHoursProblem({ days: [], startMinute: 540, endMinute: 1020 })).toMatch(/day/);
    expect(workingHoursProblem({ days: [1], startMinute: 1020, endMinute: 540 })).not.toBeNull();
  });
});

describe('checkInAfterMeeting', () => {
  it('asks after the meeting, inside everyone’s working hours', () => {
    const people = [person(BERLIN), person(NEW_YORK)];
    const meeting = new Date('2026-01-13T15:30:00Z'); // Tue 16:30 Berlin, 10:30 New York
    const at = checkInAfterMeeting(people, meeting);
    expect(at.getTime()).toBeGreaterThan(meeting.getTime() + 30 * 60_000);
    // An hour after the end is 18:00 in Berlin: the next shared working time is Wednesday 15:00 Berlin.
    expect(local(at, BERLIN)).toBe('Wed 15:00');
    expectInsideEveryonesHours([at], people);
  });
});

describe('quietHoursOf: Weave’s own messages follow a member’s working hours', () => {
  it('keeps the general rules for members who never set hours, and uses theirs otherwise', () => {
    expect(quietHoursOf(null)).toBeUndefined();
    const sunToThu: WorkingHours = { days: [7, 1, 2, 3, 4], startMinute: 7 * 60 + 30, endMinute: 15 * 60 };
    const opts = quietHoursOf(sunToThu);
    expect(opts).toEqual({ quietEnd: 7, quietStart: 15, preferredHour: 10, weekendDays: [5, 6] });
    // Thursday 16:00 in Kolkata is after their day: the message waits until Sunday 10:00, not Friday.
    const due = nextWorkingTime(new Date('2026-01-15T10:30:00Z'), KOLKATA, opts);
    expect(local(due, KOLKATA)).toBe('Sun 10:00');
    // A group check-in waits for the shared working time of both members' own hours.
    const group = groupDeliveryTime(new Date('2026-01-15T10:30:00Z'), [
      { tz: KOLKATA, opts },
      { tz: BERLIN, opts: quietHoursOf({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 }) },
    ]);
    // Shared: Monday Kolkata 13:30–15:00 = Berlin 09:00–10:30; Berlin's preferred 10:00 is inside it.
    expect(local(group, KOLKATA)).toBe('Mon 14:30');
    expect(local(group, BERLIN)).toBe('Mon 10:00');
  });
});
