// planRound with groupSize 3: sizes, coverage at the bound, hard rules, repeats, rotation of the
// enlarged groups, reasons, stats and determinism. Checks are independent of engine internals.
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
  expectedGroupBound,
  expectedSizes,
  groupShapeProblems,
  pairsOf,
  refusedPairsIn,
  roster,
  SHAPES,
  simulate,
} from './helpers.ts';

function plan3(
  members: MatchMember[],
  extra: { seed?: number; history?: PastGroup[]; round?: number; window?: number } = {},
) {
  return planRound({
    members,
    history: extra.history ?? [],
    round: extra.round ?? 1,
    windowRounds: extra.window ?? 12,
    seed: extra.seed ?? 1,
    at: AT,
    groupSize: 3,
  });
}

const member = (
  id: string,
  department: string | null,
  tz = 'Europe/Berlin',
  more: Partial<MatchMember> = {},
): MatchMember => ({ id, department, tz, ...more });

/** Members from a department spec such as { A: 7, B: 2 } (ids A0…, B0…), time zones from the seed. */
function mix(spec: Record<string, number>, unknown = 0, seed = 1): MatchMember[] {
  const rng = createRng(seed);
  const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Kolkata'];
  const out = Object.entries(spec).flatMap(([d, size]) =>
    Array.from({ length: size }, (_, i) => member(`${d}${i}`, d, zones[Math.floor(rng() * 4)])),
  );
  for (let i = 0; i < unknown; i += 1) out.push(member(`X${i}`, null, zones[Math.floor(rng() * 4)]));
  return out;
}

describe('groups of three: sizes for every small pool', () => {
  const table: [number, number[]][] = [
    [2, [2]],
    [3, [3]],
    [4, [4]],
    [5, [5]],
    [6, [3, 3]],
    [7, [3, 4]],
    [8, [4, 4]],
    [9, [3, 3, 3]],
    [10, [3, 3, 4]],
    [11, [3, 4, 4]],
  ];
  const cases = table.flatMap(([n, sizes]) => SHAPES.map((shape) => [n, shape, sizes] as const));

  it.each(cases)('n=%i %s: groups of %j, everyone once, coverage at the bound', (n, shape, sizes) => {
    for (const seed of [1, 2, 3]) {
      const members = roster(n, shape, seed * 7919 + n);
      const p = plan3(members, { seed });
      expect(groupShapeProblems(p, members, 3)).toEqual([]);
      expect(p.unmatched).toEqual([]);
      expect(p.groups.map((g) => g.members.length).sort((a, b) => a - b)).toEqual(sizes);
      expect(coverageOf(p, members)).toBe(expectedGroupBound(members, 3));
      expect(p.stats).toMatchObject({
        n,
        coverage: expectedGroupBound(members, 3),
        bound: expectedGroupBound(members, 3),
        trios: sizes.filter((x) => x > 3).length,
      });
    }
  });

  it('leaves a pool of one unmatched and makes nothing of an empty pool', () => {
    expect(plan3([member('solo', 'A')]).unmatched).toEqual(['solo']);
    expect(plan3([])).toMatchObject({ groups: [], unmatched: [] });
  });
});

describe('groups of three: sizes and coverage over larger pools', () => {
  const sizes = [12, 13, 14, 15, 16, 17, 20, 31, 40, 41, 64, 65, 99, 128, 157, 200, 401];
  const cases = sizes.flatMap((n) => SHAPES.map((shape) => [n, shape] as const));
  it.each(cases)('n=%i %s', (n, shape) => {
    for (const seed of [1, 2]) {
      const members = roster(n, shape, seed * 31 + n);
      const p = plan3(members, { seed });
      expect(groupShapeProblems(p, members, 3)).toEqual([]);
      expect(p.unmatched).toEqual([]);
      expect(p.groups.map((g) => g.members.length).sort((a, b) => a - b)).toEqual(expectedSizes(n, 3));
      expect(coverageOf(p, members)).toBe(expectedGroupBound(members, 3));
      expect(p.stats.bound).toBe(expectedGroupBound(members, 3));
    }
  });
});

describe('groups of three: coverage at the bound for department mixes', () => {
  it.each([
    ['balanced', { A: 4, B: 4, C: 4 }, 0, 12],
    ['one department just under n − q', { A: 6, B: 2, C: 1 }, 0, 9],
    ['one department over half, every group mixed', { A: 8, B: 3, C: 2 }, 0, 13],
    ['one department over n − q', { A: 7, B: 2 }, 0, 6],
    ['dominant, the group of four is the mixed one', { A: 12, B: 1 }, 0, 4],
    ['dominant, extras in mixed groups', { A: 20, B: 3 }, 0, 11],
    ['dominant and larger: three groups of A only', { A: 70, B: 20, C: 10 }, 0, 91],
    ['very dominant: 18 groups of A only', { A: 85, B: 10, C: 5 }, 0, 46],
    ['everyone in one department', { A: 9 }, 0, 0],
    ['everyone in one department, larger', { A: 40 }, 0, 0],
    ['unknowns count as one department', { A: 2 }, 10, 6],
    ['only unknowns', {}, 7, 0],
  ])('%s', (_name, spec, unknown, bound) => {
    for (const seed of [1, 2, 3]) {
      const members = mix(spec, unknown, seed);
      expect(expectedGroupBound(members, 3)).toBe(bound);
      const p = plan3(members, { seed });
      expect(groupShapeProblems(p, members, 3)).toEqual([]);
      expect(coverageOf(p, members)).toBe(bound);
      expect(p.stats.coverage).toBe(bound);
    }
  });

  it('gives new members of a dominant department the scarce mixed groups', () => {
    for (let seed = 1; seed <= 10; seed += 1) {
      const members = [
        ...Array.from({ length: 15 }, (_, i) => member(`a${i}`, 'A', 'Europe/Berlin', { isNew: i < 2 })),
        member('b1', 'B', 'Asia/Tokyo'),
        member('c1', 'C', 'Asia/Tokyo'),
      ];
      const p = plan3(members, { seed });
      for (const id of ['a0', 'a1']) {
        const g = p.groups.find((x) => x.members.includes(id));
        expect(
          g?.members.some((x) => !x.startsWith('a')),
          `${id}, seed ${seed}`,
        ).toBe(true);
      }
      expect(coverageOf(p, members)).toBe(expectedGroupBound(members, 3));
    }
  });
});

describe("groups of three: don't-pair lists", () => {
  // Small pools, where refusals may leave no way to place everyone, are checked against brute force in
  // groups-of-three-small.test.ts; these pools have room enough for everyone.
  it.each([13, 25, 60, 61, 450, 451])('are never violated, in either direction (n=%i)', (n) => {
    for (const shape of SHAPES) {
      for (const seed of [1, 2]) {
        const rng = createRng(seed * 17 + n);
        const members = roster(n, shape, seed + n).map((m) => ({
          ...m,
          doNotPair: Array.from({ length: Math.floor(rng() * 4) }, () => `U${Math.floor(rng() * n)}`),
        }));
        const p = plan3(members, { seed });
        expect(refusedPairsIn(p, members)).toEqual([]);
        expect(groupShapeProblems(p, members, 3)).toEqual([]);
        expect(p.unmatched).toEqual([]);
      }
    }
  });

  it('leaves someone out rather than grouping them with a person they refused', () => {
    const members = [
      member('a', 'A', 'UTC', { doNotPair: ['b'] }),
      member('b', 'B'),
      member('c', 'C'),
      member('d', 'D', 'UTC', { doNotPair: ['a'] }),
    ];
    const p = plan3(members);
    expect(p.unmatched).toEqual(['a']);
    expect(p.groups.map((g) => [...g.members].sort())).toEqual([['b', 'c', 'd']]);
  });

  it('keeps the hard rule above coverage', () => {
    // b1 refuses both A people: the only allowed groups of three keep A together.
    const members = [
      member('a1', 'A'),
      member('a2', 'A'),
      member('a3', 'A'),
      member('b1', 'B', 'UTC', { doNotPair: ['a1', 'a2', 'a3'] }),
      member('b2', 'B'),
      member('b3', 'B'),
    ];
    const p = plan3(members);
    expect(p.unmatched).toEqual([]);
    expect(p.groups.map((g) => [...g.members].sort()).sort()).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2', 'b3'],
    ]);
  });

  it('holds in larger pools where someone refuses many people', () => {
    const members = roster(300, 'balanced', 5).map((m, i) =>
      i < 5 ? { ...m, doNotPair: Array.from({ length: 150 }, (_, k) => `U${(i * 37 + k * 2) % 300}`) } : m,
    );
    const p = plan3(members, { seed: 4 });
    expect(refusedPairsIn(p, members)).toEqual([]);
    expect(groupShapeProblems(p, members, 3)).toEqual([]);
    expect(p.unmatched).toEqual([]);
  });
});

describe('groups of three: repeats', () => {
  it.each([14, 20, 27, 40, 41, 64, 120])(
    'never puts last round’s pairs together again in a balanced pool (n=%i, 6 rounds)',
    (n) => {
      const members = roster(n, 'balanced', n * 3);
      const { plans } = simulate(members, 6, { seed: 2, window: 12, groupSize: 3 });
      for (let r = 1; r < plans.length; r += 1) {
        const previous = new Set(pairsOf((plans[r - 1] as (typeof plans)[number]).groups));
        const repeated = pairsOf((plans[r] as (typeof plans)[number]).groups).filter((x) => previous.has(x));
        expect(repeated, `round ${r + 1}`).toEqual([]);
      }
    },
  );

  it('never puts last round’s pairs together again in a skewed pool while still hitting the bound (n=31)', () => {
    const members = roster(31, 'skewed', 4);
    const { plans } = simulate(members, 6, { seed: 4, window: 12, groupSize: 3 });
    for (let r = 1; r < plans.length; r += 1) {
      const previous = new Set(pairsOf((plans[r - 1] as (typeof plans)[number]).groups));
      expect(pairsOf((plans[r] as (typeof plans)[number]).groups).filter((x) => previous.has(x))).toEqual([]);
      expect(coverageOf(plans[r] as (typeof plans)[number], members)).toBe(expectedGroupBound(members, 3));
    }
  });

  it.each([40, 64, 200])('has no repeat within the window when the pool allows it (n=%i)', (n) => {
    const members = roster(n, 'balanced', n);
    const { plans } = simulate(members, 6, { seed: 3, window: 6, groupSize: 3 });
    const met = new Set<string>();
    for (const p of plans) {
      const pairs = pairsOf(p.groups);
      expect(pairs.filter((x) => met.has(x))).toEqual([]);
      expect(p.stats.repeats).toBe(0);
      for (const x of pairs) met.add(x);
      expect(coverageOf(p, members)).toBe(expectedGroupBound(members, 3));
    }
  });

  it('avoids a pair that met within the window even at the cost of shared hours', () => {
    const zones = ['Europe/Berlin', 'Asia/Tokyo', 'America/New_York'];
    const members = zones.flatMap((tz, z) => ['A', 'B', 'C'].map((d) => member(`${d}${z}`, d, tz)));
    // Last time everyone was grouped with their own time zone.
    const history = zones.map((_, z) => ({ round: 3, members: ['A', 'B', 'C'].map((d) => `${d}${z}`) }));
    for (let seed = 1; seed <= 5; seed += 1) {
      const p = plan3(members, { history, round: 5, seed });
      expect(p.stats.repeats).toBe(0);
      for (const g of p.groups) expect(new Set(g.members.map((id) => id.slice(1))).size).toBe(3);
      expect(coverageOf(p, members)).toBe(9);
    }
  });

  it('counts every pair inside a group as a repeat in the stats', () => {
    const members = [member('a', 'A'), member('b', 'B'), member('c', 'C')];
    const p = plan3(members, { history: [{ round: 1, members: ['a', 'b', 'c'] }], round: 2 });
    expect(p.groups.map((g) => [...g.members].sort())).toEqual([['a', 'b', 'c']]);
    expect(p.stats.repeats).toBe(3);
  });
});

describe('groups of three: enlarged groups', () => {
  // With 8 people both groups are of four: everyone is flagged the next round, so n=8 is left out.
  it.each([7, 10, 11, 13, 14, 22, 41, 401])(
    'never makes last round’s enlarged-group members the added person (n=%i)',
    (n) => {
      const members = roster(n, 'balanced', n + 100);
      const { plans, pools } = simulate(members, 6, { seed: 5, window: 12, groupSize: 3 });
      plans.forEach((p, r) => {
        const flagged = new Set(
          (pools[r] as MatchMember[]).filter((m) => m.wasInTrioLastRound).map((m) => m.id),
        );
        const enlarged = p.groups.filter((g) => g.members.length > 3);
        expect(enlarged).toHaveLength(n % 3);
        for (const g of enlarged) {
          const added = g.members[g.members.length - 1] as string;
          expect(flagged.has(added), `round ${r + 1}: ${added}`).toBe(false);
          expect(g.reasons.map((x) => x.code)).toContain('trio');
        }
        for (const g of p.groups.filter((x) => x.members.length === 3))
          expect(g.reasons.map((x) => x.code)).not.toContain('trio');
      });
    },
  );

  it('keeps people out of consecutive enlarged groups when the pool is big enough (n=41)', () => {
    const members = roster(41, 'balanced', 241);
    const { plans } = simulate(members, 6, { seed: 6, window: 12, groupSize: 3 });
    for (let r = 1; r < plans.length; r += 1) {
      const last = new Set(
        (plans[r - 1] as (typeof plans)[number]).groups
          .filter((g) => g.members.length > 3)
          .flatMap((g) => g.members),
      );
      const now = (plans[r] as (typeof plans)[number]).groups
        .filter((g) => g.members.length > 3)
        .flatMap((g) => g.members);
      expect(now.filter((id) => last.has(id))).toEqual([]);
    }
  });
});

describe('groups of three: reasons', () => {
  it('explains a group of three without calling it a trio', () => {
    const members = [
      member('a', 'Sales', 'Europe/Berlin', { interests: ['climbing', 'chess'] }),
      member('b', 'Engineering', 'Europe/London', { interests: ['climbing'] }),
      member('c', 'Legal', 'Europe/Berlin'),
    ];
    const reasons = plan3(members).groups[0]?.reasons ?? [];
    expect(reasons.map((r) => r.text)).toEqual([
      'Different departments: Engineering, Legal and Sales',
      'None of you have been matched before',
      '7 shared working hours',
      'A shared interest: climbing',
    ]);
  });

  it('tells the group of four why it is four, and names all departments', () => {
    const members = [member('a', 'A'), member('b', 'B'), member('c', 'C'), member('d', 'D')];
    const g = plan3(members).groups[0];
    expect(g?.members).toHaveLength(4);
    expect(g?.reasons.map((r) => r.text)).toEqual([
      'Different departments: A, B, C and D',
      'None of you have been matched before',
      '8 shared working hours',
      "A group of four, as this round's people didn't split evenly into groups of three",
    ]);
  });

  it('says when a group had to stay within one department and when two of them met', () => {
    const members = [member('a1', 'A'), member('a2', 'A'), member('a3', 'A')];
    const p = plan3(members, { history: [{ round: 2, members: ['a1', 'a2'] }], round: 5 });
    expect(p.groups[0]?.reasons.map((r) => r.text)).toEqual([
      "All in A: there weren't enough people from other departments this round",
      'Two of you were last matched 3 rounds ago',
      '8 shared working hours',
    ]);
  });
});

describe('groups of three: soft preferences and stats', () => {
  it('groups people whose working hours overlap', () => {
    const zones = ['Europe/Berlin', 'Asia/Tokyo', 'America/New_York'];
    const members = zones.flatMap((tz, z) => ['A', 'B', 'C'].map((d) => member(`${d}${z}`, d, tz)));
    for (let seed = 1; seed <= 5; seed += 1) {
      const p = plan3(members, { seed });
      expect(p.groups.map((g) => [...g.members].sort()).sort()).toEqual([
        ['A0', 'B0', 'C0'],
        ['A1', 'B1', 'C1'],
        ['A2', 'B2', 'C2'],
      ]);
      expect(p.stats.tzScore).toBe(8);
    }
  });

  it('reports the mean shared hours of whole groups', () => {
    const members = roster(100, 'balanced', 12);
    const p = plan3(members, { seed: 2 });
    const tz = new Map(members.map((m) => [m.id, m.tz]));
    const hours = p.groups.map((g) =>
      sharedWorkingHours(
        g.members.map((id) => tz.get(id) as string),
        AT,
      ),
    );
    const mean = hours.reduce((a, b) => a + b, 0) / hours.length;
    expect(p.stats.tzScore).toBeCloseTo(mean, 3);
  });
});

describe('group size setting', () => {
  it.each([2, 4, 1, 0, Number.NaN, undefined])(
    'plans pairs exactly as before for groupSize %s',
    (groupSize) => {
      for (const n of [7, 40, 301]) {
        const members = roster(n, 'some-unknown', n);
        const input = { members, history: [], round: 1, windowRounds: 12, seed: 3, at: AT };
        expect(planRound({ ...input, groupSize })).toEqual(planRound(input));
      }
    },
  );
});

describe('groups of three: determinism', () => {
  it.each([11, 40, 301, 1200])('gives the identical plan for the same seed (n=%i)', (n) => {
    const members = roster(n, 'balanced', n);
    const history = simulate(members, 2, { seed: 9, window: 12, groupSize: 3 }).history;
    const input = { members, history, round: 3, windowRounds: 12, seed: 42, at: AT, groupSize: 3 };
    expect(planRound(input)).toEqual(planRound({ ...input, members: members.map((m) => ({ ...m })) }));
  });

  it.each([9, 12, 13, 40, 301, 1200])('gives different plans for different seeds (n=%i)', (n) => {
    const members = roster(n, 'balanced', n).map((m) => ({ ...m, tz: 'Europe/Berlin' }));
    const plans = [1, 2, 3, 4].map((seed) => JSON.stringify(plan3(members, { seed }).groups));
    expect(new Set(plans).size).toBeGreaterThan(1);
  });
});

describe('groups of three: large pools', () => {
  it.each([
    [1_000, 'balanced'],
    [1_000, 'skewed'],
    [20_000, 'balanced'],
    [20_000, 'skewed'],
    [20_000, 'some-unknown'],
  ] as const)(
    'n=%i %s completes with the expected sizes and hits the bound',
    (n, shape) => {
      const members = roster(n, shape, n + 1);
      const p = plan3(members, { seed: 7 });
      expect(groupShapeProblems(p, members, 3)).toEqual([]);
      expect(p.unmatched).toEqual([]);
      expect(coverageOf(p, members)).toBe(expectedGroupBound(members, 3));
      expect(p.stats).toMatchObject({ n, bound: expectedGroupBound(members, 3), repeats: 0 });
    },
    60_000,
  );
});
