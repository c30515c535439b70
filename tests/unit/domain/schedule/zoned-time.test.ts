import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  isValidTimeZone,
  tzOffsetMinutes,
  zonedDateTimeToInstant,
  zonedParts,
  zonedPartsWithin,
} from '../../../../src/domain/schedule/index.ts';

const at = (iso: string) => new Date(iso);

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Asia/Kolkata', true],
    ['UTC', true],
    ['Europe/Berln', false],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['   ', false],
  ])('says %j is valid: %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});

describe('zonedParts', () => {
  it.each([
    [
      '2026-01-12T09:00:00Z',
      'Europe/Berlin',
      { year: 2026, month: 1, day: 12, hour: 10, minute: 0, weekday: 1 },
    ],
    [
      '2026-07-13T08:00:00Z',
      'Europe/Berlin',
      { year: 2026, month: 7, day: 13, hour: 10, minute: 0, weekday: 1 },
    ],
    [
      '2026-01-12T04:30:00Z',
      'Asia/Kolkata',
      { year: 2026, month: 1, day: 12, hour: 10, minute: 0, weekday: 1 },
    ],
    [
      '2026-01-01T03:00:00Z',
      'America/New_York',
      { year: 2025, month: 12, day: 31, hour: 22, minute: 0, weekday: 3 },
    ],
    [
      '2026-11-29T23:00:00Z',
      'Europe/Berlin',
      { year: 2026, month: 11, day: 30, hour: 0, minute: 0, weekday: 1 },
    ],
    ['2026-11-29T12:34:56Z', 'UTC', { year: 2026, month: 11, day: 29, hour: 12, minute: 34, weekday: 7 }],
  ])('reads %s in %s', (iso, tz, expected) => {
    expect(zonedParts(at(iso), tz)).toMatchObject(expected);
  });

  it('throws RangeError for an unknown zone or an invalid date', () => {
    expect(() => zonedParts(at('2026-01-01T00:00:00Z'), 'Nowhere/Else')).toThrow(RangeError);
    expect(() => zonedParts(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('tzOffsetMinutes', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 'Europe/Berlin', 60],
    ['2026-07-15T12:00:00Z', 'Europe/Berlin', 120],
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', 60],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', 120],
    ['2026-01-15T12:00:00Z', 'America/New_York', -300],
    ['2026-07-15T12:00:00Z', 'America/New_York', -240],
    ['2026-07-15T12:00:00Z', 'Asia/Kolkata', 330],
    ['2026-07-15T12:00:00Z', 'Asia/Kathmandu', 345],
    ['2026-07-15T12:00:00Z', 'UTC', 0],
  ])('at %s in %s is %i minutes', (iso, tz, minutes) => {
    expect(tzOffsetMinutes(at(iso), tz)).toBe(minutes);
  });
});

describe('zonedDateTimeToInstant', () => {
  it.each([
    ['a plain winter time', 'Europe/Berlin', [2026, 1, 12, 10, 0], '2026-01-12T09:00:00.000Z'],
    ['a plain summer time', 'Europe/Berlin', [2026, 7, 13, 10, 0], '2026-07-13T08:00:00.000Z'],
    ['a half-hour zone', 'Asia/Kolkata', [2026, 1, 1, 0, 0], '2025-12-31T18:30:00.000Z'],
    [
      'Berlin spring-forward gap 02:30 → 03:00 CEST',
      'Europe/Berlin',
      [2026, 3, 29, 2, 30],
      '2026-03-29T01:00:00.000Z',
    ],
    ['Berlin gap start 02:00 → 03:00 CEST', 'Europe/Berlin', [2026, 3, 29, 2, 0], '2026-03-29T01:00:00.000Z'],
    ['Berlin just after the gap', 'Europe/Berlin', [2026, 3, 29, 3, 0], '2026-03-29T01:00:00.000Z'],
    [
      'Berlin fall-back 02:30 → earlier (CEST)',
      'Europe/Berlin',
      [2026, 10, 25, 2, 30],
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'New York spring-forward gap 02:30 → 03:00 EDT',
      'America/New_York',
      [2026, 3, 8, 2, 30],
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'New York fall-back 01:30 → earlier (EDT)',
      'America/New_York',
      [2026, 11, 1, 1, 30],
      '2026-11-01T05:30:00.000Z',
    ],
    ['a whole skipped day (Samoa 2011)', 'Pacific/Apia', [2011, 12, 30, 12, 0], '2011-12-30T10:00:00.000Z'],
    ['an hour of 24 rolling into the next day', 'UTC', [2026, 12, 31, 24, 0], '2027-01-01T00:00:00.000Z'],
  ])('resolves %s', (_name, tz, [year, month, day, hour, minute], expected) => {
    const local = { year: year!, month: month!, day: day!, hour: hour!, minute: minute! };
    expect(zonedDateTimeToInstant(local, tz).toISOString()).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T00:00:00Z'],
    ['Europe/Berlin', '2026-10-24T00:00:00Z'],
    ['America/New_York', '2026-03-07T00:00:00Z'],
    ['America/New_York', '2026-10-31T00:00:00Z'],
    ['Asia/Kolkata', '2026-03-28T00:00:00Z'],
  ])('round-trips every quarter hour over a DST weekend in %s from %s (ambiguous → earlier)', (tz, from) => {
    const start = at(from).getTime();
    for (let t = start; t < start + 3 * 86_400_000; t += 15 * 60_000) {
      const back = zonedDateTimeToInstant(zonedParts(new Date(t), tz), tz).getTime();
      // Only the second pass through a repeated (fall-back) hour maps to the earlier instant.
      expect([t, t - 3_600_000]).toContain(back);
      if (back !== t)
        expect(tzOffsetMinutes(new Date(t), tz)).toBeLessThan(tzOffsetMinutes(new Date(back), tz));
    }
  });
});

describe('addLocalDays', () => {
  it.each([
    [
      'keeps 10:00 local across Berlin spring-forward',
      '2026-03-27T09:00:00Z',
      'Europe/Berlin',
      3,
      '2026-03-30T08:00:00.000Z',
    ],
    [
      'keeps 10:00 local across Berlin fall-back',
      '2026-10-23T08:00:00Z',
      'Europe/Berlin',
      3,
      '2026-10-26T09:00:00.000Z',
    ],
    [
      'keeps 10:00 local across New York spring-forward',
      '2026-03-06T15:00:00Z',
      'America/New_York',
      3,
      '2026-03-09T14:00:00.000Z',
    ],
    [
      'goes back across New York fall-back',
      '2026-11-02T15:00:00Z',
      'America/New_York',
      -2,
      '2026-10-31T14:00:00.000Z',
    ],
    [
      'keeps seconds and milliseconds',
      '2026-01-12T09:00:42.123Z',
      'Europe/Berlin',
      1,
      '2026-01-13T09:00:42.123Z',
    ],
    ['crosses a year boundary', '2026-12-31T04:30:00Z', 'Asia/Kolkata', 1, '2027-01-01T04:30:00.000Z'],
  ])('%s', (_name, iso, tz, days, expected) => {
    expect(addLocalDays(at(iso), tz, days).toISOString()).toBe(expected);
  });
});

describe('zonedPartsWithin', () => {
  const HOUR = 3_600_000;
  it('reads the same parts as zonedParts at every instant of a day, across DST changes and odd offsets', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    // Days holding a transition (Berlin and New York in spring and autumn, Lord Howe's half hour), and not.
    const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-25', '2026-11-01', '2026-07-15'];
    for (const tz of zones) {
      for (const day of days) {
        const from = Date.parse(`${day}T00:00:00Z`) - 6 * HOUR;
        for (const span of [8 * HOUR, 24 * HOUR, 40 * HOUR]) {
          const read = zonedPartsWithin(tz, from, from + span);
          for (let t = from; t <= from + span; t += 7 * 60_000 + 1234) {
            expect(read(t)).toEqual(zonedParts(new Date(t), tz));
          }
        }
      }
    }
  });
});
