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
        ? exactGroups(solveExact(m))
        : searchHeuristic(m)
      : m.n <= EXACT_MAX
        ? exactGroups(solveExactGroups(m))
        : searchGroups(m);
  const explainer = new Explainer(m, input.members);
  // Pairs are ordered in a reused scratch array (explain keeps nothing of it): a plan of a large pool
  // has tens of thousands of them, and every array made here would outlive the search's garbage.
  const pair = [0, 0];
  const planned: PlannedGroup[] = [];
  for (let k = 0; k < groups.count; k += 1) {
    const len = groups.len(k);
    if (len === 0) continue;
    let ordered: number[];
    if (len === 2) {
      const a = groups.at(k, 0);
      const b = groups.at(k, 1);
      pair[0] = Math.min(a, b);
      pair[1] = Math.max(a, b);
      ordered = pair;
    } else ordered = orderGroup(m, groups.members(k));
    planned.push({ members: ordered.map((i) => m.ids[i] as string), reasons: explainer.explain(ordered) });
  }
  return {
    groups: planned,
    unmatched: unmatched.sort((a, b) => a - b).map((i) => m.ids[i] as string),
    stats: statsOf(m, groups),
  };
}

/** The groups a search settles on: a grouping (its empty groups skipped) or the exact search's arrays. */
interface Groups {
  readonly count: number;
  /** Members of group k (0 for a group a search emptied). */
  len(k: number): number;
  at(k: number, j: number): number;
  members(k: number): number[];
}

/** The exact searches' groups as `Groups`. */
class ArrayGroups implements Groups {
  readonly count: number;
  constructor(private readonly groups: number[][]) {
    this.count = groups.length;
  }
  len(k: number): number {
    return (this.groups[k] as number[]).length;
  }
  at(k: number, j: number): number {
    return (this.groups[k] as number[])[j] as number;
  }
  members(k: number): number[] {
    return this.groups[k] as number[];
  }
}

function exactGroups(result: { groups: number[][]; unmatched: number[] }): {
  groups: Groups;
  unmatched: number[];
} {
  return { groups: new ArrayGroups(result.groups), unmatched: result.unmatched };
}

/** Greedy construction, repair and local improvement, keeping the cheapest of a few seeded restarts. */
function searchHeuristic(m: Model): { groups: Groups; unmatched: number[] } {
  const neighbours = offsetNeighbours(m);
  let best: { sol: Solution; unmatched: number[]; rank: number[] } | null = null;
  for (let r = 0; r < restartsFor(m.n); r += 1) {
    const rng = createRng(deriveSeed(m.seed, r));
    const sol = new Solution(m, []);
    const leftovers = construct(m, placementOrder(m, rng), rng, neighbours, sol);
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
  if (best === null) return exactGroups({ groups: [], unmatched: [] });
  return { groups: best.sol, unmatched: best.unmatched };
}

/** The same search for groups of three: construction on the pair machinery, then people swapped between groups. */
function searchGroups(m: Model): { groups: Groups; unmatched: number[] } {
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
  if (best === null) return exactGroups({ groups: [], unmatched: [] });
  return { groups: best.sol, unmatched: best.unmatched };
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
function placementOrder(m: Model, rng: () => number): Int32Array {
  const sizes = new Int32Array(m.deptCount);
  for (let i = 0; i < m.n; i += 1) sizes[m.dept[i] as number] = (sizes[m.dept[i] as number] as number) + 1;
  let largest = 0;
  for (let d = 1; d < m.deptCount; d += 1) if ((sizes[d] as number) > (sizes[largest] as number)) largest = d;
  const dominant = (sizes[largest] as number) * 2 > m.n;
  // Three parts of one typed array (fresh, rest, big), each in index order, then each shuffled.
  const part = (i: number): number => (m.isNew[i] === 1 ? 0 : dominant && m.dept[i] === largest ? 2 : 1);
  const ends = new Int32Array(3);
  for (let i = 0; i < m.n; i += 1) ends[part(i)] = (ends[part(i)] as number) + 1;
  const fill = Int32Array.of(0, ends[0] as number, (ends[0] as number) + (ends[1] as number));
  const order = new Int32Array(m.n);
  for (let i = 0; i < m.n; i += 1) {
    const p = part(i);
    order[fill[p] as number] = i;
    fill[p] = (fill[p] as number) + 1;
  }
  const fresh = ends[0] as number;
  const rest = fresh + (ends[1] as number);
  shuffleInPlace(order.subarray(0, fresh), rng);
  shuffleInPlace(order.subarray(fresh, rest), rng);
  shuffleInPlace(order.subarray(rest), rng);
  return order;
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
  // Insertion sort: groups have three to five members, and Array#sort allocates a work copy each call.
  let rest = [...g];
  for (let x = 1; x < rest.length; x += 1) {
    const v = rest[x] as number;
    let y = x;
    for (; y > 0 && (rest[y - 1] as number) > v; y -= 1) rest[y] = rest[y - 1] as number;
    rest[y] = v;
  }
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

function statsOf(m: Model, groups: Groups): Plan['stats'] {
  let coverage = 0;
  let repeats = 0;
  let trios = 0;
  let hours = 0;
  let count = 0;
  for (let k = 0; k < groups.count; k += 1) {
    if (groups.len(k) === 0) continue;
    const g = groups.members(k);
    count += 1;
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
    tzScore: count === 0 ? 0 : Math.round((hours / count) * 1000) / 1000,
  };
}
