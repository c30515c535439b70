import { describe, expect, it } from 'vitest';
import {
  checkGive,
  type GiveCheckInput,
  localDayBounds,
  needsThankSomeoneNewNudge,
  reasonLength,
  remainingGivesToday,
} from '../../../../src/domain/gives/rules.ts';
import { zonedParts } from '../../../../src/domain/schedule/index.ts';

const HOUR = 3_600_000;
const base: GiveCheckInput = {
  giverId: 'U1',
  receiver: { id: 'U2', isBot: false, deleted: false },
  reason: 'thanks for reviewing the deck',
  givenTodayCount: 0,
  dailyCap: 5,
};

describe('checkGive', () => {
  it('accepts a normal give', () => {
    expect(checkGive(base)).toEqual({ ok: true });
  });

  it.each<[string, Partial<GiveCheckInput>, string]>([
    ['self give', { receiver: { id: 'U1', isBot: false, deleted: false } }, 'self_give'],
    ['bot', { receiver: { id: 'B1', isBot: true, deleted: false } }, 'bot_receiver'],
    ['deleted user', { receiver: { id: 'U3', isBot: false, deleted: true } }, 'deleted_receiver'],
    [
      'external user',
      { receiver: { id: 'U3', isBot: false, deleted: false, isExternal: true } },
      'external_receiver',
    ],
    ['empty reason', { reason: '' }, 'reason_too_short'],
    ['9-character reason', { reason: 'great job' }, 'reason_too_short'],
    ['spaces only pad the reason', { reason: '  great     job  ' }, 'reason_too_short'],
    ['too long', { reason: 'x'.repeat(2001) }, 'reason_too_long'],
    ['cap reached', { givenTodayCount: 5 }, 'daily_cap_reached'],
    ['cap exceeded', { givenTodayCount: 9 }, 'daily_cap_reached'],
    ['cap of zero', { dailyCap: 0 }, 'daily_cap_reached'],
    ['higher minimum', { minReasonLength: 40 }, 'reason_too_short'],
  ])('refuses a %s', (_name, change, code) => {
    const result = checkGive({ ...base, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(20);
    }
  });

  it.each<[string, Partial<GiveCheckInput>]>([
    ['exactly 10 characters', { reason: '0123456789' }],
    ['ten emoji (graphemes, not code units)', { reason: '👩‍💻'.repeat(10) }],
    ['the last give of the day', { givenTodayCount: 4 }],
    ['no cap', { givenTodayCount: 1000, dailyCap: Number.POSITIVE_INFINITY }],
    ['2000 characters', { reason: 'x'.repeat(2000) }],
  ])('accepts %s', (_name, change) => {
    expect(checkGive({ ...base, ...change })).toEqual({ ok: true });
  });

  it('checks the receiver before the reason and the reason before the cap', () => {
    const all = {
      ...base,
      receiver: { id: 'U1', isBot: true, deleted: true },
      reason: '',
      givenTodayCount: 99,
    };
    expect(checkGive(all)).toMatchObject({ code: 'self_give' });
    expect(checkGive({ ...base, reason: 'short', givenTodayCount: 99 })).toMatchObject({
      code: 'reason_too_short',
    });
  });

  it('tells the giver what to do instead', () => {
    const short = checkGive({ ...base, reason: 'ty' });
    expect(!short.ok && short.message).toContain('`/give @maria #help');
    const cap = checkGive({ ...base, givenTodayCount: 5 });
    expect(!cap.ok && cap.message).toMatch(/midnight/);
  });
});

describe('reasonLength and remainingGivesToday', () => {
  it('counts what people see', () => {
    expect(reasonLength('  a   b  ')).toBe(3);
    expect(reasonLength('日本語のありがとう')).toBe(9);
  });
  it('never goes negative', () => {
    expect(remainingGivesToday(2, 5)).toBe(3);
    expect(remainingGivesToday(7, 5)).toBe(0);
    expect(remainingGivesToday(0, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('needsThankSomeoneNewNudge', () => {
  it.each([
    [0, false],
    [1, false],
    [3, false],
    [4, true],
    [10, true],
  ])('%i gives between the pair in 7 days → %s', (count, nudge) => {
    expect(needsThankSomeoneNewNudge(count)).toBe(nudge);
  });
});

describe('localDayBounds', () => {
  it.each([
    // Los Angeles: spring forward 2026-03-08 (23 h), fall back 2026-11-01 (25 h).
    ['America/Los_Angeles', '2026-03-08T12:00:00Z', '2026-03-08T08:00:00Z', '2026-03-09T07:00:00Z', 23],
    ['America/Los_Angeles', '2026-11-01T20:00:00Z', '2026-11-01T07:00:00Z', '2026-11-02T08:00:00Z', 25],
    ['America/Los_Angeles', '2026-07-01T06:59:59Z', '2026-06-30T07:00:00Z', '2026-07-01T07:00:00Z', 24],
    ['America/Los_Angeles', '2026-07-01T07:00:00Z', '2026-07-01T07:00:00Z', '2026-07-02T07:00:00Z', 24],
    // Auckland: DST ends 2026-04-05 (25 h), starts 2026-09-27 (23 h).
    ['Pacific/Auckland', '2026-04-05T01:00:00Z', '2026-04-04T11:00:00Z', '2026-04-05T12:00:00Z', 25],
    ['Pacific/Auckland', '2026-04-05T12:00:00Z', '2026-04-05T12:00:00Z', '2026-04-06T12:00:00Z', 24],
    ['Pacific/Auckland', '2026-09-27T05:00:00Z', '2026-09-26T12:00:00Z', '2026-09-27T11:00:00Z', 23],
    ['Pacific/Auckland', '2026-01-15T10:59:00Z', '2026-01-14T11:00:00Z', '2026-01-15T11:00:00Z', 24],
    ['Pacific/Auckland', '2026-01-15T11:00:00Z', '2026-01-15T11:00:00Z', '2026-01-16T11:00:00Z', 24],
    ['UTC', '2026-02-28T23:59:59Z', '2026-02-28T00:00:00Z', '2026-03-01T00:00:00Z', 24],
    ['Not/AZone', '2026-02-28T23:59:59Z', '2026-02-28T00:00:00Z', '2026-03-01T00:00:00Z', 24],
  ])('%s at %s → [%s, %s) (%i h)', (tz, at, start, end, hours) => {
    const bounds = localDayBounds(tz, new Date(at));
    expect(bounds.start.toISOString()).toBe(new Date(start).toISOString());
    expect(bounds.end.toISOString()).toBe(new Date(end).toISOString());
    expect((bounds.end.getTime() - bounds.start.getTime()) / HOUR).toBe(hours);
  });

  it.each([
    'Pacific/Auckland',
    'America/Los_Angeles',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'America/Havana',
  ])('in %s every hour of the DST-changing months lies in a day that starts at local midnight', (tz) => {
    for (const month of ['2026-03-01', '2026-04-01', '2026-09-20', '2026-10-25']) {
      const from = new Date(`${month}T00:00:00Z`).getTime();
      for (let t = from; t < from + 14 * 24 * HOUR; t += HOUR) {
        const at = new Date(t);
        const { start, end } = localDayBounds(tz, at);
        expect(start.getTime()).toBeLessThanOrEqual(t);
        expect(end.getTime()).toBeGreaterThan(t);
        expect([23, 23.5, 24, 24.5, 25]).toContain((end.getTime() - start.getTime()) / HOUR);
        const local = zonedParts(start, tz);
        const today = zonedParts(at, tz);
        expect([local.year, local.month, local.day]).toEqual([today.year, today.month, today.day]);
        // Havana changes clocks at midnight, so its day can start at 01:00.
        expect(local.hour * 60 + local.minute).toBeLessThanOrEqual(60);
      }
    }
  });

  it.each([
    ['Pacific/Auckland', '2026-04-04T11:00:00Z'],
    ['America/Los_Angeles', '2026-03-07T08:00:00Z'],
    ['America/Los_Angeles', '2026-10-31T07:00:00Z'],
  ])('a giver in %s gets exactly the cap per local day across a DST change', (tz, from) => {
    const cap = 5;
    const recorded: number[] = [];
    const perDay = new Map<number, number>();
    // Try a give every 30 minutes for three whole local days straddling the change.
    const first = new Date(from).getTime();
    const last = localDayBounds(tz, new Date(first + 60 * HOUR)).end.getTime();
    for (let t = first; t < last; t += HOUR / 2) {
      const { start, end } = localDayBounds(tz, new Date(t));
      const givenToday = recorded.filter((r) => r >= start.getTime() && r < end.getTime()).length;
      const result = checkGive({ ...base, givenTodayCount: givenToday, dailyCap: cap });
      if (result.ok) {
        // Each local day's allowance is available from the local midnight that starts it.
        if (givenToday === 0) expect(t - start.getTime()).toBeLessThan(HOUR / 2);
        recorded.push(t);
        perDay.set(start.getTime(), (perDay.get(start.getTime()) ?? 0) + 1);
      }
    }
    expect([...perDay.values()].every((n) => n === cap)).toBe(true);
    expect(perDay.size).toBe(3);
  });

  it('puts the same instant on different local days for Auckland and Los Angeles', () => {
    const at = new Date('2026-06-15T20:00:00Z');
    const nz = localDayBounds('Pacific/Auckland', at);
    const la = localDayBounds('America/Los_Angeles', at);
    expect(nz.start.toISOString()).toBe('2026-06-15T12:00:00.000Z');
    expect(la.start.toISOString()).toBe('2026-06-15T07:00:00.000Z');
  });
});
