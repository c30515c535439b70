// One matching round: compile the pool, search (exactly for small pools, greedy + local improvement
// otherwise), then explain each group and report the figures product.md §2 promises. Pairs and groups
// of three have their own construction and local search; the rules, ranks and stats are shared.
import { boundFromSizes } from './bound.ts';
import { construct, offsetNeighbours } from './construct.ts';
import { constructGroups } from './construct-groups.ts';
import { EXACT_MAX, solveExact, solveExactGroups } from './exact.ts';
import { GroupSolution } from './group-solution.ts';
import type { Grouping } from './grouping.ts';
import { buildCandidateIndex, improveAllPairs, improveSampled, improveTrio } from './improve.ts';
import { improveGroupsAll, improveGroupsSampled } from './improve-groups.ts';
import {
  ageOf,
  buildModel,
  coveredCount,
  groupSharedMinutes,
  type Model,
  pairCost,
  pairCostTable,
} from './model.ts';
import { Explainer } from './reasons.ts';
import { repairLeftovers } from './repair.ts';
import { createRng, deriveSeed, shuffleInPlace } from './rng.ts';
import { Solution } from './solution.ts';
import type { Plan, PlanInput, PlannedGroup } from './types.ts';

/** Pools up to this size get the exhaustive two-group neighbourhood; larger ones a sampled one. */
const FULL_NEIGHBOURHOOD_MAX = 400;
/** Nearby members a sampled move draws its partner from. */
const CANDIDATE_POOL = 256;

function restartsFor(n: number): number {
  if (n <= 64) return 16;
  if (n <= FULL_NEIGHBOURHOOD_MAX) return 4;
  return 1;
}

function sampledPassesFor(n: number): number {
  if (n <= 5_000) return 8;
  if (n <= 20_000) return 4;
  return 2;
}

/** Plans one round: everyone in exactly one group where the rules allow, rules weighed in product.md §2 order. */
export function planRound(input: PlanInput): Plan {
  const m = buildModel(input);
  const { groups, unmatched } =
    m.groupSize === 2
      ? m.n <= EXACT_MAX
        ? solveExact(m)
        : searchHeuristic(m)
      : m.n <= EXACT_MAX
        ? solveExactGroups(m)
        : searchGroups(m);
  const explainer = new Explainer(m, input.members);
  const planned: PlannedGroup[] = groups.map((g) => {
    const ordered = orderGroup(m, g);
    return { members: ordered.map((i) => m.ids[i] as string), reasons: explainer.explain(ordered) };
  });
  return {
    groups: planned,
    unmatched: unmatched.sort((a, b) => a - b).map((i) => m.ids[i] as string),
    stats: statsOf(m, groups),
  };
}

/** Greedy construction, repair and local improvement, keeping the cheapest of a few seeded restarts. */
function searchHeuristic(m: Model): { groups: number[][]; unmatched: number[] } {
  const neighbours = offsetNeighbours(m);
  let best: { sol: Solution; unmatched: number[]; rank: number[] } | null = null;
  for (let r = 0; r < restartsFor(m.n); r += 1) {
    const rng = createRng(deriveSeed(m.seed, r));
    const { groups, leftovers } = construct(m, placementOrder(m, rng), rng, neighbours);
    const sol = new Solution(m, groups);
    const unmatched = repairLeftovers(m, sol, leftovers);
    if (m.n <= FULL_NEIGHBOURHOOD_MAX) {
      improveAllPairs(m, sol, 50);
    } else {
      const placed = sol.placed();
      const idx = buildCandidateIndex(m, placed, neighbours, CANDIDATE_POOL);
      improveTrio(m, sol, rng, 400);
      improveSampled(m, sol, idx, rng, sampledPassesFor(m.n), 6);
      improveTrio(m, sol, rng, 400);
    }
    const rank = rankOf(m, sol, unmatched.length);
    if (best === null || compareRanks(rank, best.rank) < 0) best = { sol, unmatched, rank };
  }
  if (best === null) return { groups: [], unmatched: [] };
  return { groups: best.sol.groups(), unmatched: best.unmatched };
}

/** The same search for groups of three: construction on the pair machinery, then people swapped between groups. */
function searchGroups(m: Model): { groups: number[][]; unmatched: number[] } {
  const neighbours = offsetNeighbours(m);
  const table = m.n <= FULL_NEIGHBOURHOOD_MAX ? pairCostTable(m) : null;
  let best: { sol: GroupSolution; unmatched: number[]; rank: number[] } | null = null;
  for (let r = 0; r < restartsFor(m.n); r += 1) {
    const rng = createRng(deriveSeed(m.seed, r));
    const sol = new GroupSolution(m, table);
    const unmatched = constructGroups(m, placementOrder(m, rng), rng, neighbours, sol);
    if (m.n <= FULL_NEIGHBOURHOOD_MAX) {
      improveGroupsAll(m, sol, 50);
    } else {
      const idx = buildCandidateIndex(m, sol.placed(), neighbours, CANDIDATE_POOL);
      improveGroupsSampled(m, sol, idx, rng, sampledPassesFor(m.n), 6);
    }
    const rank = rankOf(m, sol, unmatched.length);
    if (best === null || compareRanks(rank, best.rank) < 0) best = { sol, unmatched, rank };
  }
  if (best === null) return { groups: [], unmatched: [] };
  return { groups: best.sol.groups(), unmatched: best.unmatched };
}

/**
 * A whole plan's standing, rule by rule: unmatched, enlarged group (the trio, when pairing) without a
 * fresh person, uncovered people, consecutive repeats, window repeats, enlarged-group members flagged,
 * new members uncovered, then total cost. Plans are compared on this tuple, as summed tier weights
 * could be outweighed by counts in big pools.
 */
function rankOf(m: Model, sol: Grouping, unmatched: number): number[] {
  let trioWithoutFreshPerson = 0;
  let uncovered = 0;
  let consecutive = 0;
  let withinWindow = 0;
  let flaggedInTrio = 0;
  let newUncovered = 0;
  for (let k = 0; k < sol.count; k += 1) {
    const g = sol.members(k);
    const covered = coveredCount(m, g);
    uncovered += g.length - covered;
    if (covered === 0) for (const i of g) newUncovered += m.isNew[i] as number;
    if (g.length > m.groupSize) {
      const flagged = g.reduce((sum, i) => sum + (m.flagged[i] as number), 0);
      if (flagged === g.length) trioWithoutFreshPerson += 1;
      flaggedInTrio += flagged;
    }
    for (let x = 0; x < g.length; x += 1) {
      for (let y = x + 1; y < g.length; y += 1) {
        const age = ageOf(m, g[x] as number, g[y] as number);
        if (age <= 1) consecutive += 1;
        else if (age <= m.window) withinWindow += 1;
      }
    }
  }
  return [
    unmatched,
    trioWithoutFreshPerson,
    uncovered,
    consecutive,
    withinWindow,
    flaggedInTrio,
    newUncovered,
    sol.total(unmatched),
  ];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * Who picks first: new members (while every option is open), then everyone else, each part shuffled by
 * the seed. When one department holds more than half the pool, everyone outside it must be paired with
 * one of its members, so they go before it and choose among its members while the choice is wide.
 */
function placementOrder(m: Model, rng: () => number): number[] {
  const sizes = new Int32Array(m.deptCount);
  for (let i = 0; i < m.n; i += 1) sizes[m.dept[i] as number] = (sizes[m.dept[i] as number] as number) + 1;
  let largest = 0;
  for (let d = 1; d < m.deptCount; d += 1) if ((sizes[d] as number) > (sizes[largest] as number)) largest = d;
  const dominant = (sizes[largest] as number) * 2 > m.n;
  const fresh: number[] = [];
  const rest: number[] = [];
  const big: number[] = [];
  for (let i = 0; i < m.n; i += 1)
    (m.isNew[i] === 1 ? fresh : dominant && m.dept[i] === largest ? big : rest).push(i);
  return [...shuffleInPlace(fresh, rng), ...shuffleInPlace(rest, rng), ...shuffleInPlace(big, rng)];
}

/**
 * Members in input order; an enlarged group (the trio, when pairing) ends with "the added person":
 * someone who was not in last round's enlarged group, chosen so the others are the best group among
 * them (with more than one added, as with five people in groups of three, the choice repeats).
 */
function orderGroup(m: Model, g: readonly number[]): number[] {
  if (g.length === 2)
    return (g[0] as number) < (g[1] as number)
      ? [g[0] as number, g[1] as number]
      : [g[1] as number, g[0] as number];
  let rest = [...g].sort((a, b) => a - b);
  const added: number[] = [];
  while (rest.length > m.groupSize) {
    let pick = -1;
    let bestRest = Number.POSITIVE_INFINITY;
    for (const candidate of rest) {
      const others = rest.filter((i) => i !== candidate);
      // Unflagged candidates first; among them the one whose remaining group is cheapest.
      let cost = m.flagged[candidate] === 1 ? 1e20 : 0;
      for (let x = 0; x < others.length; x += 1)
        for (let y = x + 1; y < others.length; y += 1)
          cost += pairCost(m, others[x] as number, others[y] as number);
      if (cost < bestRest) {
        bestRest = cost;
        pick = candidate;
      }
    }
    if (pick < 0) pick = rest[rest.length - 1] as number;
    added.unshift(pick);
    rest = rest.filter((i) => i !== pick);
  }
  return [...rest, ...added];
}

/** Size of the largest department of the pool (unknowns count as one department, as in the bound). */
function largestDepartment(m: Model): number {
  const sizes = new Int32Array(m.deptCount);
  let largest = 0;
  for (let i = 0; i < m.n; i += 1) {
    const d = m.dept[i] as number;
    sizes[d] = (sizes[d] as number) + 1;
    if ((sizes[d] as number) > largest) largest = sizes[d] as number;
  }
  return largest;
}

function statsOf(m: Model, groups: readonly number[][]): Plan['stats'] {
  let coverage = 0;
  let repeats = 0;
  let trios = 0;
  let hours = 0;
  for (const g of groups) {
    coverage += coveredCount(m, g);
    if (g.length > m.groupSize) trios += 1;
    for (let x = 0; x < g.length; x += 1) {
      for (let y = x + 1; y < g.length; y += 1) {
        if (ageOf(m, g[x] as number, g[y] as number) <= Math.max(1, m.window)) repeats += 1;
      }
    }
    hours += groupSharedMinutes(m, g, g.length) / 60;
  }
  return {
    n: m.n,
    coverage,
    bound: boundFromSizes(m.n, largestDepartment(m), m.groupSize),
    repeats,
    trios,
    tzScore: groups.length === 0 ? 0 : Math.round((hours / groups.length) * 1000) / 1000,
  };
}
