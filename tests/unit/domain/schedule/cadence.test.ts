import { describe, expect, it } from 'vitest';
import {
  type Cadence,
  checkInAt,
  headsUpAt,
  isCadence,
  isRoundDue,
  nextRoundAt,
  type Period,
  type ProgramSchedule,
  periodFor,
  periodKeyWeekIndex,
  weekIndex,
  zonedParts,
} from '../../../../src/domain/schedule/index.ts';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

/** Local wall-clock rendering, e.g. `Mon 2026-03-30 10:00`. */
function local(t: Date, tz: string): string {
  const p = zonedParts(t, tz);
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][p.weekday - 1];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wd} ${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

function schedule(overrides: Partial<ProgramSchedule> = {}): ProgramSchedule {
  return {
    cadence: 'weekly',
    weekday: 1,
    hour: 10,
    tz: 'Europe/Berlin',
    anchor: at('2025-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** Every distinct period touched when walking from `from` to `to` in `stepHours` steps. */
function walk(s: ProgramSchedule, from: string, to: string, stepHours: number): Period[] {
  const periods: Period[] = [];
  for (let t = at(from).getTime(); t < at(to).getTime(); t += stepHours * HOUR) {
    const p = periodFor(s, new Date(t));
    expect(p.start.getTime()).toBeLessThanOrEqual(t);
    expect(p.end.getTime()).toBeGreaterThan(t);
    const last = periods[periods.length - 1];
    if (last === undefined || last.key !== p.key) periods.push(p);
  }
  return periods;
}

describe('isCadence', () => {
  it.each([
    ['weekly', true],
    ['biweekly', true],
    ['every4weeks', true],
    ['daily', false],
    [2, false],
  ])('accepts %j: %s', (value, ok) => {
    expect(isCadence(value)).toBe(ok);
  });
});

describe('periodFor', () => {
  it.each([
    ['mid-week', '2026-11-25T12:00:00Z', '2026-W48', 'Mon 2026-11-23 00:00', 'Mon 2026-11-30 00:00'],
    [
      'Monday before the scheduled hour is already in its own ISO week',
      '2026-11-23T06:59:59Z',
      '2026-W48',
      'Mon 2026-11-23 00:00',
      'Mon 2026-11-30 00:00',
    ],
    [
      'Sunday 23:59 still belongs to the ending week',
      '2026-11-22T22:59:00Z',
      '2026-W47',
      'Mon 2026-11-16 00:00',
      'Mon 2026-11-23 00:00',
    ],
    ['week 53 of 2026', '2026-12-31T12:00:00Z', '2026-W53', 'Mon 2026-12-28 00:00', 'Mon 2027-01-04 00:00'],
    [
      'early January still in 2026-W53',
      '2027-01-03T12:00:00Z',
      '2026-W53',
      'Mon 2026-12-28 00:00',
      'Mon 2027-01-04 00:00',
    ],
    [
      'first ISO week of 2027',
      '2027-01-04T09:00:00Z',
      '2027-W01',
      'Mon 2027-01-04 00:00',
      'Mon 2027-01-11 00:00',
    ],
    [
      'ISO 2026-W01 starting in December 2025',
      '2025-12-31T12:00:00Z',
      '2026-W01',
      'Mon 2025-12-29 00:00',
      'Mon 2026-01-05 00:00',
    ],
  ])('weekly Monday 10:00 Berlin: %s', (_name, iso, key, start, end) => {
    const p = periodFor(schedule(), at(iso));
    expect(p.key).toBe(key);
    expect(local(p.start, 'Europe/Berlin')).toBe(start);
    expect(local(p.end, 'Europe/Berlin')).toBe(end);
    expect(local(p.roundAt, 'Europe/Berlin')).toBe(start.replace('00:00', '10:00'));
  });

  it('keys a Sunday schedule by the ISO week of its Sunday (week 53 then week 1)', () => {
    const s = schedule({ weekday: 7, hour: 18, tz: 'America/New_York' });
    expect(periodFor(s, at('2027-01-03T23:00:00Z')).key).toBe('2026-W53');
    expect(periodFor(s, at('2027-01-04T12:00:00Z')).key).toBe('2027-W01');
    expect(periodFor(s, at('2027-01-10T23:00:00Z')).key).toBe('2027-W01');
  });

  it.each([
    ['Europe/Berlin', 1, 10],
    ['America/New_York', 1, 10],
    ['America/New_York', 5, 16],
    ['Asia/Kolkata', 3, 9],
    ['Pacific/Auckland', 1, 10],
  ])(
    'weekly in %s (weekday %i, %i:00) covers 2026 with contiguous periods at the same local time, none skipped or repeated',
    (tz, weekday, hour) => {
      const periods = walk(
        schedule({ tz, weekday, hour }),
        '2025-12-25T00:00:00Z',
        '2027-01-12T00:00:00Z',
        1,
      );
      const keys = periods.map((p) => p.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const [i, p] of periods.entries()) {
        const parts = zonedParts(p.roundAt, tz);
        expect([parts.weekday, parts.hour, parts.minute]).toEqual([weekday, hour, 0]);
        const next = periods[i + 1];
        if (next !== undefined) {
          expect(next.start).toEqual(p.end);
          expect(weekIndex(zonedParts(next.start, tz))).toBe(weekIndex(zonedParts(p.start, tz)) + 1);
        }
      }
      expect(keys).toContain('2026-W53');
      expect(keys).toContain('2027-W01');
    },
  );

  it.each([
    [
      'Berlin spring-forward',
      'Europe/Berlin',
      '2026-03-25T00:00:00Z',
      ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      167,
    ],
    [
      'Berlin fall-back',
      'Europe/Berlin',
      '2026-10-21T00:00:00Z',
      ['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
      169,
    ],
    [
      'New York spring-forward',
      'America/New_York',
      '2026-03-04T00:00:00Z',
      ['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      167,
    ],
    [
      'New York fall-back',
      'America/New_York',
      '2026-10-28T00:00:00Z',
      ['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
      169,
    ],
  ])(
    'keeps the week at local midnights and the round at 10:00 local across %s (period lasts %i h)',
    (_name, tz, iso, [start, end], hours) => {
      const p = periodFor(schedule({ tz }), at(iso));
      expect(local(p.roundAt, tz).slice(-5)).toBe('10:00');
      expect(p.start.toISOString()).toBe(start);
      expect(p.end.toISOString()).toBe(end);
      expect((p.end.getTime() - p.start.getTime()) / HOUR).toBe(hours);
    },
  );

  it('moves a round scheduled inside the spring-forward gap to the first valid instant, once', () => {
    const s = schedule({ weekday: 7, hour: 2 });
    const p = periodFor(s, at('2026-03-29T01:30:00Z'));
    expect(p.roundAt.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(local(p.roundAt, 'Europe/Berlin')).toBe('Sun 2026-03-29 03:00');
    expect(isRoundDue(s, at('2026-03-29T00:59:00Z'), '2026-W12').reason).toBe('not_yet');
    expect(isRoundDue(s, at('2026-03-29T01:00:00Z'), '2026-W12')).toMatchObject({
      due: true,
      periodKey: '2026-W13',
    });
  });

  it.each([
    ['Europe/Berlin', '2026-03-27T00:00:00Z'],
    ['Europe/Berlin', '2026-10-23T00:00:00Z'],
    ['America/New_York', '2026-03-06T00:00:00Z'],
    ['America/New_York', '2026-10-30T00:00:00Z'],
  ])('keeps every quarter hour inside its period for a Sunday 02:00 round in %s from %s', (tz, from) => {
    const to = new Date(at(from).getTime() + 6 * 24 * HOUR).toISOString();
    const periods = walk(schedule({ tz, weekday: 7, hour: 2 }), from, to, 0.25);
    expect(periods).toHaveLength(2);
    expect(periods[1]!.start).toEqual(periods[0]!.end);
  });

  it('puts a round scheduled in the repeated fall-back hour at its first occurrence, once', () => {
    const s = schedule({ weekday: 7, hour: 2 });
    const p = periodFor(s, at('2026-10-25T01:30:00Z'));
    expect(p.roundAt.toISOString()).toBe('2026-10-25T00:00:00.000Z');
    expect(periodFor(s, at('2026-10-25T00:30:00Z')).key).toBe(p.key);
  });

  it.each([
    ['biweekly', 2],
    ['every4weeks', 4],
  ] as [Cadence, number][])(
    '%s: phase follows the anchor week, is the same from any instant, and survives week 53',
    (cadence, weeks) => {
      // Anchor on Wednesday of 2026-W02.
      const s = schedule({ cadence, anchor: at('2026-01-07T15:00:00Z') });
      const periods = walk(s, '2026-01-12T00:00:00Z', '2027-03-01T00:00:00Z', 5);
      const anchorWeek = weekIndex(zonedParts(s.anchor, s.tz));
      for (const [i, p] of periods.entries()) {
        const startWeek = weekIndex(zonedParts(p.start, s.tz));
        expect((startWeek - anchorWeek) % weeks).toBe(0);
        expect(p.key.endsWith(`/${weeks}`)).toBe(true);
        expect(local(p.start, s.tz).slice(0, 3)).toBe('Mon');
        const next = periods[i + 1];
        if (next !== undefined) expect(next.start).toEqual(p.end);
      }
      expect(periods[0]!.key).toBe(weeks === 2 ? '2026-W02/2' : '2026-W02/4');
    },
  );

  it('biweekly continues from 2026-W52 to 2027-W01 (2026 has 53 weeks)', () => {
    const s = schedule({ cadence: 'biweekly', anchor: at('2026-01-07T15:00:00Z') });
    expect(periodFor(s, at('2026-12-30T12:00:00Z')).key).toBe('2026-W52/2');
    expect(periodFor(s, at('2027-01-05T12:00:00Z')).key).toBe('2027-W01/2');
  });

  it('an anchor one week later shifts the biweekly phase by one week', () => {
    const even = periodFor(
      schedule({ cadence: 'biweekly', anchor: at('2026-01-07T15:00:00Z') }),
      at('2026-03-04T12:00:00Z'),
    );
    const odd = periodFor(
      schedule({ cadence: 'biweekly', anchor: at('2026-01-14T15:00:00Z') }),
      at('2026-03-04T12:00:00Z'),
    );
    expect([even.key, odd.key]).toEqual(['2026-W10/2', '2026-W09/2']);
  });

  it.each([
    [{ weekday: 0 }],
    [{ weekday: 8 }],
    [{ hour: 24 }],
    [{ hour: 9.5 }],
    [{ tz: 'Nowhere/Else' }],
    [{ cadence: 'daily' as Cadence }],
  ])('rejects an invalid schedule %j', (overrides) => {
    expect(() => periodFor(schedule(overrides), at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('isRoundDue', () => {
  const s = schedule({ anchor: at('2026-03-04T12:00:00Z') }); // Wednesday of 2026-W10
  it.each([
    ['due at the scheduled time', '2026-03-09T09:00:00Z', null, true, '2026-W11', 'due'],
    [
      'not due again in the same period',
      '2026-03-09T09:05:00Z',
      '2026-W11',
      false,
      '2026-W11',
      'already_ran',
    ],
    [
      'a round missed while down runs later in the same period',
      '2026-03-13T16:00:00Z',
      '2026-W10',
      true,
      '2026-W11',
      'due',
    ],
    [
      'still due on the last minute of the period',
      '2026-03-15T22:59:00Z',
      '2026-W10',
      true,
      '2026-W11',
      'due',
    ],
    [
      'after the period only the current period is due, never the missed one',
      '2026-03-17T10:00:00Z',
      '2026-W10',
      true,
      '2026-W12',
      'due',
    ],
    [
      'on Monday before the scheduled hour the new week has begun but its round is not yet due',
      '2026-03-16T08:59:00Z',
      '2026-W11',
      false,
      '2026-W12',
      'not_yet',
    ],
    [
      'never for a slot before the program existed',
      '2026-03-05T12:00:00Z',
      null,
      false,
      '2026-W10',
      'before_first_round',
    ],
    ['the first slot after creation is due', '2026-03-09T09:00:00Z', null, true, '2026-W11', 'due'],
  ])('%s', (_name, iso, last, due, periodKey, reason) => {
    const r = isRoundDue(s, at(iso), last);
    expect({ due: r.due, periodKey: r.periodKey, reason: r.reason }).toEqual({ due, periodKey, reason });
  });

  it('treats the anchor instant itself as in time for a slot at the same instant', () => {
    const created = at('2026-03-09T09:00:00Z');
    expect(isRoundDue(schedule({ anchor: created }), created, null).due).toBe(true);
  });

  it('does not rerun a period after the cadence is changed mid-period', () => {
    const biweekly = schedule({ cadence: 'biweekly', anchor: at('2026-01-01T00:00:00Z') });
    // Weekly ran 2026-W11; the biweekly period containing the same week began in W10 or W11.
    const r = isRoundDue(biweekly, at('2026-03-12T12:00:00Z'), '2026-W11');
    expect(r.due).toBe(false);
    expect(r.reason).toBe('already_ran');
  });

  it('does not rerun in the same week after the weekday is moved later, and runs the next week', () => {
    const thursday = schedule({ weekday: 4, anchor: at('2026-01-01T00:00:00Z') });
    expect(isRoundDue(thursday, at('2026-03-12T10:00:00Z'), '2026-W11').due).toBe(false);
    expect(isRoundDue(thursday, at('2026-03-19T10:00:00Z'), '2026-W11')).toMatchObject({
      due: true,
      periodKey: '2026-W12',
    });
  });

  it('runs exactly once per period when ticking every 5 minutes across Berlin and New York DST weekends', () => {
    for (const tz of ['Europe/Berlin', 'America/New_York']) {
      const sch = schedule({ tz, weekday: 7, hour: 2, anchor: at('2026-01-01T00:00:00Z') });
      for (const from of ['2026-03-07T00:00:00Z', '2026-10-17T00:00:00Z']) {
        // The week before `from` had its round.
        let last: string | null = periodFor(sch, new Date(at(from).getTime() - 7 * 24 * HOUR)).key;
        const runs: string[] = [];
        for (let t = at(from).getTime(); t < at(from).getTime() + 28 * 24 * HOUR; t += 5 * 60_000) {
          const r = isRoundDue(sch, new Date(t), last);
          if (r.due) {
            runs.push(local(new Date(t), tz));
            last = r.periodKey;
          }
        }
        expect(runs).toHaveLength(4);
        for (const run of runs) expect(run).toMatch(/^Sun .* 0[23]:00$/);
      }
    }
    // 32,000 ticks: a generous budget so a loaded machine does not fail it (not a timing target).
  }, 30_000);
});

describe('nextRoundAt', () => {
  const s = schedule({ anchor: at('2026-03-04T12:00:00Z') });
  it.each([
    ['later the same day', '2026-03-09T08:59:00Z', 'Mon 2026-03-09 10:00'],
    [
      'strictly after: at the round itself gives the following one',
      '2026-03-09T09:00:00Z',
      'Mon 2026-03-16 10:00',
    ],
    ['across Berlin spring-forward', '2026-03-27T12:00:00Z', 'Mon 2026-03-30 10:00'],
    ['before the program existed: its first slot', '2026-01-01T00:00:00Z', 'Mon 2026-03-09 10:00'],
  ])('%s', (_name, iso, expected) => {
    expect(local(nextRoundAt(s, at(iso)), 'Europe/Berlin')).toBe(expected);
  });

  it('for biweekly, skips the off-phase week', () => {
    const b = schedule({ cadence: 'biweekly', anchor: at('2026-01-07T15:00:00Z') });
    expect(local(nextRoundAt(b, at('2026-01-13T12:00:00Z')), 'Europe/Berlin')).toBe('Mon 2026-01-19 10:00');
    expect(local(nextRoundAt(b, at('2026-01-20T12:00:00Z')), 'Europe/Berlin')).toBe('Mon 2026-02-02 10:00');
  });

  it('before the anchor, equals the anchor when a slot falls exactly on it', () => {
    const exact = schedule({ anchor: at('2026-03-09T09:00:00Z') });
    expect(nextRoundAt(exact, at('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('checkInAt', () => {
  it.each([
    ['weekly, plain week', 'weekly', 'Europe/Berlin', '2026-03-11T12:00:00Z', 'Thu 2026-03-12 22:00'],
    [
      'weekly, across Berlin spring-forward',
      'weekly',
      'Europe/Berlin',
      '2026-03-24T12:00:00Z',
      'Thu 2026-03-26 22:00',
    ],
    [
      'weekly, across New York fall-back',
      'weekly',
      'America/New_York',
      '2026-10-28T12:00:00Z',
      'Thu 2026-10-29 22:00',
    ],
    ['biweekly', 'biweekly', 'Europe/Berlin', '2026-03-11T12:00:00Z', 'Mon 2026-03-09 10:00'],
    ['every 4 weeks', 'every4weeks', 'America/New_York', '2026-03-11T12:00:00Z', 'Mon 2026-03-16 10:00'],
  ] as [string, Cadence, string, string, string][])(
    'is halfway on the local clock: %s',
    (_name, cadence, tz, iso, expected) => {
      const s = schedule({ cadence, tz, anchor: at('2026-03-04T12:00:00Z') });
      expect(local(checkInAt(periodFor(s, at(iso))), tz)).toBe(expected);
    },
  );
});

describe('headsUpAt', () => {
  it('is 24 hours before the round without a zone', () => {
    expect(headsUpAt(at('2026-03-30T08:00:00Z')).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it.each([
    ['Europe/Berlin', '2026-03-30T08:00:00Z', 'Sun 2026-03-29 10:00'],
    ['Europe/Berlin', '2026-10-26T09:00:00Z', 'Sun 2026-10-25 10:00'],
    ['America/New_York', '2026-03-09T14:00:00Z', 'Sun 2026-03-08 10:00'],
  ])('with zone %s, is the same local time the day before across DST', (tz, iso, expected) => {
    expect(local(headsUpAt(at(iso), tz), tz)).toBe(expected);
  });
});

describe('periodKeyWeekIndex', () => {
  it('parses weekly and multi-week keys to the week index of their first week', () => {
    const w = weekIndex({ year: 2026, month: 11, day: 23 });
    expect(periodKeyWeekIndex('2026-W48')).toBe(w);
    expect(periodKeyWeekIndex('2026-W48/2')).toBe(w);
    expect(periodKeyWeekIndex('2026-W48/4')).toBe(w);
    expect(periodKeyWeekIndex('2027-W01')).toBe(periodKeyWeekIndex('2026-W53')! + 1);
  });

  it.each(['2026-48', '2025-W53', '2026-W00', '2026-W48/3', 'manual-1'])('returns null for %j', (key) => {
    expect(periodKeyWeekIndex(key)).toBeNull();
  });
});

describe('calendar periods and early rounds', () => {
  const berlin = schedule({ anchor: at('2026-11-01T00:00:00Z') }); // weekly, Monday 10:00 Europe/Berlin
  const days = (from: string, n: number, stepHours: number) =>
    Array.from(
      { length: Math.floor((n * 24) / stepHours) },
      (_, i) => new Date(at(from).getTime() + i * stepHours * HOUR),
    );

  it('an early round on Monday 08:00 belongs to that ISO week, and nothing else runs that week', () => {
    const early = at('2026-11-30T07:00:00Z'); // Monday 30 November 08:00 Berlin, ISO week 49
    const ranKey = periodFor(berlin, early).key;
    expect(ranKey).toBe('2026-W49');
    // The scheduler ticks every 30 minutes until Sunday night: never due.
    for (const t of days('2026-11-30T07:00:00Z', 7, 0.5).filter((d) => d < at('2026-12-06T23:00:00Z'))) {
      expect(isRoundDue(berlin, t, ranKey).due).toBe(false);
    }
    // The next week runs as scheduled.
    expect(isRoundDue(berlin, at('2026-12-07T09:00:00Z'), ranKey)).toMatchObject({
      due: true,
      periodKey: '2026-W50',
    });
  });

  it.each([
    ['biweekly', 2],
    ['every4weeks', 4],
  ] as [Cadence, number][])('%s: an early round fills its whole %i-week block', (cadence, weeks) => {
    const s = schedule({ cadence, anchor: at('2026-11-23T00:00:00Z') }); // block starts in ISO week 48
    const early = at('2026-11-23T07:00:00Z'); // Monday of the block's first week, before 10:00
    const ranKey = periodFor(s, early).key;
    expect(ranKey).toBe(`2026-W48/${weeks}`);
    const due = days('2026-11-23T07:00:00Z', 7 * weeks + 1, 1).filter((t) => isRoundDue(s, t, ranKey).due);
    // The first tick that is due again is the next block's scheduled round, 2 or 4 weeks on.
    const nextBlock = periodFor(s, periodFor(s, early).end);
    expect(due[0]).toEqual(nextBlock.roundAt);
    expect(local(due[0]!, 'Europe/Berlin')).toBe(
      weeks === 2 ? 'Mon 2026-12-07 10:00' : 'Mon 2026-12-21 10:00',
    );
  });

  it.each([
    ['weekly → biweekly', 'weekly', 'biweekly'],
    ['weekly → every 4 weeks', 'weekly', 'every4weeks'],
    ['biweekly → weekly', 'biweekly', 'weekly'],
  ] as [string, Cadence, Cadence][])(
    'changing the cadence mid-period never adds a round to that period: %s',
    (_n, from, to) => {
      const anchor = at('2026-11-23T00:00:00Z');
      const ran = periodFor(schedule({ cadence: from, anchor }), at('2026-11-30T09:00:00Z')).key;
      const after = schedule({ cadence: to, anchor });
      const current = periodFor(after, at('2026-12-01T12:00:00Z'));
      // Every tick from the change to the end of the period (under the new cadence) that falls in the period
      // the old round ran in is refused.
      const ticks = days('2026-12-01T12:00:00Z', 28, 1).filter((t) => t < current.end);
      const ranWeek = periodKeyWeekIndex(ran)!;
      for (const t of ticks) {
        const r = isRoundDue(after, t, ran);
        if (r.due) expect(periodKeyWeekIndex(r.periodKey)!).toBeGreaterThan(ranWeek);
      }
    },
  );

  it('changing the weekday mid-week does not run the week again', () => {
    const ran = periodFor(berlin, at('2026-11-30T09:00:00Z')).key;
    const thursday = { ...berlin, weekday: 4 };
    for (const t of days('2026-12-01T00:00:00Z', 5, 1)) expect(isRoundDue(thursday, t, ran).due).toBe(false);
  });

  it('a round missed while down runs late in its period, never after it', () => {
    expect(isRoundDue(berlin, at('2026-12-04T15:00:00Z'), '2026-W48')).toMatchObject({
      due: true,
      periodKey: '2026-W49',
    });
    // Down all week 49: at Monday 00:30 of week 50 the missed round is gone and week 50's is not yet due.
    expect(isRoundDue(berlin, at('2026-12-06T23:30:00Z'), '2026-W48')).toMatchObject({
      due: false,
      reason: 'not_yet',
    });
  });
});
