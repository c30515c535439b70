import { describe, expect, it } from 'vitest';
import { type MatchMember, planRound } from '../../../../src/domain/matching/index.ts';
import {
  AT,
  coverageOf,
  expectedBound,
  pairsOf,
  roster,
  SHAPES,
  type Shape,
  shapeProblems,
  simulate,
} from './helpers.ts';

const SIZES = [...Array.from({ length: 29 }, (_, i) => i + 2), 31, 37, 44, 51, 64, 65, 99, 128, 157, 200];

function plan(members: MatchMember[], seed: number) {
  return planRound({ members, history: [], round: 1, windowRounds: 12, seed, at: AT });
}

describe('planRound invariants over sizes 2–200, odd and even, all department shapes', () => {
  const cases = SIZES.flatMap((n) => SHAPES.map((shape) => [n, shape] as [number, Shape]));

  it.each(cases)(
    'n=%i %s: everyone in exactly one group, one trio iff odd, coverage hits the bound',
    (n, shape) => {
      for (const seed of [1, 2, 3]) {
        const members = roster(n, shape, seed * 7919 + n);
        const p = plan(members, seed);
        expect(shapeProblems(p, members)).toEqual([]);
        expect(p.unmatched).toEqual([]);
        expect(p.groups.filter((g) => g.members.length === 3)).toHaveLength(n % 2);
        expect(coverageOf(p, members)).toBe(expectedBound(members));
        expect(p.stats).toMatchObject({
          n,
          coverage: expectedBound(members),
          bound: expectedBound(members),
          trios: n % 2,
        });
      }
    },
  );
});

describe('planRound edge pools', () => {
  it('makes no groups for an empty pool', () => {
    expect(plan([], 1)).toEqual({
      groups: [],
      unmatched: [],
      stats: { n: 0, coverage: 0, bound: 0, repeats: 0, trios: 0, tzScore: 0 },
    });
  });

  it('leaves a pool of one unmatched so the caller can tell them', () => {
    const p = plan([{ id: 'solo', department: 'A', tz: 'UTC' }], 1);
    expect(p.groups).toEqual([]);
    expect(p.unmatched).toEqual(['solo']);
    expect(p.stats.bound).toBe(0);
  });

  it('pairs the only two people again even though they met last round', () => {
    const members = roster(2, 'balanced', 5);
    const p = planRound({
      members,
      history: [{ round: 1, members: ['U0', 'U1'] }],
      round: 2,
      windowRounds: 12,
      seed: 1,
      at: AT,
    });
    expect(p.groups.map((g) => g.members)).toEqual([['U0', 'U1']]);
    expect(p.stats.repeats).toBe(1);
  });

  it('reads an unknown time zone as UTC instead of failing', () => {
    const p = plan(
      [
        { id: 'a', department: 'A', tz: 'Mars/Olympus' },
        { id: 'b', department: 'B', tz: 'UTC' },
      ],
      1,
    );
    expect(p.stats.tzScore).toBe(8);
  });

  it('rejects duplicate member ids (a caller bug)', () => {
    expect(() =>
      plan(
        [
          { id: 'a', department: 'A', tz: 'UTC' },
          { id: 'a', department: 'B', tz: 'UTC' },
        ],
        1,
      ),
    ).toThrow(/duplicate member id/);
  });
});

describe('determinism', () => {
  it.each([11, 40, 301, 1200])('gives the identical plan for the same seed (n=%i)', (n) => {
    const members = roster(n, 'balanced', n);
    const history = simulate(members, 2, { seed: 9, window: 12 }).history;
    const input = { members, history, round: 3, windowRounds: 12, seed: 42, at: AT };
    expect(planRound(input)).toEqual(planRound({ ...input, members: members.map((m) => ({ ...m })) }));
  });

  it.each([6, 12, 13, 40, 301, 1200])('gives different plans for different seeds (n=%i)', (n) => {
    const members = roster(n, 'balanced', n).map((m) => ({ ...m, tz: 'Europe/Berlin' }));
    const plans = [1, 2, 3, 4].map((seed) => JSON.stringify(plan(members, seed).groups));
    expect(new Set(plans).size).toBeGreaterThan(1);
  });
});

describe('repeats across rounds', () => {
  it.each([14, 15, 20, 27, 40, 41, 64, 120])(
    'never repeats last round’s pairs in a balanced pool (n=%i, 8 rounds)',
    (n) => {
      for (const seed of [1, 2]) {
        const members = roster(n, 'balanced', seed * 31 + n);
        const { plans } = simulate(members, 8, { seed, window: 12 });
        for (let r = 1; r < plans.length; r += 1) {
          const previous = new Set(pairsOf((plans[r - 1] as (typeof plans)[number]).groups));
          const repeated = pairsOf((plans[r] as (typeof plans)[number]).groups).filter((p) =>
            previous.has(p),
          );
          expect(repeated, `round ${r + 1}`).toEqual([]);
        }
      }
    },
  );

  it.each([30, 41, 64, 200])(
    'has no repeat within the window when the pool allows it (n=%i, 6 rounds)',
    (n) => {
      const members = roster(n, 'balanced', n);
      const { plans } = simulate(members, 6, { seed: 3, window: 6 });
      const met = new Set<string>();
      for (const p of plans) {
        const pairs = pairsOf(p.groups);
        expect(pairs.filter((x) => met.has(x))).toEqual([]);
        expect(p.stats.repeats).toBe(0);
        for (const x of pairs) met.add(x);
        expect(coverageOf(p, members)).toBe(expectedBound(members));
      }
    },
  );

  it('never repeats last round’s pairs in a skewed pool while still hitting the bound (n=31)', () => {
    const members = roster(31, 'skewed', 4);
    const { plans } = simulate(members, 6, { seed: 4, window: 12 });
    for (let r = 1; r < plans.length; r += 1) {
      const previous = new Set(pairsOf((plans[r - 1] as (typeof plans)[number]).groups));
      expect(pairsOf((plans[r] as (typeof plans)[number]).groups).filter((p) => previous.has(p))).toEqual([]);
      expect(coverageOf(plans[r] as (typeof plans)[number], members)).toBe(expectedBound(members));
    }
  });
});

describe('trio rotation', () => {
  it.each([5, 7, 9, 11, 13, 21, 41, 401])(
    'does not make last round’s trio members the added person (n=%i)',
    (n) => {
      const members = roster(n, 'balanced', n + 100);
      const { plans, pools } = simulate(members, 8, { seed: 5, window: 12 });
      plans.forEach((p, r) => {
        const trio = p.groups.find((g) => g.members.length === 3);
        expect(trio, `round ${r + 1}`).toBeDefined();
        const added = trio?.members[2] as string;
        const flagged = new Set(
          (pools[r] as MatchMember[]).filter((m) => m.wasInTrioLastRound).map((m) => m.id),
        );
        expect(flagged.has(added), `round ${r + 1}: ${added}`).toBe(false);
        expect(trio?.reasons.map((x) => x.code)).toContain('trio');
      });
    },
  );

  it.each([15, 41])(
    'keeps every trio member out of consecutive trios when the pool is big enough (n=%i)',
    (n) => {
      const members = roster(n, 'balanced', n + 200);
      const { plans } = simulate(members, 6, { seed: 6, window: 12 });
      for (let r = 1; r < plans.length; r += 1) {
        const last = new Set(
          (plans[r - 1] as (typeof plans)[number]).groups.find((g) => g.members.length === 3)?.members,
        );
        const now =
          (plans[r] as (typeof plans)[number]).groups.find((g) => g.members.length === 3)?.members ?? [];
        expect(now.filter((id) => last.has(id))).toEqual([]);
      }
    },
  );
});
