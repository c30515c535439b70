// Local improvement for groups of three: swap two people between two groups, or move someone from an
// enlarged group to a group of the normal size (the sizes stay the same, only which group is enlarged
// changes), whenever the cost falls. As in improve.ts, coverage, "don't pair" lists and the other rules
// are cost tiers with overwhelming weights, so no move trades them for soft gains: the bound reached by
// construction is kept.
import type { GroupSolution } from './group-solution.ts';
import { type CandidateIndex, sampleNear } from './improve.ts';
import { COST, type Model, TIER_FLOOR } from './model.ts';
import { randomInt } from './rng.ts';

const EPS = 1e-9;

/** A move found by the search: member a of group g and member b of group h trade places (b = -1: a moves). */
interface Move {
  delta: number;
  g: number;
  h: number;
  a: number;
  b: number;
  costG: number;
  costH: number;
}

const found: Move = { delta: 0, g: -1, h: -1, a: -1, b: -1, costG: 0, costH: 0 };
const kept: Move = { ...found };
// The two groups as they would be after a move.
const nextG = new Int32Array(8);
const nextH = new Int32Array(8);

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
 * A group's cost without its coverage part: single-department groups a dominant department forces on
 * the plan pay the coverage tier whatever we do, and should not be searched as if they were repeats.
 */
function avoidableCost(cost: number): number {
  return cost >= COST.UNCOVERED && cost < COST.TRIO_ALL_FLAGGED ? cost % COST.UNCOVERED : cost;
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

/**
 * Tries the moves of member `a` (slot x of group g) against group h, keeping the best one that beats
 * `found.delta`: a trades places with each member of h, or moves over when g is enlarged and h is not.
 */
function tryMember(m: Model, sol: GroupSolution, g: number, x: number, h: number): boolean {
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
    const delta = cg + ch - before;
    if (delta < found.delta) {
      ok = true;
      found.delta = delta;
      found.g = g;
      found.h = h;
      found.a = a;
      found.b = b;
      found.costG = cg;
      found.costH = ch;
    }
  }
  nextG[x] = a;
  if (lg === s + 1 && lh === s) {
    // a moves to h: g keeps its other members.
    nextG[x] = nextG[lg - 1] as number;
    const cg = sol.costOf(nextG, lg - 1);
    nextG[x] = a;
    nextH[lh] = a;
    const ch = sol.costOf(nextH, lh + 1);
    const delta = cg + ch - before;
    if (delta < found.delta) {
      ok = true;
      found.delta = delta;
      found.g = g;
      found.h = h;
      found.a = a;
      found.b = -1;
      found.costG = cg;
      found.costH = ch;
    }
  }
  return ok;
}

/** Best improving move between groups g and h (either direction), in `found`; false when none. */
function bestBetween(m: Model, sol: GroupSolution, g: number, h: number): boolean {
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
 * Sampled neighbourhood for large pools: each member tries `k` groups of people drawn from nearby time
 * zones (anyone, when its group pays a tier such as a repeat) and takes the best improving move.
 */
export function improveGroupsSampled(
  m: Model,
  sol: GroupSolution,
  idx: CandidateIndex,
  rng: () => number,
  passes: number,
  k: number,
): void {
  const order = idx.byOffset.slice();
  const everyone = order.length;
  for (let pass = 0; pass < passes; pass += 1) {
    for (let i = everyone - 1; i > 0; i -= 1) {
      const j = randomInt(rng, i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let moves = 0;
    for (let p = 0; p < everyone; p += 1) {
      const a = order[p] as number;
      const g = sol.groupOf[a] as number;
      if (g < 0) continue;
      const cost = avoidableCost(sol.cost[g] as number);
      if (cost <= goodEnough(m, sol, g)) continue;
      const tiered = cost >= TIER_FLOOR;
      const tries = tiered ? 4 * k : k;
      let x = 0;
      while (sol.at(g, x) !== a) x += 1;
      let improved = false;
      kept.delta = 0;
      for (let t = 0; t < tries; t += 1) {
        const c =
          tiered && t % 2 === 1
            ? (idx.byOffset[randomInt(rng, everyone)] as number)
            : sampleNear(idx, m.off[a] as number, rng);
        if (c < 0) continue;
        const h = sol.groupOf[c] as number;
        if (h < 0 || h === g) continue;
        found.delta = Math.min(-EPS, kept.delta);
        if (tryMember(m, sol, g, x, h)) {
          copyMove(kept, found);
          improved = true;
        }
      }
      if (improved) {
        apply(sol, kept);
        moves += 1;
      }
    }
    if (moves === 0) return;
  }
}
