// One matching round: compile the pool, search (exactly for small pools, greedy + local improvement
// otherwise), then explain each group and report the figures product.md §2 promises.
import { crossDepartmentBound } from './bound.ts';
import { construct, offsetNeighbours } from './construct.ts';
import { EXACT_MAX, solveExact } from './exact.ts';
import { buildCandidateIndex, improveAllPairs, improveSampled, improveTrio } from './improve.ts';
import { ageOf, buildModel, coveredCount, type Model, pairCost } from './model.ts';
import { Explainer } from './reasons.ts';
import { repairLeftovers } from './repair.ts';
import { createRng, deriveSeed, shuffleInPlace } from './rng.ts';
import { Solution } from './solution.ts';
import { sharedWorkingMinutes } from './timezones.ts';
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

/** Plans one round: everyone in exactly one group where the rules allow, best groups first by rule order. */
export function planRound(input: PlanInput): Plan {
  const m = buildModel(input);
  const { groups, unmatched } = m.n <= EXACT_MAX ? solveExact(m) : searchHeuristic(m);
  const explainer = new Explainer(m, input.members);
  const planned: PlannedGroup[] = groups.map((g) => {
    const ordered = orderGroup(m, g);
    return { members: ordered.map((i) => m.ids[i] as string), reasons: explainer.explain(ordered) };
  });
  return {
    groups: planned,
    unmatched: unmatched.sort((a, b) => a - b).map((i) => m.ids[i] as string),
    stats: statsOf(m, input, groups),
  };
}

/** Greedy construction, repair and local improvement, keeping the cheapest of a few seeded restarts. */
function searchHeuristic(m: Model): { groups: number[][]; unmatched: number[] } {
  const neighbours = offsetNeighbours(m);
  let best: { sol: Solution; unmatched: number[]; total: number } | null = null;
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
    const total = sol.total(unmatched.length);
    if (best === null || total < best.total) best = { sol, unmatched, total };
  }
  if (best === null) return { groups: [], unmatched: [] };
  return { groups: best.sol.groups(), unmatched: best.unmatched };
}

/** New members first (they are placed while every option is open), each part shuffled by the seed. */
function placementOrder(m: Model, rng: () => number): number[] {
  const fresh: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < m.n; i += 1) (m.isNew[i] === 1 ? fresh : rest).push(i);
  return [...shuffleInPlace(fresh, rng), ...shuffleInPlace(rest, rng)];
}

/**
 * Pairs in input order; a trio ends with "the added person": someone who was not in last round's trio,
 * chosen so the two others are the best pair among them.
 */
function orderGroup(m: Model, g: readonly number[]): number[] {
  if (g.length === 2)
    return (g[0] as number) < (g[1] as number)
      ? [g[0] as number, g[1] as number]
      : [g[1] as number, g[0] as number];
  const sorted = [...g].sort((a, b) => a - b);
  let added = -1;
  let bestRest = Number.POSITIVE_INFINITY;
  for (const candidate of sorted) {
    const rest = sorted.filter((i) => i !== candidate);
    // Unflagged candidates first; among them the one whose remaining pair is cheapest.
    const cost = (m.flagged[candidate] === 1 ? 1e20 : 0) + pairCost(m, rest[0] as number, rest[1] as number);
    if (cost < bestRest) {
      bestRest = cost;
      added = candidate;
    }
  }
  return [...sorted.filter((i) => i !== added), added];
}

function statsOf(m: Model, input: PlanInput, groups: readonly number[][]): Plan['stats'] {
  let coverage = 0;
  let repeats = 0;
  let trios = 0;
  let hours = 0;
  for (const g of groups) {
    coverage += coveredCount(m, g);
    if (g.length === 3) trios += 1;
    for (let x = 0; x < g.length; x += 1) {
      for (let y = x + 1; y < g.length; y += 1) {
        if (ageOf(m, g[x] as number, g[y] as number) <= Math.max(1, m.window)) repeats += 1;
      }
    }
    hours += sharedWorkingMinutes(g.map((i) => m.offsets[m.off[i] as number] as number)) / 60;
  }
  return {
    n: m.n,
    coverage,
    bound: crossDepartmentBound(input.members.map((member) => member.department ?? null)),
    repeats,
    trios,
    tzScore: groups.length === 0 ? 0 : Math.round((hours / groups.length) * 1000) / 1000,
  };
}
