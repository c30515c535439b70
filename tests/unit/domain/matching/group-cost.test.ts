// The one group-cost function (model.ts `groupCost`), for pairs and for larger groups: each term of
// product.md §2's tiers, the "don't pair" veto, and its agreement with the pair-cost table.
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  COST,
  groupCost,
  membersCost,
  pairCost,
  pairCostTable,
} from '../../../../src/domain/matching/model.ts';
import type { MatchMember, PastGroup } from '../../../../src/domain/matching/types.ts';

const AT = new Date(Date.UTC(2026, 0, 5, 10));

function modelOf(
  members: MatchMember[],
  options: { history?: PastGroup[]; round?: number; groupSize?: number } = {},
) {
  return buildModel({
    members,
    history: options.history ?? [],
    round: options.round ?? 5,
    windowRounds: 12,
    seed: 7,
    at: AT,
    groupSize: options.groupSize ?? 2,
  });
}

const berlin = (id: string, department: string, extra: Partial<MatchMember> = {}): MatchMember => ({
  id,
  department,
  tz: 'Europe/Berlin',
  ...extra,
});

describe('groupCost', () => {
  it('costs a pair from two departments in one time zone as its pair terms only (jitter)', () => {
    const m = modelOf([berlin('A', 'eng'), berlin('B', 'sales')]);
    const cost = groupCost(m, [0, 1], 2);
    expect(cost).toBe(pairCost(m, 0, 1));
    expect(cost).toBeGreaterThanOrEqual(0);
    expect(cost).toBeLessThan(COST.JITTER);
  });

  it('charges both members of a single-department pair as uncovered, new members once more', () => {
    const m = modelOf([berlin('A', 'eng'), berlin('B', 'eng', { isNew: true })]);
    expect(groupCost(m, [0, 1], 2)).toBe(pairCost(m, 0, 1) + 2 * COST.UNCOVERED + COST.NEW_UNCOVERED);
  });

  it('adds the missing shared working hours', () => {
    const m = modelOf([berlin('A', 'eng'), { id: 'B', department: 'sales', tz: 'Asia/Tokyo' }]);
    // Berlin (UTC+1) and Tokyo (UTC+9) share no working hour: all eight are missing.
    expect(groupCost(m, [0, 1], 2)).toBeCloseTo(pairCost(m, 0, 1) + 8 * COST.TZ_PER_HOUR, 9);
  });

  it('charges a pair that met last round as consecutive, and one within the window less', () => {
    const members = [berlin('A', 'eng'), berlin('B', 'sales'), berlin('C', 'ops')];
    const m = modelOf(members, {
      round: 5,
      history: [
        { round: 4, members: ['A', 'B'] },
        { round: 2, members: ['A', 'C'] },
      ],
    });
    const consecutive = groupCost(m, [0, 1], 2);
    const windowed = groupCost(m, [0, 2], 2);
    expect(consecutive).toBeGreaterThanOrEqual(COST.CONSECUTIVE);
    expect(consecutive).toBeLessThan(COST.CONSECUTIVE + COST.WINDOW);
    expect(windowed).toBeGreaterThanOrEqual(COST.WINDOW);
    expect(windowed).toBeLessThan(COST.CONSECUTIVE);
  });

  it('is infinite for any group holding a "don\'t pair" couple', () => {
    const m = modelOf([berlin('A', 'eng', { doNotPair: ['B'] }), berlin('B', 'sales'), berlin('C', 'ops')]);
    expect(groupCost(m, [0, 1], 2)).toBe(Number.POSITIVE_INFINITY);
    expect(groupCost(m, [2, 0, 1], 3)).toBe(Number.POSITIVE_INFINITY);
    expect(groupCost(m, [0, 2], 2)).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it('sums every pair of a larger group, with its shared hours, once', () => {
    const m = modelOf([berlin('A', 'eng'), berlin('B', 'sales'), berlin('C', 'ops'), berlin('D', 'hr')], {
      groupSize: 3,
    });
    const pairs = pairCost(m, 0, 1) + pairCost(m, 0, 2) + pairCost(m, 1, 2);
    expect(groupCost(m, [0, 1, 2], 3)).toBe(pairs);
    const four =
      pairCost(m, 0, 1) +
      pairCost(m, 0, 2) +
      pairCost(m, 0, 3) +
      pairCost(m, 1, 2) +
      pairCost(m, 1, 3) +
      pairCost(m, 2, 3);
    expect(groupCost(m, [0, 1, 2, 3], 4)).toBe(four);
  });

  it('charges an enlarged group for members enlarged last round, and more when all of them were', () => {
    const flagged = { wasInTrioLastRound: true };
    const some = modelOf([berlin('A', 'eng', flagged), berlin('B', 'sales'), berlin('C', 'ops')]);
    const base = pairCost(some, 0, 1) + pairCost(some, 0, 2) + pairCost(some, 1, 2);
    expect(groupCost(some, [0, 1, 2], 3)).toBe(base + COST.TRIO_FLAGGED);
    const all = modelOf([
      berlin('A', 'eng', flagged),
      berlin('B', 'sales', flagged),
      berlin('C', 'ops', flagged),
    ]);
    const allBase = pairCost(all, 0, 1) + pairCost(all, 0, 2) + pairCost(all, 1, 2);
    expect(groupCost(all, [0, 1, 2], 3)).toBe(allBase + COST.TRIO_ALL_FLAGGED + 3 * COST.TRIO_FLAGGED);
    // In groups of three, three people are not enlarged: the flags cost nothing.
    const inThrees = modelOf(
      [berlin('A', 'eng', flagged), berlin('B', 'sales', flagged), berlin('C', 'ops')],
      {
        groupSize: 3,
      },
    );
    const threes = pairCost(inThrees, 0, 1) + pairCost(inThrees, 0, 2) + pairCost(inThrees, 1, 2);
    expect(groupCost(inThrees, [0, 1, 2], 3)).toBe(threes);
  });

  it('gives the same figure by member indices and from the pair-cost table', () => {
    const m = modelOf(
      [
        berlin('A', 'eng', { isNew: true }),
        berlin('B', 'eng'),
        { id: 'C', department: 'sales', tz: 'America/New_York' },
        berlin('D', 'ops', { wasInTrioLastRound: true }),
      ],
      { history: [{ round: 3, members: ['A', 'C'] }] },
    );
    const table = pairCostTable(m);
    for (const g of [
      [0, 1],
      [0, 2],
      [1, 3],
      [0, 1, 2],
      [1, 2, 3],
    ]) {
      const cost = groupCost(m, g, g.length);
      expect(membersCost(m, g[0] as number, g[1] as number, g[2] ?? -1)).toBe(cost);
      expect(groupCost(m, g, g.length, table)).toBe(cost);
    }
  });
});
