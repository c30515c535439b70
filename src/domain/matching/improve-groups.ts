// Local improvement for groups of three: swap two people between two groups, or move someone from an
// enlarged group to a group of the normal size (the sizes stay the same, only which group is enlarged
// changes), whenever the cost falls. As in improve.ts, coverage, "don't pair" lists and the other rules
// are cost tiers with overwhelming weights, so no move trades them for soft gains: the bound reached by
// construction is kept.
import type { GroupSolution, Move } from './group-solution.ts';
import { type CandidateIndex, improveSampledWith } from './improve.ts';
import { COST, type Model } from './model.ts';

const EPS = 1e-9;

function copyMove(to: Move, from: Move): void {
  to.delta = from.delta;
  to.g = from.g;
  to.h = from.h;
  to.a = from.a;
  to.b = from.b;
  to.costG = from.costG;
  to.costH = from.costH;
}

/**
 * Groups already this cheap (perfect hours, no history, nothing but the small soft cost of their
 * same-department pairs and the jitter) are not worth a search.
 */
function goodEnough(m: Model, sol: GroupSolution, g: number): number {
  const len = sol.size[g] as number;
  let limit = 0.2;
  for (let x = 0; x < len; x += 1) {
    const d = m.dept[sol.at(g, x)] as number;
    for (let y = x + 1; y < len; y += 1)
      limit += COST.JITTER + (m.dept[sol.at(g, y)] === d ? COST.SAME_DEPT : 0);
  }
  return limit;
}

/** Records the move in `found` when it beats the best so far; true when it did. */
function offer(
  found: Move,
  delta: number,
  g: number,
  h: number,
  a: number,
  b: number,
  costG: number,
  costH: number,
): boolean {
  if (!(delta < found.delta)) return false;
  found.delta = delta;
  found.g = g;
  found.h = h;
  found.a = a;
  found.b = b;
  found.costG = costG;
  found.costH = costH;
  return true;
}

/**
 * Tries the moves of member `a` (slot x of group g) against group h, keeping the best one that beats
 * `found.delta`: a trades places with each member of h, or moves over when g is enlarged and h is not.
 */
function tryMember(m: Model, sol: GroupSolution, g: number, x: number, h: number): boolean {
  const { found, nextG, nextH } = sol;
  const s = m.groupSize;
  const lg = sol.size[g] as number;
  const lh = sol.size[h] as number;
  const before = (sol.cost[g] as number) + (sol.cost[h] as number);
  const a = sol.at(g, x);
  let ok = false;
  for (let j = 0; j < lg; j += 1) nextG[j] = sol.at(g, j);
  for (let j = 0; j < lh; j += 1) nextH[j] = sol.at(h, j);
  for (let y = 0; y < lh; y += 1) {
    const b = sol.at(h, y);
    nextG[x] = b;
    const cg = sol.costOf(nextG, lg);
    // Costs are never negative: h's new cost cannot make up for a g that got this much worse.
    if (cg - before >= found.delta) continue;
    nextH[y] = a;
    const ch = sol.costOf(nextH, lh);
    nextH[y] = b;
    if (offer(sol.found, cg + ch - before, g, h, a, b, cg, ch)) ok = true;
  }
  nextG[x] = a;
  if (lg === s + 1 && lh === s) {
    // a moves to h: g keeps its other members.
    nextG[x] = nextG[lg - 1] as number;
    const cg = sol.costOf(nextG, lg - 1);
    nextG[x] = a;
    nextH[lh] = a;
    const ch = sol.costOf(nextH, lh + 1);
    if (offer(sol.found, cg + ch - before, g, h, a, -1, cg, ch)) ok = true;
  }
  return ok;
}

/** Best improving move between groups g and h (either direction), in `found`; false when none. */
function bestBetween(m: Model, sol: GroupSolution, g: number, h: number): boolean {
  const { found } = sol;
  found.delta = -EPS;
  let ok = false;
  for (let x = 0; x < (sol.size[g] as number); x += 1) if (tryMember(m, sol, g, x, h)) ok = true;
  // Moves of h's members into g are only new when h is the enlarged one.
  if ((sol.size[h] as number) > (sol.size[g] as number)) {
    for (let x = 0; x < (sol.size[h] as number); x += 1) if (tryMember(m, sol, h, x, g)) ok = true;
  }
  return ok;
}

/** Applies a move found by `tryMember`. */
function apply(sol: GroupSolution, mv: Move): void {
  const g = sol.members(mv.g);
  const h = sol.members(mv.h);
  if (mv.b >= 0) {
    g[g.indexOf(mv.a)] = mv.b;
    h[h.indexOf(mv.b)] = mv.a;
  } else {
    g.splice(g.indexOf(mv.a), 1);
    h.push(mv.a);
  }
  sol.set(mv.g, g, g.length, mv.costG);
  sol.set(mv.h, h, h.length, mv.costH);
}

/** Exhaustive two-group neighbourhood until no move helps (small pools: O(groups²) per pass). */
export function improveGroupsAll(m: Model, sol: GroupSolution, maxPasses: number): void {
  const { found } = sol;
  for (let pass = 0; pass < maxPasses; pass += 1) {
    let moved = false;
    for (let g = 0; g < sol.count; g += 1) {
      if ((sol.size[g] as number) === 0) continue;
      for (let h = g + 1; h < sol.count; h += 1) {
        if ((sol.size[h] as number) === 0) continue;
        if (bestBetween(m, sol, g, h)) {
          apply(sol, found);
          moved = true;
        }
      }
    }
    if (!moved) return;
  }
}

/**
 * Sampled neighbourhood for large pools (improveSampledWith): each member takes the best improving move
 * with the groups it samples.
 */
export function improveGroupsSampled(
  m: Model,
  sol: GroupSolution,
  idx: CandidateIndex,
  rng: () => number,
  passes: number,
  k: number,
): void {
  const { found, kept } = sol;
  let x = 0;
  let improved = false;
  improveSampledWith(m, sol, idx, rng, passes, k, {
    goodEnough: (g) => goodEnough(m, sol, g),
    begin: (a, g) => {
      x = 0;
      while (sol.at(g, x) !== a) x += 1;
      improved = false;
      kept.delta = 0;
    },
    tryGroup: (g, h) => {
      found.delta = Math.min(-EPS, kept.delta);
      if (tryMember(m, sol, g, x, h)) {
        copyMove(kept, found);
        improved = true;
      }
    },
    finish: () => {
      if (improved) apply(sol, kept);
      return improved;
    },
  });
}
