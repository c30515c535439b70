import { describe, expect, it } from 'vitest';
import {
  createRng,
  type MatchMember,
  type PastGroup,
  planRound,
  sharedWorkingHours,
} from '../../../../src/domain/matching/index.ts';
import {
  AT,
  coverageOf,
  expectedBound,
  pairsOf,
  refusedPairsIn,
  roster,
  SHAPES,
  shapeProblems,
} from './helpers.ts';

function plan(
  members: MatchMember[],
  extra: {
    history?: PastGroup[];
    round?: number;
    window?: number;
    seed?: number;
    weights?: Map<string, number>;
  } = {},
) {
  return planRound({
    members,
    history: extra.history ?? [],
    round: extra.round ?? 1,
    windowRounds: extra.window ?? 12,
    seed: extra.seed ?? 1,
    at: AT,
    ...(extra.weights ? { departmentPairWeights: extra.weights } : {}),
  });
}

const member = (
  id: string,
  department: string | null,
  tz = 'Europe/Berlin',
  more: Partial<MatchMember> = {},
): MatchMember => ({
  id,
  department,
  tz,
  ...more,
});

describe("don't-pair lists", () => {
  it.each([6, 7, 13, 25, 60, 61, 450, 451])('are never violated, in either direction (n=%i)', (n) => {
    for (const shape of SHAPES) {
      for (const seed of [1, 2, 3]) {
        const rng = createRng(seed * 17 + n);
        const members = roster(n, shape, seed + n).map((m) => ({
          ...m,
          doNotPair: Array.from({ length: Math.floor(rng() * 4) }, () => `U${Math.floor(rng() * n)}`),
        }));
        const p = plan(members, { seed });
        expect(refusedPairsIn(p, members)).toEqual([]);
        expect(shapeProblems(p, members)).toEqual([]);
        // Sparse lists leave plenty of options: nobody should be left out.
        expect(p.unmatched).toEqual([]);
      }
    }
  });

  it('leaves someone unmatched rather than pairing them with a person they refused', () => {
    const members = [
      member('a', 'A', 'UTC', { doNotPair: ['b', 'c'] }),
      member('b', 'B'),
      member('c', 'C'),
      member('d', 'D', 'UTC', { doNotPair: ['a'] }),
    ];
    const p = plan(members);
    expect(p.unmatched).toEqual(['a']);
    expect(p.groups.map((g) => [...g.members].sort())).toEqual([['b', 'c', 'd']]);
  });

  it('keeps the hard rule above coverage: refusals may cost a cross-department pair', () => {
    const members = [
      member('a1', 'A'),
      member('a2', 'A'),
      member('b1', 'B', 'UTC', { doNotPair: ['a1', 'a2'] }),
      member('b2', 'B'),
    ];
    const p = plan(members);
    expect(p.unmatched).toEqual([]);
    expect(pairsOf(p.groups).sort()).toEqual(['a1|a2', 'b1|b2']);
  });
});

describe('new members', () => {
  it('get the scarce cross-department partners when their department dominates', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const big = Array.from({ length: 12 }, (_, i) =>
        member(`a${i}`, 'A', 'Europe/Berlin', { isNew: i < 3 }),
      );
      const others = [
        member('b1', 'B', 'Asia/Tokyo'),
        member('c1', 'C', 'Asia/Tokyo'),
        member('d1', 'D', 'Asia/Tokyo'),
      ];
      const p = plan([...big, ...others], { seed });
      for (const id of ['a0', 'a1', 'a2']) {
        const g = p.groups.find((x) => x.members.includes(id));
        expect(
          g?.members.some((x) => !x.startsWith('a')),
          `${id}, seed ${seed}`,
        ).toBe(true);
      }
      expect(coverageOf(p, [...big, ...others])).toBe(7);
    }
  });

  it('are placed first in larger pools too', () => {
    const members = roster(301, 'skewed', 3).map((m, i) => ({
      ...m,
      isNew: m.department === 'Big' && i % 10 === 0,
    }));
    const p = plan(members, { seed: 2 });
    const dept = new Map(members.map((m) => [m.id, m.department]));
    for (const m of members.filter((x) => x.isNew)) {
      const g = p.groups.find((x) => x.members.includes(m.id));
      expect(
        g?.members.some((x) => dept.get(x) !== 'Big'),
        m.id,
      ).toBe(true);
    }
    expect(coverageOf(p, members)).toBe(expectedBound(members));
  });
});

describe('soft preferences', () => {
  it('pairs people whose working hours overlap', () => {
    const members = [
      member('b1', 'A', 'Europe/Berlin'),
      member('b2', 'B', 'Europe/Berlin'),
      member('t1', 'A', 'Asia/Tokyo'),
      member('t2', 'B', 'Asia/Tokyo'),
      member('n1', 'A', 'America/New_York'),
      member('n2', 'B', 'America/New_York'),
    ];
    for (let seed = 1; seed <= 10; seed += 1) {
      const p = plan(members, { seed });
      expect(pairsOf(p.groups).sort()).toEqual(['b1|b2', 'n1|n2', 't1|t2']);
      expect(p.stats.tzScore).toBe(8);
    }
  });

  it('scores at least 1.5× a random shuffle on shared hours in a larger pool', () => {
    const members = roster(1000, 'balanced', 8);
    const p = plan(members, { seed: 3 });
    const rng = createRng(3);
    const ids = members.map((m) => m.tz);
    for (let i = ids.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1));
      [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    }
    let randomHours = 0;
    for (let i = 0; i < ids.length; i += 2)
      randomHours += sharedWorkingHours([ids[i] as string, ids[i + 1] as string], AT);
    expect(p.stats.tzScore).toBeGreaterThanOrEqual((1.5 * randomHours) / (ids.length / 2));
    expect(p.stats.coverage).toBe(expectedBound(members));
  });

  it('prefers department pairs that rarely connected, and says so', () => {
    const members = [member('a', 'A'), member('b', 'B'), member('c', 'C'), member('d', 'D')];
    const weights = new Map([
      ['A|B', 10],
      ['C|D', 10],
      ['A|D', 5],
      ['B|C', 5],
    ]);
    for (let seed = 1; seed <= 10; seed += 1) {
      const p = plan(members, { seed, weights });
      expect(pairsOf(p.groups).sort()).toEqual(['a|c', 'b|d']);
      for (const g of p.groups) expect(g.reasons.map((r) => r.code)).toContain('rare_departments');
    }
  });

  it('prefers pairs that met longer ago once the window has passed', () => {
    const members = [member('a1', 'A'), member('a2', 'A'), member('b1', 'B'), member('b2', 'B')];
    const history = [
      { round: 1, members: ['a1', 'b1'] },
      { round: 1, members: ['a2', 'b2'] },
      { round: 6, members: ['a1', 'b2'] },
      { round: 6, members: ['a2', 'b1'] },
    ];
    for (let seed = 1; seed <= 10; seed += 1) {
      const p = plan(members, { history, round: 10, window: 2, seed });
      expect(pairsOf(p.groups).sort()).toEqual(['a1|b1', 'a2|b2']);
      expect(p.stats.repeats).toBe(0);
    }
  });

  it('avoids a pair met within the window even at the cost of shared hours', () => {
    const members = [
      member('a1', 'A'),
      member('b1', 'B'),
      member('a2', 'A', 'Asia/Tokyo'),
      member('b2', 'B', 'Asia/Tokyo'),
    ];
    const history = [
      { round: 3, members: ['a1', 'b1'] },
      { round: 3, members: ['a2', 'b2'] },
    ];
    const p = plan(members, { history, round: 5, window: 12 });
    expect(pairsOf(p.groups).sort()).toEqual(['a1|b2', 'a2|b1']);
    expect(p.stats.repeats).toBe(0);
  });
});

describe('why you two', () => {
  it('explains departments, history, hours, interests and the trio in one line each', () => {
    const members = [
      member('a', 'Sales', 'Europe/Berlin', { interests: ['climbing', 'chess'] }),
      member('b', 'Engineering', 'Europe/London', { interests: ['climbing'] }),
      member('c', 'Legal', 'Europe/Berlin'),
    ];
    const p = plan(members);
    expect(p.groups).toHaveLength(1);
    const reasons = p.groups[0]?.reasons ?? [];
    expect(reasons.map((r) => r.code)).toEqual([
      'different_departments',
      'never_met',
      'shared_hours',
      'shared_interest',
      'trio',
    ]);
    expect(reasons.map((r) => r.text)).toEqual([
      'Different departments: Engineering, Legal and Sales',
      'None of you have been matched before',
      '7 shared working hours',
      'A shared interest: climbing',
      'A group of three, as there was an odd number of people this round',
    ]);
  });

  it('says when a pair met before and when a department had to pair within itself', () => {
    const members = [member('a1', 'A'), member('a2', 'A')];
    const p = plan(members, { history: [{ round: 2, members: ['a1', 'a2'] }], round: 5 });
    expect(p.groups[0]?.reasons.map((r) => r.text)).toEqual([
      "Both in A: there weren't enough people from other departments this round",
      'You were last matched 3 rounds ago',
      '8 shared working hours',
    ]);
  });
});
