import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  groupDeliveryTime,
  isWorkingTime,
  nextWorkingTime,
  zonedParts,
} from '../../../../src/domain/schedule/index.ts';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Local wall-clock rendering, e.g. `Mon 2026-03-30 10:00`. */
function local(t: Date, tz: string): string {
  const p = zonedParts(t, tz);
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][p.weekday - 1];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wd} ${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

describe('isWorkingTime', () => {
  it.each([
    ['Mon 10:00 Berlin', '2026-01-12T09:00:00Z', 'Europe/Berlin', true],
    ['Mon 08:00 Berlin (quiet hours end)', '2026-01-12T07:00:00Z', 'Europe/Berlin', true],
    ['Mon 07:59 Berlin', '2026-01-12T06:59:00Z', 'Europe/Berlin', false],
    ['Mon 18:59 Berlin', '2026-01-12T17:59:00Z', 'Europe/Berlin', true],
    ['Mon 19:00 Berlin (quiet hours start)', '2026-01-12T18:00:00Z', 'Europe/Berlin', false],
    ['Sat 12:00 Berlin', '2026-01-17T11:00:00Z', 'Europe/Berlin', false],
    ['Sun 12:00 Kolkata', '2026-01-18T06:30:00Z', 'Asia/Kolkata', false],
    ['Fri 18:30 Kolkata', '2026-01-16T13:00:00Z', 'Asia/Kolkata', true],
  ])('%s → %s', (_name, iso, tz, expected) => {
    expect(isWorkingTime(at(iso), tz)).toBe(expected);
  });
});

describe('nextWorkingTime', () => {
  it.each([
    // Europe/Berlin
    ['Berlin: working hours → immediately', 'Europe/Berlin', '2026-01-14T11:17:00Z', 'Wed 2026-01-14 12:17'],
    [
      'Berlin: 08:30 is working time → immediately',
      'Europe/Berlin',
      '2026-01-14T07:30:00Z',
      'Wed 2026-01-14 08:30',
    ],
    [
      'Berlin: early morning → 10:00 the same day',
      'Europe/Berlin',
      '2026-01-14T02:00:00Z',
      'Wed 2026-01-14 10:00',
    ],
    ['Berlin: 19:00 → 10:00 next day', 'Europe/Berlin', '2026-01-14T18:00:00Z', 'Thu 2026-01-15 10:00'],
    [
      'Berlin: Friday evening → Monday 10:00',
      'Europe/Berlin',
      '2026-01-16T19:30:00Z',
      'Mon 2026-01-19 10:00',
    ],
    ['Berlin: Saturday noon → Monday 10:00', 'Europe/Berlin', '2026-01-17T11:00:00Z', 'Mon 2026-01-19 10:00'],
    ['Berlin: Sunday 23:30 → Monday 10:00', 'Europe/Berlin', '2026-01-18T22:30:00Z', 'Mon 2026-01-19 10:00'],
    [
      'Berlin: spring-forward night → Monday 10:00 CEST',
      'Europe/Berlin',
      '2026-03-29T00:30:00Z',
      'Mon 2026-03-30 10:00',
    ],
    [
      'Berlin: Friday evening before spring-forward',
      'Europe/Berlin',
      '2026-03-27T20:00:00Z',
      'Mon 2026-03-30 10:00',
    ],
    [
      'Berlin: fall-back night → Monday 10:00 CET',
      'Europe/Berlin',
      '2026-10-25T01:30:00Z',
      'Mon 2026-10-26 10:00',
    ],
    // America/New_York
    [
      'New York: working hours → immediately',
      'America/New_York',
      '2026-01-14T16:00:00Z',
      'Wed 2026-01-14 11:00',
    ],
    [
      'New York: Friday evening → Monday 10:00',
      'America/New_York',
      '2026-01-17T00:30:00Z',
      'Mon 2026-01-19 10:00',
    ],
    [
      'New York: spring-forward night → Monday 10:00 EDT',
      'America/New_York',
      '2026-03-08T07:30:00Z',
      'Mon 2026-03-09 10:00',
    ],
    [
      'New York: Saturday before spring-forward',
      'America/New_York',
      '2026-03-07T23:00:00Z',
      'Mon 2026-03-09 10:00',
    ],
    [
      'New York: fall-back night → Monday 10:00 EST',
      'America/New_York',
      '2026-11-01T06:30:00Z',
      'Mon 2026-11-02 10:00',
    ],
    [
      'New York: Monday 02:00 → 10:00 the same day',
      'America/New_York',
      '2026-01-19T07:00:00Z',
      'Mon 2026-01-19 10:00',
    ],
    // Asia/Kolkata
    ['Kolkata: working hours → immediately', 'Asia/Kolkata', '2026-01-14T06:00:00Z', 'Wed 2026-01-14 11:30'],
    ['Kolkata: 19:30 → 10:00 next day', 'Asia/Kolkata', '2026-01-14T14:00:00Z', 'Thu 2026-01-15 10:00'],
    [
      'Kolkata: Friday evening → Monday 10:00',
      'Asia/Kolkata',
      '2026-01-16T14:00:00Z',
      'Mon 2026-01-19 10:00',
    ],
    [
      'Kolkata: Friday evening in Berlin is Saturday in Kolkata',
      'Asia/Kolkata',
      '2026-01-16T22:00:00Z',
      'Mon 2026-01-19 10:00',
    ],
    ['Kolkata: across the year boundary', 'Asia/Kolkata', '2026-12-31T15:00:00Z', 'Fri 2027-01-01 10:00'],
  ])('%s', (_name, tz, iso, expected) => {
    const result = nextWorkingTime(at(iso), tz);
    expect(local(result, tz)).toBe(expected);
    expect(result.getTime()).toBeGreaterThanOrEqual(at(iso).getTime());
  });

  it.each([
    ['Asia/Kolkata', '2026-03-01T00:00:00Z'],
    ['Europe/Berlin', '2026-03-14T00:00:00Z'],
    ['Europe/Berlin', '2026-10-10T00:00:00Z'],
    ['America/New_York', '2026-02-28T00:00:00Z'],
    ['America/New_York', '2026-10-24T00:00:00Z'],
  ])('in %s from %s: never a weekend, never quiet hours, immediate when possible, else 10:00', (tz, from) => {
    const start = at(from).getTime();
    for (let t = start; t < start + 21 * DAY; t += 37 * 60_000) {
      const earliest = new Date(t);
      const result = nextWorkingTime(earliest, tz);
      const p = zonedParts(result, tz);
      expect(p.weekday).toBeLessThanOrEqual(5);
      expect(p.hour).toBeGreaterThanOrEqual(8);
      expect(p.hour).toBeLessThan(19);
      expect(result.getTime()).toBeGreaterThanOrEqual(t);
      expect(result.getTime() - t).toBeLessThan(3 * DAY);
      if (isWorkingTime(earliest, tz)) expect(result.getTime()).toBe(t);
      else expect([p.hour, p.minute]).toEqual([10, 0]);
    }
  });

  it('honours custom hours and weekend days', () => {
    const opts = { preferredHour: 9, quietStart: 18, quietEnd: 7, weekendDays: [5, 6] };
    // Thursday 18:30 in Dubai-like week (Friday/Saturday weekend) → Sunday 09:00.
    expect(local(nextWorkingTime(at('2026-01-15T14:30:00Z'), 'Asia/Dubai', opts), 'Asia/Dubai')).toBe(
      'Sun 2026-01-18 09:00',
    );
    expect(local(nextWorkingTime(at('2026-01-15T03:30:00Z'), 'Asia/Dubai', opts), 'Asia/Dubai')).toBe(
      'Thu 2026-01-15 07:30',
    );
  });

  it.each([
    [{ preferredHour: 20 }],
    [{ preferredHour: 7 }],
    [{ quietStart: 25 }],
    [{ quietEnd: 9.5 }],
    [{ weekendDays: [1, 2, 3, 4, 5, 6, 7] }],
    [{ weekendDays: [0] }],
  ])('rejects inconsistent options %j', (opts) => {
    expect(() => nextWorkingTime(at('2026-01-14T12:00:00Z'), 'UTC', opts)).toThrow(RangeError);
  });
});

describe('groupDeliveryTime', () => {
  const allWorking = (t: Date, tzs: string[]) => tzs.every((tz) => isWorkingTime(t, tz));

  it.each([
    [
      'Berlin + Kolkata, winter: Berlin 10:00 is 14:30 in Kolkata',
      ['Europe/Berlin', 'Asia/Kolkata'],
      '2026-01-12T02:00:00Z',
      '2026-01-12T09:00:00.000Z',
    ],
    [
      'Berlin + Kolkata, summer: Berlin 10:00 is 13:30 in Kolkata',
      ['Europe/Berlin', 'Asia/Kolkata'],
      '2026-07-13T02:00:00Z',
      '2026-07-13T08:00:00.000Z',
    ],
    [
      'Berlin + Kolkata, both working now → immediately',
      ['Europe/Berlin', 'Asia/Kolkata'],
      '2026-01-13T10:00:00Z',
      '2026-01-13T10:00:00.000Z',
    ],
    [
      'Berlin + Kolkata, Kolkata already off on Friday → Monday Berlin 10:00',
      ['Europe/Berlin', 'Asia/Kolkata'],
      '2026-01-16T15:00:00Z',
      '2026-01-19T09:00:00.000Z',
    ],
    [
      'Berlin + New York: New York 10:00 (Berlin 16:00)',
      ['Europe/Berlin', 'America/New_York'],
      '2026-01-12T02:00:00Z',
      '2026-01-12T15:00:00.000Z',
    ],
    [
      'Kolkata + Berlin + New York: the 30-minute window Kolkata 18:30–19:00 opens at New York 08:00',
      ['Asia/Kolkata', 'Europe/Berlin', 'America/New_York'],
      '2026-01-12T02:00:00Z',
      '2026-01-12T13:00:00.000Z',
    ],
    [
      'Auckland + Los Angeles overlap on weekdays: Auckland Tuesday 10:00 = Los Angeles Monday 13:00',
      ['Pacific/Auckland', 'America/Los_Angeles'],
      '2026-01-12T02:00:00Z',
      '2026-01-12T21:00:00.000Z',
    ],
    [
      'Auckland + Berlin in June overlap one hour (Berlin 08:00–09:00), no preferred hour inside → its start',
      ['Pacific/Auckland', 'Europe/Berlin'],
      '2026-06-15T00:00:00Z',
      '2026-06-15T06:00:00.000Z',
    ],
  ])('%s', (_name, tzs, iso, expected) => {
    const result = groupDeliveryTime(at(iso), tzs);
    expect(result.toISOString()).toBe(expected);
    expect(allWorking(result, tzs)).toBe(true);
  });

  it.each([
    ['New York + Shanghai', ['America/New_York', 'Asia/Shanghai'], '2026-01-12T00:00:00Z'],
    ['New York + Shanghai in summer', ['America/New_York', 'Asia/Shanghai'], '2026-07-13T00:00:00Z'],
    ['Berlin + Auckland in January', ['Europe/Berlin', 'Pacific/Auckland'], '2026-01-12T00:00:00Z'],
  ])('%s never share a working minute in a week', (_name, tzs, iso) => {
    for (let t = at(iso).getTime(); t < at(iso).getTime() + 7 * DAY; t += 15 * 60_000) {
      expect(allWorking(new Date(t), tzs)).toBe(false);
    }
  });

  it.each([
    [
      'New York first: Monday 12:00 UTC is quiet for both; New York 10:00 comes before Shanghai 10:00',
      '2026-01-12T12:00:00Z',
      '2026-01-12T15:00:00.000Z',
      'America/New_York',
    ],
    [
      'Shanghai first: on Saturday Shanghai reaches Monday 10:00 before New York does',
      '2026-01-17T12:00:00Z',
      '2026-01-19T02:00:00.000Z',
      'Asia/Shanghai',
    ],
    [
      'Shanghai working now → immediately',
      '2026-01-13T03:00:00Z',
      '2026-01-13T03:00:00.000Z',
      'Asia/Shanghai',
    ],
  ])('with no overlap uses the earliest member’s working time: %s', (_name, iso, expected, first) => {
    const tzs = ['America/New_York', 'Asia/Shanghai'];
    const result = groupDeliveryTime(at(iso), tzs);
    expect(result.toISOString()).toBe(expected);
    expect(result).toEqual(nextWorkingTime(at(iso), first));
    expect(isWorkingTime(result, first)).toBe(true);
  });

  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'])(
    'for one member equals nextWorkingTime in %s',
    (tz) => {
      const start = at('2026-03-01T00:00:00Z').getTime();
      for (let t = start; t < start + 40 * DAY; t += 97 * 60_000) {
        expect(groupDeliveryTime(new Date(t), [tz, tz])).toEqual(nextWorkingTime(new Date(t), tz));
      }
    },
  );

  it('with overlapping zones is working time for everyone and within the week, at every start time', () => {
    const tzs = ['Europe/Berlin', 'Asia/Kolkata'];
    const start = at('2026-03-20T00:00:00Z').getTime();
    for (let t = start; t < start + 14 * DAY; t += 53 * 60_000) {
      const result = groupDeliveryTime(new Date(t), tzs);
      expect(allWorking(result, tzs)).toBe(true);
      expect(result.getTime()).toBeGreaterThanOrEqual(t);
      expect(result.getTime() - t).toBeLessThan(4 * DAY);
    }
  });

  it('with no members returns earliest unchanged', () => {
    expect(groupDeliveryTime(at('2026-01-17T12:00:00Z'), [])).toEqual(at('2026-01-17T12:00:00Z'));
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['Wednesday + 2 → Friday', 'Europe/Berlin', '2026-01-14T14:00:00Z', 2, 'Fri 2026-01-16 15:00'],
    ['Friday + 2 → Tuesday', 'Europe/Berlin', '2026-01-16T14:00:00Z', 2, 'Tue 2026-01-20 15:00'],
    ['Saturday + 2 → Tuesday', 'Europe/Berlin', '2026-01-17T11:00:00Z', 2, 'Tue 2026-01-20 12:00'],
    ['Sunday + 1 → Monday', 'America/New_York', '2026-01-18T17:00:00Z', 1, 'Mon 2026-01-19 12:00'],
    ['Monday − 1 → Friday', 'Asia/Kolkata', '2026-01-19T04:30:00Z', -1, 'Fri 2026-01-16 10:00'],
    [
      'Friday + 1 across Berlin spring-forward keeps 10:00',
      'Europe/Berlin',
      '2026-03-27T09:00:00Z',
      1,
      'Mon 2026-03-30 10:00',
    ],
    [
      'Friday + 2 across New York fall-back keeps 10:00',
      'America/New_York',
      '2026-10-30T14:00:00Z',
      2,
      'Tue 2026-11-03 10:00',
    ],
    ['0 → unchanged', 'Europe/Berlin', '2026-01-17T11:00:00Z', 0, 'Sat 2026-01-17 12:00'],
  ])('%s', (_name, tz, iso, days, expected) => {
    expect(local(addWorkingDays(at(iso), tz, days), tz)).toBe(expected);
  });

  it('keeps seconds and rejects fractional days', () => {
    expect(addWorkingDays(at('2026-01-16T14:00:07.250Z'), 'UTC', 1).toISOString()).toBe(
      '2026-01-19T14:00:07.250Z',
    );
    expect(() => addWorkingDays(at('2026-01-16T14:00:00Z'), 'UTC', 1.5)).toThrow(RangeError);
  });
});
