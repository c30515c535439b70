// Seeded rosters and independent checkers for the matching tests (no engine internals used here).
import {
  createRng,
  type MatchMember,
  type PastGroup,
  type Plan,
  planRound,
} from '../../../../src/domain/matching/index.ts';

export const AT = new Date('2026-01-05T10:00:00Z');
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Asia/Tokyo'];

export type Shape = 'balanced' | 'skewed' | 'one-department' | 'all-unknown' | 'some-unknown';
export const SHAPES: readonly Shape[] = [
  'balanced',
  'skewed',
  'one-department',
  'all-unknown',
  'some-unknown',
];

/** A seeded roster of n members whose departments follow `shape`. */
export function roster(n: number, shape: Shape, seed: number): MatchMember[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    let department: string | null;
    switch (shape) {
      case 'balanced':
        department = `D${Math.floor(rng() * 5)}`;
        break;
      case 'skewed':
        department = rng() < 0.7 ? 'Big' : `D${Math.floor(rng() * 3)}`;
        break;
      case 'one-department':
        department = 'Only';
        break;
      case 'all-unknown':
        department = null;
        break;
      case 'some-unknown':
        department = rng() < 0.3 ? null : `D${Math.floor(rng() * 4)}`;
        break;
    }
    return { id: `U${i}`, department, tz: ZONES[Math.floor(rng() * ZONES.length)] as string };
  });
}

/** Size L of the largest department (unknowns as one block), 0 for an empty pool. */
function largestDepartment(members: readonly MatchMember[]): number {
  const sizes = new Map<string | null, number>();
  for (const m of members) sizes.set(m.department, (sizes.get(m.department) ?? 0) + 1);
  return Math.max(0, ...sizes.values());
}

/** Independent bound: min(n, 2(n − L) + n mod 2), unknowns as one block, 0 when nobody can be crossed. */
export function expectedBound(members: readonly MatchMember[]): number {
  const n = members.length;
  const largest = largestDepartment(members);
  if (n < 2 || largest === n) return 0;
  return Math.min(n, 2 * (n - largest) + (n % 2));
}

/** People grouped with someone of another department (null vs null is not "another"). */
export function coverageOf(plan: Plan, members: readonly MatchMember[]): number {
  const dept = new Map(members.map((m) => [m.id, m.department]));
  let covered = 0;
  for (const g of plan.groups) {
    for (const a of g.members) if (g.members.some((b) => dept.get(b) !== dept.get(a))) covered += 1;
  }
  return covered;
}

/** Every unordered pair inside the plan's groups, as 'a|b' with a < b. */
export function pairsOf(groups: readonly { members: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    for (let x = 0; x < g.members.length; x += 1) {
      for (let y = x + 1; y < g.members.length; y += 1) {
        const a = g.members[x] as string;
        const b = g.members[y] as string;
        out.push(a < b ? `${a}|${b}` : `${b}|${a}`);
      }
    }
  }
  return out;
}

/** Problems with who a plan names: everyone in the pool exactly once (grouped or unmatched), nobody else. */
function membershipProblems(plan: Plan, members: readonly MatchMember[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const id of [...plan.groups.flatMap((g) => g.members), ...plan.unmatched])
    seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const m of members)
    if (seen.get(m.id) !== 1) problems.push(`${m.id} appears ${seen.get(m.id) ?? 0} times`);
  if (seen.size !== members.length) problems.push('plan names someone outside the pool');
  return problems;
}

/** Problems with the basic shape of a plan: everyone once, at most one trio, sizes 2–3. */
export function shapeProblems(plan: Plan, members: readonly MatchMember[]): string[] {
  const problems = membershipProblems(plan, members);
  if (plan.groups.some((g) => g.members.length < 2 || g.members.length > 3))
    problems.push('group of wrong size');
  if (plan.groups.filter((g) => g.members.length === 3).length > 1) problems.push('more than one trio');
  return problems;
}

/**
 * Plays `rounds` rounds over the same roster, carrying history and enlarged-group flags like the app
 * does: members of last round's groups larger than the group size (the trio, when pairing) are flagged.
 * Without `groupSize` the engine's default (pairs) is used.
 */
export function simulate(
  members: readonly MatchMember[],
  rounds: number,
  opts: { seed: number; window: number; groupSize?: number },
): { plans: Plan[]; history: PastGroup[]; pools: MatchMember[][] } {
  const size = opts.groupSize ?? 2;
  const history: PastGroup[] = [];
  const plans: Plan[] = [];
  const pools: MatchMember[][] = [];
  let enlarged = new Set<string>();
  for (let round = 1; round <= rounds; round += 1) {
    const pool = members.map((m) => ({ ...m, wasInTrioLastRound: enlarged.has(m.id) }));
    const plan = planRound({
      members: pool,
      history: [...history],
      round,
      windowRounds: opts.window,
      seed: opts.seed * 1000 + round,
      at: AT,
      groupSize: opts.groupSize,
    });
    plans.push(plan);
    pools.push(pool);
    for (const g of plan.groups) history.push({ round, members: g.members });
    enlarged = new Set(plan.groups.filter((g) => g.members.length > size).flatMap((g) => g.members));
  }
  return { plans, history, pools };
}

/** Group sizes for k people in groups of s, as product.md (and the brief) describe them, ascending. */
export function expectedSizes(k: number, s: number): number[] {
  if (k < 2) return [];
  if (k < s) return [k];
  const q = Math.floor(k / s);
  const r = k % s;
  // The r left over join different groups; with more left over than groups they are spread evenly.
  const sizes = Array<number>(q).fill(s);
  for (let i = 0; i < r; i += 1) sizes[q - 1 - (i % q)] = (sizes[q - 1 - (i % q)] as number) + 1;
  return sizes.sort((a, b) => a - b);
}

/**
 * Brute-force coverage bound for groups of s: the best coverage over every way to fill groups of the
 * expected sizes with the pool's department counts (unknowns as one block). Small pools only.
 */
export function bruteForceBound(counts: readonly number[], s: number): number {
  const n = counts.reduce((a, b) => a + b, 0);
  const sizes = expectedSizes(n, s);
  const memo = new Map<string, number>();
  const best = (left: number[], g: number): number => {
    if (g === sizes.length) return 0;
    const key = `${g}:${[...left].sort((a, b) => a - b).join(',')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result = Number.NEGATIVE_INFINITY;
    const size = sizes[g] as number;
    // Every composition of this group: how many of each department it takes.
    const take = (d: number, room: number, used: number[]): void => {
      if (d === left.length) {
        if (room > 0) return;
        const mixed = used.filter((x) => x > 0).length > 1;
        const rest = best(
          left.map((c, i) => c - (used[i] as number)),
          g + 1,
        );
        result = Math.max(result, rest + (mixed ? size : 0));
        return;
      }
      for (let x = 0; x <= Math.min(room, left[d] as number); x += 1) take(d + 1, room - x, [...used, x]);
    };
    take(0, size, []);
    memo.set(key, result);
    return result;
  };
  return n < 2 ? 0 : best([...counts], 0);
}

/** Independent bound for groups of s: n minus the people in the p = max(0, L + q − n) smallest groups. */
export function expectedGroupBound(members: readonly MatchMember[], s: number): number {
  const n = members.length;
  const largest = largestDepartment(members);
  const groups = expectedSizes(n, s);
  const pure = Math.max(0, largest + groups.length - n);
  return n - groups.slice(0, pure).reduce((a, b) => a + b, 0);
}

/** Problems with a groups-of-s plan: everyone once, nobody outside the pool, the expected sizes. */
export function groupShapeProblems(plan: Plan, members: readonly MatchMember[], s: number): string[] {
  const problems = membershipProblems(plan, members);
  const placed = members.length - plan.unmatched.length;
  const sizes = plan.groups.map((g) => g.members.length).sort((a, b) => a - b);
  if (sizes.join(',') !== expectedSizes(placed, s).join(','))
    problems.push(`sizes ${sizes.join(',')} for ${placed} placed`);
  return problems;
}

/** Pairs inside the plan's groups that a "don't pair" list refuses (either direction), as 'a|b'. */
export function refusedPairsIn(plan: Plan, members: readonly MatchMember[]): string[] {
  const refused = new Set(
    members.flatMap((m) => (m.doNotPair ?? []).flatMap((o) => [`${m.id}|${o}`, `${o}|${m.id}`])),
  );
  return pairsOf(plan.groups).filter((pair) => refused.has(pair));
}

/** A small pool for the brute-force comparisons. */
export interface Instance {
  members: MatchMember[];
  history: PastGroup[];
  round: number;
  window: number;
}

/**
 * Rule-ordered penalties of a grouping in groups of `groupSize` (groups larger than that are the
 * enlarged ones: the trio, when pairing): lower is better, compared left to right.
 */
export function ranks(
  inst: Instance,
  groups: readonly string[][],
  unmatched: number,
  groupSize: number,
): number[] {
  const byId = new Map(inst.members.map((m) => [m.id, m]));
  const last = new Map<string, number>();
  for (const g of inst.history) {
    for (const a of g.members)
      for (const b of g.members)
        if (a < b) last.set(`${a}|${b}`, Math.max(last.get(`${a}|${b}`) ?? 0, g.round));
  }
  let enlargedWithoutFreshPerson = 0;
  let uncovered = 0;
  let consecutive = 0;
  let withinWindow = 0;
  let flaggedInEnlarged = 0;
  let newUncovered = 0;
  for (const g of groups) {
    const ms = g.map((id) => byId.get(id) as MatchMember);
    if (g.length > groupSize) {
      const flagged = ms.filter((m) => m.wasInTrioLastRound).length;
      flaggedInEnlarged += flagged;
      if (flagged === g.length) enlargedWithoutFreshPerson += 1;
    }
    for (const m of ms) {
      if (!ms.some((o) => o.department !== m.department)) {
        uncovered += 1;
        if (m.isNew) newUncovered += 1;
      }
    }
    for (const a of g) {
      for (const b of g) {
        if (a >= b) continue;
        const met = last.get(`${a}|${b}`);
        if (met === undefined) continue;
        if (inst.round - met <= 1) consecutive += 1;
        else if (inst.round - met <= inst.window) withinWindow += 1;
      }
    }
  }
  return [
    unmatched,
    enlargedWithoutFreshPerson,
    uncovered,
    consecutive,
    withinWindow,
    flaggedInEnlarged,
    newUncovered,
  ];
}

/** Whether a or b refuses the other. */
export function refuses(inst: Instance, a: string, b: string): boolean {
  const byId = new Map(inst.members.map((m) => [m.id, m]));
  return Boolean(byId.get(a)?.doNotPair?.includes(b) || byId.get(b)?.doNotPair?.includes(a));
}

/** Lexicographic comparison of two rank tuples. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * A random small instance for the brute-force tests: flags, new members, a few refusals, and four rounds of
 * history in groups of `groupSize` (pairs; or pairs and groups of three when the size is 3).
 */
export function randomInstance(n: number, seed: number, shape: Shape, groupSize: 2 | 3): Instance {
  const rng = createRng(seed);
  const members = roster(n, shape, seed).map((m) => ({
    ...m,
    isNew: rng() < 0.2,
    wasInTrioLastRound: rng() < 0.3,
    doNotPair: rng() < 0.15 ? [`U${Math.floor(rng() * n)}`] : [],
  }));
  const history: PastGroup[] = [];
  for (let round = 1; round <= 4; round += 1) {
    const ids = members.map((m) => m.id).filter(() => rng() < 0.8);
    for (let i = 0; i + groupSize - 1 < ids.length; i += groupSize) {
      if (rng() < 0.7) {
        const size = groupSize === 2 || rng() < 0.5 ? 2 : 3;
        history.push({ round, members: ids.slice(i, i + size) });
      }
    }
  }
  return { members, history, round: 5, window: 3 };
}
