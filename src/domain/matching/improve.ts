// Local improvement: re-split two groups at a time (2-opt on pairs, exchanges with the trio) whenever
// the cost falls. Coverage, doNotPair and the other hard tiers are part of the cost with overwhelming
// weights, so a move can never trade them for soft gains: the bound reached by construction is kept.
import { COST, type Model, membersCost, TIER_FLOOR } from './model.ts';
import { randomInt, shuffleInPlace } from './rng.ts';
import type { Solution, Split } from './solution.ts';

const EPS = 1e-9;
/**
 * Groups already this cheap (perfect hours, no history, nothing but a same-department pair's small soft
 * cost and the jitter) are not worth a search.
 */
const GOOD_ENOUGH = 0.7;

/**
 * A group's cost without its coverage part: single-department groups a dominant department forces on
 * the plan pay the coverage tier whatever we do, and should not be searched as if they were repeats.
 */
export function avoidableCost(cost: number): number {
  return cost >= COST.UNCOVERED && cost < COST.TRIO_ALL_FLAGGED ? cost % COST.UNCOVERED : cost;
}

function copySplit(to: Split, from: Split): void {
  to.delta = from.delta;
  to.p0 = from.p0;
  to.p1 = from.p1;
  to.q0 = from.q0;
  to.q1 = from.q1;
  to.q2 = from.q2;
  to.costP = from.costP;
  to.costQ = from.costQ;
}

/** Best cheaper re-split of groups g and h into the same sizes, written to `sol.found`; false when none. */
export function bestSplit(m: Model, sol: Solution, g: number, h: number): boolean {
  const { found, five } = sol;
  const before = (sol.cost[g] as number) + (sol.cost[h] as number);
  if (sol.size[g] === 2 && sol.size[h] === 2) {
    // Pair + pair: the two other ways to pair up four people.
    const p = sol.at(g, 0);
    const q = sol.at(g, 1);
    const r = sol.at(h, 0);
    const s = sol.at(h, 1);
    const a1 = membersCost(m, p, r);
    const b1 = membersCost(m, q, s);
    const d1 = a1 + b1 - before;
    const a2 = membersCost(m, p, s);
    const b2 = membersCost(m, q, r);
    const d2 = a2 + b2 - before;
    const first = d1 <= d2;
    const delta = first ? d1 : d2;
    if (!(delta < -EPS)) return false;
    found.delta = delta;
    found.p0 = p;
    found.p1 = first ? r : s;
    found.q0 = q;
    found.q1 = first ? s : r;
    found.q2 = -1;
    found.costP = first ? a1 : a2;
    found.costQ = first ? b1 : b2;
    return true;
  }
  // One of them is the trio: try every way to choose the pair out of the five members.
  const gs = sol.size[g] as number;
  for (let j = 0; j < gs; j += 1) five[j] = sol.at(g, j);
  for (let j = 0; j < (sol.size[h] as number); j += 1) five[gs + j] = sol.at(h, j);
  let ok = false;
  found.delta = -EPS;
  for (let i = 0; i < 5; i += 1) {
    for (let j = i + 1; j < 5; j += 1) {
      const a = five[i] as number;
      const b = five[j] as number;
      const cp = membersCost(m, a, b);
      if (cp === Number.POSITIVE_INFINITY) continue;
      let r0 = -1;
      let r1 = -1;
      let r2 = -1;
      for (let x = 0; x < 5; x += 1) {
        if (x === i || x === j) continue;
        if (r0 < 0) r0 = five[x] as number;
        else if (r1 < 0) r1 = five[x] as number;
        else r2 = five[x] as number;
      }
      const cq = membersCost(m, r0, r1, r2);
      const delta = cp + cq - before;
      if (delta < found.delta) {
        ok = true;
        found.delta = delta;
        found.p0 = a;
        found.p1 = b;
        found.q0 = r0;
        found.q1 = r1;
        found.q2 = r2;
        found.costP = cp;
        found.costQ = cq;
      }
    }
  }
  return ok;
}

/** Applies a split to groups g and h (the pair goes to whichever of them was a pair before). */
function apply(sol: Solution, g: number, h: number, s: Split): void {
  const pairGroup = s.q2 < 0 || sol.size[g] === 2 ? g : h;
  const otherGroup = pairGroup === g ? h : g;
  sol.setPair(pairGroup, s.p0, s.p1, s.costP);
  if (s.q2 < 0) sol.setPair(otherGroup, s.q0, s.q1, s.costQ);
  else sol.setTrio(otherGroup, s.q0, s.q1, s.q2, s.costQ);
}

/** Exhaustive 2-group neighbourhood until no move helps (small pools: O(groups²) per pass). */
export function improveAllPairs(m: Model, sol: Solution, maxPasses: number): void {
  const { found } = sol;
  for (let pass = 0; pass < maxPasses; pass += 1) {
    let moved = false;
    for (let g = 0; g < sol.count; g += 1) {
      for (let h = g + 1; h < sol.count; h += 1) {
        if (bestSplit(m, sol, g, h)) {
          apply(sol, g, h, found);
          moved = true;
        }
      }
    }
    if (!moved) return;
  }
}

/** Members grouped by time-zone offset, for sampling likely partners near a member's working hours. */
export interface CandidateIndex {
  byOffset: Int32Array;
  start: Int32Array;
  /** Per offset: the nearest offsets whose members together reach the sampling pool size. */
  near: Int32Array[];
  nearTotal: Int32Array;
}

/** Indexes placed members by offset; `poolSize` is how many nearby members a sample is drawn from. */
export function buildCandidateIndex(
  m: Model,
  members: ArrayLike<number>,
  neighbours: Int32Array[],
  poolSize: number,
): CandidateIndex {
  const o = m.offsets.length;
  const counts = new Int32Array(o);
  for (let p = 0; p < members.length; p += 1) {
    const k = m.off[members[p] as number] as number;
    counts[k] = (counts[k] as number) + 1;
  }
  const start = new Int32Array(o + 1);
  for (let k = 0; k < o; k += 1) start[k + 1] = (start[k] as number) + (counts[k] as number);
  const fill = start.slice(0, o);
  const byOffset = new Int32Array(members.length);
  for (let p = 0; p < members.length; p += 1) {
    const i = members[p] as number;
    const k = m.off[i] as number;
    byOffset[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  const near: Int32Array[] = [];
  const nearTotal = new Int32Array(o);
  for (let k = 0; k < o; k += 1) {
    const list: number[] = [];
    let total = 0;
    for (const x of neighbours[k] as Int32Array) {
      if (counts[x] === 0) continue;
      list.push(x);
      total += counts[x] as number;
      if (total >= poolSize) break;
    }
    near.push(Int32Array.from(list));
    nearTotal[k] = total;
  }
  return { byOffset, start, near, nearTotal };
}

/** A placed member drawn from the offsets nearest `offset` (-1 when there is none). */
export function sampleNear(idx: CandidateIndex, offset: number, rng: () => number): number {
  let pick = randomInt(rng, idx.nearTotal[offset] as number);
  const near = idx.near[offset] as Int32Array;
  for (let k = 0; k < near.length; k += 1) {
    const x = near[k] as number;
    const size = (idx.start[x + 1] as number) - (idx.start[x] as number);
    if (pick < size) return idx.byOffset[(idx.start[x] as number) + pick] as number;
    pick -= size;
  }
  return -1;
}

/** What a sampled search does for each member it visits: pairs and groups of three each have their own. */
export interface MemberMoves {
  /** Cost (coverage aside) at or below which group g is not worth a search. */
  goodEnough(g: number): number;
  /** Member a of group g starts trying the groups of sampled people. */
  begin(a: number, g: number): void;
  /** Tries a's moves against group h, keeping the best so far. */
  tryGroup(g: number, h: number): void;
  /** Applies the best move kept, if any; true when the grouping changed. */
  finish(a: number, g: number): boolean;
}

/**
 * The sampled neighbourhood for large pools, shared by pairs and groups of three: up to `passes` passes
 * over the placed members in a fresh random order, until one moves nobody. Each member whose group is
 * not good enough tries the groups of `k` people drawn from nearby time zones (4k, half of them anyone,
 * when its group pays a tier such as a repeat).
 */
export function improveSampledWith(
  m: Model,
  sol: { readonly groupOf: Int32Array; readonly cost: Float64Array },
  idx: CandidateIndex,
  rng: () => number,
  passes: number,
  k: number,
  moves: MemberMoves,
): void {
  const order = idx.byOffset.slice();
  const everyone = order.length;
  for (let pass = 0; pass < passes; pass += 1) {
    shuffleInPlace(order, rng);
    let moved = 0;
    for (let p = 0; p < everyone; p += 1) {
      const a = order[p] as number;
      const g = sol.groupOf[a] as number;
      if (g < 0) continue;
      const cost = avoidableCost(sol.cost[g] as number);
      if (cost <= moves.goodEnough(g)) continue;
      const tiered = cost >= TIER_FLOOR;
      const tries = tiered ? 4 * k : k;
      moves.begin(a, g);
      for (let t = 0; t < tries; t += 1) {
        const c =
          tiered && t % 2 === 1
            ? (idx.byOffset[randomInt(rng, everyone)] as number)
            : sampleNear(idx, m.off[a] as number, rng);
        if (c < 0) continue;
        const h = sol.groupOf[c] as number;
        if (h < 0 || h === g) continue;
        moves.tryGroup(g, h);
      }
      if (moves.finish(a, g)) moved += 1;
    }
    if (moved === 0) return;
  }
}

/**
 * Sampled neighbourhood for pairs: each member takes the best improving re-split with the groups it
 * samples, or failing that tries a three-pair rotation.
 */
export function improveSampled(
  m: Model,
  sol: Solution,
  idx: CandidateIndex,
  rng: () => number,
  passes: number,
  k: number,
): void {
  const { found, kept } = sol;
  let bestH = -1;
  improveSampledWith(m, sol, idx, rng, passes, k, {
    goodEnough: () => GOOD_ENOUGH,
    begin: () => {
      bestH = -1;
    },
    tryGroup: (g, h) => {
      if (bestSplit(m, sol, g, h) && (bestH < 0 || found.delta < kept.delta)) {
        copySplit(kept, found);
        bestH = h;
      }
    },
    finish: (a, g) => {
      if (bestH >= 0) {
        apply(sol, g, bestH, kept);
        return true;
      }
      return sol.size[g] === 2 && rotateThree(m, sol, idx, rng, a, k);
    },
  });
}

/**
 * Three-pair rotation for when no two-group move helps: (a,b) (c,d) (e,f) → (a,c) (d,e) (f,b), with c
 * drawn near a and e near d. Pair swaps alone get stuck where every improvement needs three people
 * to change partners at once (e.g. a dominant department matched against the rest, where coverage
 * forbids most swaps). True when a rotation was applied.
 */
function rotateThree(
  m: Model,
  sol: Solution,
  idx: CandidateIndex,
  rng: () => number,
  a: number,
  tries: number,
): boolean {
  const g = sol.groupOf[a] as number;
  const b = sol.at(g, 0) === a ? sol.at(g, 1) : sol.at(g, 0);
  const before = sol.cost[g] as number;
  for (let t = 0; t < tries; t += 1) {
    const c = sampleNear(idx, m.off[a] as number, rng);
    const h = c < 0 ? -1 : (sol.groupOf[c] as number);
    if (h < 0 || h === g || sol.size[h] !== 2) continue;
    const d = sol.at(h, 0) === c ? sol.at(h, 1) : sol.at(h, 0);
    const ac = membersCost(m, a, c);
    const base = before + (sol.cost[h] as number);
    if (!(ac < base)) continue;
    const e = sampleNear(idx, m.off[d] as number, rng);
    const k = e < 0 ? -1 : (sol.groupOf[e] as number);
    if (k < 0 || k === g || k === h || sol.size[k] !== 2) continue;
    const f = sol.at(k, 0) === e ? sol.at(k, 1) : sol.at(k, 0);
    const de = membersCost(m, d, e);
    const fb = membersCost(m, f, b);
    if (ac + de + fb - base - (sol.cost[k] as number) < -EPS) {
      sol.setPair(g, a, c, ac);
      sol.setPair(h, d, e, de);
      sol.setPair(k, f, b, fb);
      return true;
    }
  }
  return false;
}

/** Tries the trio against `samples` groups (its rotation and hours matter as much as any pair's). */
export function improveTrio(m: Model, sol: Solution, rng: () => number, samples: number): void {
  const { found, kept } = sol;
  for (let round = 0; round < 2; round += 1) {
    const t = sol.trioIndex();
    if (t < 0) return;
    let bestH = -1;
    const scanAll = sol.count - 1 <= samples;
    const scan = scanAll ? sol.count - 1 : samples;
    for (let s = 0; s < scan; s += 1) {
      const h = scanAll ? (s >= t ? s + 1 : s) : randomInt(rng, sol.count);
      if (h === t) continue;
      if (bestSplit(m, sol, t, h) && (bestH < 0 || found.delta < kept.delta)) {
        copySplit(kept, found);
        bestH = h;
      }
    }
    if (bestH < 0) return;
    apply(sol, t, bestH, kept);
  }
}
