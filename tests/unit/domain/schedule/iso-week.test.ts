import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  isoWeek,
  isoWeekday,
  isoWeekKey,
  isoWeekMonday,
  isoWeeksInYear,
  type LocalDate,
  weekIndex,
} from '../../../../src/domain/schedule/index.ts';

const d = (s: string): LocalDate => {
  const [year, month, day] = s.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
};

describe('isoWeek', () => {
  it.each([
    ['2026-01-01', 2026, 1, '2026-W01'],
    ['2025-12-29', 2026, 1, '2026-W01'],
    ['2025-12-28', 2025, 52, '2025-W52'],
    ['2026-11-23', 2026, 48, '2026-W48'],
    ['2026-12-28', 2026, 53, '2026-W53'],
    ['2027-01-03', 2026, 53, '2026-W53'],
    ['2027-01-04', 2027, 1, '2027-W01'],
    ['2021-01-03', 2020, 53, '2020-W53'],
    ['2024-12-30', 2025, 1, '2025-W01'],
  ])('puts %s in ISO year %i week %i (%s)', (date, year, week, key) => {
    expect(isoWeek(d(date))).toEqual({ year, week });
    expect(isoWeekKey(d(date))).toBe(key);
  });

  it.each([
    [2020, 53],
    [2025, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])('knows ISO year %i has %i weeks', (year, weeks) => {
    expect(isoWeeksInYear(year)).toBe(weeks);
  });

  it('maps every Monday 2019–2031 back to itself through its ISO week', () => {
    for (let day = d('2019-01-07'); day.year < 2032; day = addCalendarDays(day, 7)) {
      const { year, week } = isoWeek(day);
      expect(isoWeekMonday(year, week)).toEqual(day);
    }
  });
});

describe('isoWeekday', () => {
  it.each([
    ['2026-11-23', 1],
    ['2026-11-28', 6],
    ['2026-11-29', 7],
    ['1970-01-01', 4],
    ['1969-12-28', 7],
  ])('gives %s weekday %i', (date, weekday) => {
    expect(isoWeekday(d(date))).toBe(weekday);
  });
});

describe('weekIndex', () => {
  it('counts weeks without a gap or repeat across a 53-week ISO year', () => {
    const mondays = [d('2026-12-21'), d('2026-12-28'), d('2027-01-04')];
    const idx = mondays.map(weekIndex);
    expect(idx[1]! - idx[0]!).toBe(1);
    expect(idx[2]! - idx[1]!).toBe(1);
  });

  it('gives every day of an ISO week (Monday–Sunday) the same index', () => {
    const monday = d('2026-03-23');
    const indexes = new Set([0, 1, 2, 3, 4, 5, 6].map((i) => weekIndex(addCalendarDays(monday, i))));
    expect(indexes.size).toBe(1);
    expect(weekIndex(addCalendarDays(monday, 7))).toBe(weekIndex(monday) + 1);
  });
});
