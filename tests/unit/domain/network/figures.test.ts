import { describe, expect, it } from 'vitest';
import {
  anonymousGives,
  anonymousMatrix,
  buildConnectionMatrix,
  buildHeatmap,
  type Connection,
  deliveryProgress,
  givesByKind,
  latestRecapSlot,
  summariseRound,
  weeklyCrossDepartmentTrend,
  weeklyRecap,
  weekStartUtc,
} from '../../../../src/domain/network/index.ts';

const d = (iso: string) => new Date(iso);

describe('weekly cross-department trend', () => {
  const conn = (a: string, b: string, x: string, y: string, iso: string): Connection => ({
    a,
    b,
    people: [x, y],
    at: d(iso),
    via: 'meeting',
  });

  it('starts weeks on Monday 00:00 UTC', () => {
    expect(weekStartUtc(d('2026-11-25T12:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(weekStartUtc(d('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(weekStartUtc(d('2026-11-22T23:59:59Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });

  it('counts connections between different departments per week, hiding weeks with fewer than 3 people', () => {
    const window = { from: d('2026-11-02T00:00:00Z'), to: d('2026-11-23T00:00:00Z') };
    const points = weeklyCrossDepartmentTrend(
      [
        conn('Eng', 'Sales', 'e1', 's1', '2026-11-03T10:00:00Z'),
        conn('Eng', 'Sales', 'e2', 's2', '2026-11-04T10:00:00Z'),
        conn('Eng', 'Eng', 'e1', 'e2', '2026-11-04T10:00:00Z'),
        conn('Eng', 'Sales', 'e1', 's1', '2026-11-10T10:00:00Z'),
        conn('Eng', 'Sales', 'e1', 's1', '2026-12-01T10:00:00Z'),
      ],
      window,
    );
    expect(points.map((p) => [p.weekStart.toISOString().slice(0, 10), p.cell])).toEqual([
      ['2026-11-02', { status: 'shown', count: 2, people: 4 }],
      ['2026-11-09', { status: 'hidden' }],
      ['2026-11-16', { status: 'none' }],
    ]);
  });
});

describe('round summaries', () => {
  const group = (members: string[], met = false, delivered = true) => ({ members, met, delivered });

  it('shows participation and the meet rate of delivered intros', () => {
    const s = summariseRound({
      id: 'r',
      number: 4,
      at: d('2026-11-02T09:00:00Z'),
      status: 'delivered',
      groups: [group(['a', 'b'], true), group(['c', 'd'], true), group(['e', 'f', 'g']), group(['h', 'i'])],
    });
    expect(s).toMatchObject({
      hidden: false,
      participants: 9,
      groups: 4,
      delivered: 4,
      met: 2,
      meetRate: 0.5,
    });
  });

  it('hides a round of fewer than 3 people and a meet rate that only one pair is behind', () => {
    expect(
      summariseRound({
        id: 'r',
        number: 1,
        at: d('2026-11-02T09:00:00Z'),
        status: 'delivered',
        groups: [group(['a', 'b'], true)],
      }),
    ).toMatchObject({ hidden: true });
    const onePairMet = summariseRound({
      id: 'r',
      number: 2,
      at: d('2026-11-02T09:00:00Z'),
      status: 'delivered',
      groups: [group(['a', 'b'], true), group(['c', 'd'])],
    });
    expect(onePairMet).toMatchObject({ hidden: false, participants: 4, met: null, meetRate: null });
    const noneMet = summariseRound({
      id: 'r',
      number: 3,
      at: d('2026-11-02T09:00:00Z'),
      status: 'delivered',
      groups: [group(['a', 'b']), group(['c', 'd'])],
    });
    expect(noneMet).toMatchObject({ met: 0, meetRate: 0 });
  });

  it('estimates the time left of a delivery from its pace so far', () => {
    expect(
      deliveryProgress({
        total: 5000,
        sent: 1240,
        failed: 10,
        startedAt: d('2026-11-02T09:00:00Z'),
        now: d('2026-11-02T09:25:00Z'),
      }),
    ).toEqual({ sent: 1240, total: 5000, failed: 10, remainingMs: 75 * 60_000 });
    expect(
      deliveryProgress({
        total: 10,
        sent: 0,
        failed: 0,
        startedAt: d('2026-11-02T09:00:00Z'),
        now: d('2026-11-02T09:01:00Z'),
      }).remainingMs,
    ).toBeNull();
  });
});

describe('gives by kind', () => {
  it('counts each kind, hiding kinds that fewer than 3 people are behind', () => {
    const at = d('2026-11-05T10:00:00Z');
    const kinds = givesByKind(
      [
        { giverId: 'a', receiverId: 'b', kind: 'help', at },
        { giverId: 'c', receiverId: 'b', kind: 'help', at },
        { giverId: 'a', receiverId: 'b', kind: 'mentoring', at },
        { giverId: 'a', receiverId: 'b', kind: 'mentoring', at },
        { giverId: 'a', receiverId: 'b', kind: 'something-old', at },
        { giverId: 'a', receiverId: 'b', kind: 'feedback', at: d('2020-01-01T00:00:00Z') },
      ],
      { from: d('2026-11-01T00:00:00Z'), to: d('2026-12-01T00:00:00Z') },
    );
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.cell]))).toEqual({
      expertise: { status: 'none' },
      intro: { status: 'none' },
      help: { status: 'shown', count: 3, people: 3 },
      mentoring: { status: 'hidden' },
      feedback: { status: 'none' },
    });
  });
});

describe('weekly recap', () => {
  it('covers the seven days up to the latest Friday 16:00 in the program time zone', () => {
    // Wednesday 25 Nov 2026: the latest slot is Friday 20 Nov 16:00 Berlin (15:00 UTC).
    const slot = latestRecapSlot(d('2026-11-25T12:00:00Z'), 'Europe/Berlin');
    expect(slot).toEqual({
      key: '2026-W47',
      from: d('2026-11-13T15:00:00Z'),
      to: d('2026-11-20T15:00:00Z'),
    });
    // From Friday 27 Nov 16:00 Berlin on, it is that Friday's.
    expect(latestRecapSlot(d('2026-11-27T14:59:00Z'), 'Europe/Berlin').key).toBe('2026-W47');
    expect(latestRecapSlot(d('2026-11-27T15:00:00Z'), 'Europe/Berlin').key).toBe('2026-W48');
    expect(latestRecapSlot(d('2026-11-27T15:00:00Z'), 'Not/AZone').key).toBe('2026-W47');
  });

  it('counts people who met and their departments, and says nothing when fewer than 3 met', () => {
    const people = [
      { id: 'a', department: 'Eng', active: true },
      { id: 'b', department: 'Sales', active: true },
      { id: 'c', department: 'Sales', active: true },
      { id: 'e', department: null, active: true },
    ];
    const window = { from: d('2026-11-13T15:00:00Z'), to: d('2026-11-20T15:00:00Z') };
    const inside = d('2026-11-16T10:00:00Z');
    expect(weeklyRecap(people, [{ members: ['a', 'b'], at: inside }], window)).toEqual({
      status: 'skip',
      reason: 'too_few_people',
    });
    expect(
      weeklyRecap(
        people,
        [
          { members: ['a', 'b'], at: inside },
          { members: ['c', 'e'], at: inside },
          { members: ['a', 'c'], at: d('2026-11-21T10:00:00Z') },
        ],
        window,
      ),
    ).toEqual({ status: 'post', peopleMet: 4, departments: 2 });
  });
});

describe('hidden departments are left out of every figure', () => {
  // Eng (4 people) and Sales (3) are shown; Tiny (2 people) is hidden. In one week Tiny's two people
  // connected with four engineers: if the trend counted them, trend minus heatmap would give Tiny's figure.
  const people = [
    ...['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, department: 'Eng', active: true })),
    ...['s1', 's2', 's3'].map((id) => ({ id, department: 'Sales', active: true })),
    ...['t1', 't2'].map((id) => ({ id, department: 'Tiny', active: true })),
    { id: 'x1', department: null, active: true },
  ];
  const window = { from: d('2026-11-02T00:00:00Z'), to: d('2026-11-16T00:00:00Z') };
  const met = (a: string, b: string, iso: string) => ({ members: [a, b], at: d(iso) });
  const matrix = buildConnectionMatrix({
    people,
    meetings: [
      met('e1', 's1', '2026-11-03T10:00:00Z'),
      met('e2', 's2', '2026-11-03T10:00:00Z'),
      met('t1', 'e1', '2026-11-10T10:00:00Z'),
      met('t1', 'e2', '2026-11-10T10:00:00Z'),
      met('t2', 'e3', '2026-11-10T10:00:00Z'),
      met('t2', 'e4', '2026-11-10T10:00:00Z'),
    ],
    gives: [
      { giverId: 't1', receiverId: 'e1', kind: 'help', at: d('2026-11-11T10:00:00Z') },
      { giverId: 'e1', receiverId: 'x1', kind: 'help', at: d('2026-11-11T10:00:00Z') },
    ],
    window,
  });

  it('the trend counts no connection of a hidden department', () => {
    // The raw week of 9 Nov holds Tiny's 5 connections with 6 people: shown before this fix.
    expect(weeklyCrossDepartmentTrend(matrix.connections, window)[1]?.cell).toMatchObject({
      status: 'shown',
    });
    const shown = anonymousMatrix(matrix);
    const trend = weeklyCrossDepartmentTrend(shown.connections, window);
    expect(trend.map((p) => p.cell)).toEqual([{ status: 'shown', count: 2, people: 4 }, { status: 'none' }]);
    expect([...shown.cells.keys()]).toEqual(['Eng|Sales']);
    // Department sizes stay, so the page can say how many departments were left out.
    expect(buildHeatmap(shown, { limit: 10 }).departmentsHidden).toBe(1);
  });

  it('gives by kind count no give of someone in a hidden department', () => {
    const gives = [
      { giverId: 't1', receiverId: 'e1', kind: 'help', at: d('2026-11-11T10:00:00Z') },
      { giverId: 'e1', receiverId: 's1', kind: 'help', at: d('2026-11-11T10:00:00Z') },
      { giverId: 's2', receiverId: 'x1', kind: 'help', at: d('2026-11-11T10:00:00Z') },
      { giverId: 'e2', receiverId: null, kind: 'help', at: d('2026-11-11T10:00:00Z') },
    ];
    const kept = anonymousGives(gives, people, matrix.departments);
    expect(kept.map((g) => g.giverId)).toEqual(['e1', 's2', 'e2']);
    expect(givesByKind(kept, window).find((k) => k.kind === 'help')?.cell).toEqual({
      status: 'shown',
      count: 3,
      people: 5,
    });
  });
});
