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

/** Independent bound: min(n, 2(n − L) + n mod 2), unknowns as one block, 0 when nobody can be crossed. */
export function expectedBound(members: readonly MatchMember[]): number {
  const sizes = new Map<string | null, number>();
  for (const m of members) sizes.set(m.department, (sizes.get(m.department) ?? 0) + 1);
  const n = members.length;
  const largest = Math.max(0, ...sizes.values());
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

/** Problems with the basic shape of a plan: everyone once, at most one trio, sizes 2–3. */
export function shapeProblems(plan: Plan, members: readonly MatchMember[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const id of [...plan.groups.flatMap((g) => g.members), ...plan.unmatched])
    seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const m of members)
    if (seen.get(m.id) !== 1) problems.push(`${m.id} appears ${seen.get(m.id) ?? 0} times`);
  if (seen.size !== members.length) problems.push('plan names someone outside the pool');
  if (plan.groups.some((g) => g.members.length < 2 || g.members.length > 3))
    problems.push('group of wrong size');
  if (plan.groups.filter((g) => g.members.length === 3).length > 1) problems.push('more than one trio');
  return problems;
}

/** Plays `rounds` rounds over the same roster, carrying history and trio flags like the app does. */
export function simulate(
  members: readonly MatchMember[],
  rounds: number,
  opts: { seed: number; window: number },
): { plans: Plan[]; history: PastGroup[]; pools: MatchMember[][] } {
  const history: PastGroup[] = [];
  const plans: Plan[] = [];
  const pools: MatchMember[][] = [];
  let lastTrio = new Set<string>();
  for (let round = 1; round <= rounds; round += 1) {
    const pool = members.map((m) => ({ ...m, wasInTrioLastRound: lastTrio.has(m.id) }));
    const plan = planRound({
      members: pool,
      history: [...history],
      round,
      windowRounds: opts.window,
      seed: opts.seed * 1000 + round,
      at: AT,
    });
    plans.push(plan);
    pools.push(pool);
    for (const g of plan.groups) history.push({ round, members: g.members });
    lastTrio = new Set(plan.groups.filter((g) => g.members.length === 3).flatMap((g) => g.members));
  }
  return { plans, history, pools };
}
