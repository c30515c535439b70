import { describe, expect, it } from 'vitest';
import { sharedWorkingHours, sharedWorkingMinutes } from '../../../../src/domain/matching/index.ts';

const WINTER = new Date('2026-01-05T10:00:00Z');
const SUMMER = new Date('2026-07-06T10:00:00Z');

describe('shared working hours (09:00–17:00 local)', () => {
  it.each([
    [['Europe/Berlin', 'Europe/Berlin'], 8],
    [['Europe/Berlin', 'Europe/London'], 7],
    [['Europe/Berlin', 'America/New_York'], 2],
    [['Europe/Berlin', 'Asia/Kolkata'], 3.5],
    [['America/Los_Angeles', 'Asia/Tokyo'], 1],
    [['America/New_York', 'Asia/Tokyo'], 0],
    [['Europe/Berlin', 'Europe/London', 'Asia/Kolkata'], 2.5],
  ])('%j share %f hours in January', (tzs, hours) => {
    expect(sharedWorkingHours(tzs, WINTER)).toBe(hours);
  });

  it('follows daylight saving time through the instant passed in', () => {
    // Berlin and New York both shift, Kolkata does not.
    expect(sharedWorkingHours(['Europe/Berlin', 'Asia/Kolkata'], SUMMER)).toBe(4.5);
    expect(sharedWorkingHours(['America/Phoenix', 'America/Denver'], WINTER)).toBe(8);
    expect(sharedWorkingHours(['America/Phoenix', 'America/Denver'], SUMMER)).toBe(7);
  });

  it('wraps around midnight UTC', () => {
    expect(sharedWorkingMinutes([-600, 840])).toBe(480); // Honolulu-like and Kiritimati-like: same wall clock
    expect(sharedWorkingMinutes([-480, 540])).toBe(60);
  });

  it('reads an unknown zone as UTC', () => {
    expect(sharedWorkingHours(['Nowhere/Land', 'UTC'], WINTER)).toBe(8);
  });
});
