// Greedy construction of groups of three that reaches the coverage bound by design, built on the pair
// construction:
//
// 1. Split the pool into q anchor pairs (2q people, q = number of groups) and joiners (the rest). When
//    the largest department dominates (L + q > n: some groups must be single-department) every joiner
//    is from it, so the anchors hold everyone else; the pair construction then makes n − L cross pairs,
//    and only the remaining anchor pairs are within the largest department: exactly the
//    single-department groups the bound allows. Otherwise the joiners take enough of each department
//    larger than q that none holds more than half the anchors, so every anchor pair crosses and every
//    group is mixed, whoever joins it.
// 2. Pair the anchors with the pair construction (construct.ts).
// 3. Give each pair its third: groups in nearby time zones are sampled and the cheapest kept, the cost
//    of a joiner being its pair costs with both anchors plus the group's shared hours. Then the n mod 3
//    extras join different groups, preferring mixed groups and people and groups not enlarged last
//    round.
// 4. Place whoever "don't pair" lists blocked; who still cannot be placed is reported unmatched.
import { construct } from './construct.ts';
import type { GroupSolution } from './group-solution.ts';
import { COST, type Model, membersCost, TIER_FLOOR } from './model.ts';
import { randomInt } from './rng.ts';

/** Good (tier-free) groups to compare per joiner, and the cap on groups sampled per joiner. */
const GOOD_CANDIDATES = 6;
const MAX_PROBES = 48;
/** Below this many open groups a joiner may scan them all to dodge a repeat. */
const REPEAT_SCAN_LIMIT = 4096;
/** Groups a blocked member's repair looks at. */
const REPAIR_SCAN_LIMIT = 4096;

/** Builds groups over `order` into `sol`; returns the members that stay unmatched. */
export function constructGroups(
  m: Model,
  order: Int32Array,
  rng: () => number,
  neighbours: Int32Array[],
  sol: GroupSolution,
): number[] {
  const s = m.groupSize;
  const q = Math.floor(order.length / s);
  const joining = joinersOf(m, order, q);
  const leftovers = construct(
    m,
    order.filter((i) => joining[i] === 0),
    rng,
    neighbours,
    sol,
    false,
  );
  const rest = [...leftovers, ...order.filter((i) => joining[i] === 1)];
  const pending: number[] = [];

  // "Don't pair" lists can leave anchors unpaired: pair joiners instead until there are q groups.
  while (sol.count < q && rest.length >= 2) {
    const u = rest.shift() as number;
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    rest.forEach((v, p) => {
      const c = membersCost(m, u, v);
      if (c < bestCost) {
        bestCost = c;
        best = p;
      }
    });
    if (best < 0) pending.push(u);
    else sol.add([u, rest.splice(best, 1)[0] as number]);
  }

  // The extras are who is left once every group has s members: people not enlarged last round first.
  const extraCount = Math.max(0, rest.length - sol.count * (s - 2));
  const extras: number[] = [];
  for (const flagged of [0, 1]) {
    for (let p = rest.length - 1; p >= 0 && extras.length < extraCount; p -= 1) {
      const i = rest[p] as number;
      if (m.flagged[i] === flagged) {
        extras.push(i);
        rest.splice(p, 1);
      }
    }
  }

  const open = new OpenGroups(m, sol, (k) => (sol.size[k] as number) < s);
  for (const t of rest) {
    const k = bestOpenGroup(m, sol, open, t, rng, neighbours);
    if (k < 0) {
      pending.push(t);
      continue;
    }
    sol.set(k, withMember(sol, k, t), (sol.size[k] as number) + 1);
    if ((sol.size[k] as number) >= s) open.remove(k);
  }
  for (const e of extras) if (!placeExtra(m, sol, e, rng, neighbours)) pending.push(e);
  return repair(m, sol, pending);
}

/** Marks the joiners (1) against the anchors (0): see step 1 at the top of this file. */
function joinersOf(m: Model, order: Int32Array, q: number): Uint8Array {
  const n = order.length;
  const want = n - 2 * q;
  const joining = new Uint8Array(m.n);
  const counts = new Int32Array(m.deptCount);
  for (let p = 0; p < n; p += 1) {
    const d = m.dept[order[p] as number] as number;
    counts[d] = (counts[d] as number) + 1;
  }
  let largest = 0;
  for (let d = 1; d < m.deptCount; d += 1)
    if ((counts[d] as number) > (counts[largest] as number)) largest = d;
  let taken = 0;
  // From the end of the order: new members, placed first, stay anchors.
  const take = (eligible: (i: number) => boolean, limit: number): void => {
    for (let p = n - 1; p >= 0 && taken < want && limit > 0; p -= 1) {
      const i = order[p] as number;
      if (joining[i] === 1 || !eligible(i)) continue;
      joining[i] = 1;
      taken += 1;
      limit -= 1;
    }
  };
  if ((counts[largest] as number) + q > n) {
    take((i) => m.dept[i] === largest, want);
  } else {
    for (let d = 0; d < m.deptCount; d += 1) {
      const over = (counts[d] as number) - q;
      if (over > 0) take((i) => m.dept[i] === d, over);
    }
  }
  take(() => true, want);
  return joining;
}

/** Group k's members followed by i, in the grouping's scratch array. */
function withMember(sol: GroupSolution, k: number, i: number): Int32Array {
  const scratch = sol.scratch;
  const len = sol.size[k] as number;
  for (let j = 0; j < len; j += 1) scratch[j] = sol.at(k, j);
  scratch[len] = i;
  return scratch;
}

/** All members of one department: everyone in the group uncovered. */
function isPure(m: Model, g: ArrayLike<number>, len: number): boolean {
  for (let x = 1; x < len; x += 1) if (m.dept[g[x] as number] !== m.dept[g[0] as number]) return false;
  return true;
}

/**
 * What adding t to group k costs. Joiners filling groups up to s leave coverage out: with the pool
 * split as above, who joins which group does not change how many are covered, so a join that looks
 * like a coverage loss is one the bound already allows for. Extras count it.
 */
function joinCost(m: Model, sol: GroupSolution, k: number, t: number, withCoverage: boolean): number {
  const len = sol.size[k] as number;
  const g = withMember(sol, k, t);
  const after = sol.costOf(g, len + 1);
  if (after === Number.POSITIVE_INFINITY || withCoverage) return after - (sol.cost[k] as number);
  const coverage =
    (isPure(m, g, len + 1) ? (len + 1) * COST.UNCOVERED : 0) - (isPure(m, g, len) ? len * COST.UNCOVERED : 0);
  return after - (sol.cost[k] as number) - coverage;
}

/** The cheapest open group found for t among sampled nearby ones (or -1 when none allows t). */
function bestOpenGroup(
  m: Model,
  sol: GroupSolution,
  open: OpenGroups,
  t: number,
  rng: () => number,
  neighbours: Int32Array[],
  withCoverage = false,
): number {
  let best = Number.POSITIVE_INFINITY;
  let bestK = -1;
  let good = 0;
  let probes = 0;
  const near = neighbours[m.off[t] as number] as Int32Array;
  for (let step = 0; step < near.length && good < GOOD_CANDIDATES && probes < MAX_PROBES; step += 1) {
    const o = near[step] as number;
    const draws = Math.min(open.sizeAt(o), GOOD_CANDIDATES - good + 1);
    for (let d = 0; d < draws && probes < MAX_PROBES; d += 1) {
      probes += 1;
      const k = open.draw(o, rng);
      const c = joinCost(m, sol, k, t, withCoverage);
      if (c < best) {
        best = c;
        bestK = k;
      }
      if (c < TIER_FLOOR) good += 1;
    }
  }
  // Sampling is a heuristic: "don't pair" lists and (in smaller pools) repeats get a complete scan.
  if (best >= COST.UNCOVERED || (best >= COST.WINDOW && open.total <= REPEAT_SCAN_LIMIT)) {
    open.forEach((k) => {
      const c = joinCost(m, sol, k, t, withCoverage);
      if (c < best) {
        best = c;
        bestK = k;
      }
    });
  }
  return best < Number.POSITIVE_INFINITY ? bestK : -1;
}

/**
 * Adds extra e to a group of exactly s members, sampled near e's time zone like a joiner but with
 * coverage counted (an extra from the largest department belongs in a mixed group when there is one);
 * false when no group allows e.
 */
function placeExtra(
  m: Model,
  sol: GroupSolution,
  e: number,
  rng: () => number,
  neighbours: Int32Array[],
): boolean {
  const full = new OpenGroups(m, sol, (k) => sol.size[k] === m.groupSize);
  const k = bestOpenGroup(m, sol, full, e, rng, neighbours, true);
  if (k < 0) return false;
  sol.set(k, withMember(sol, k, e), m.groupSize + 1);
  return true;
}

/**
 * Places the members "don't pair" lists blocked, then mends groups left short of s members. Each step
 * takes the first of a few moves that keeps every list intact (see placeBlocked and fillShort); who
 * still cannot be placed is returned as unmatched, and a group that cannot be mended stays short.
 */
function repair(m: Model, sol: GroupSolution, pending: readonly number[]): number[] {
  const unmatched = pending.filter((u) => !placeBlocked(m, sol, u));
  for (let k = 0; k < sol.count; k += 1) {
    if ((sol.size[k] as number) > 0 && (sol.size[k] as number) < m.groupSize) fillShort(m, sol, k);
  }
  return unmatched;
}

/** Group k with member x too, when no list forbids it (its cost otherwise), or Infinity. */
function costWith(sol: GroupSolution, k: number, x: number, without = -1): number {
  const g = sol.members(k).filter((i) => i !== without);
  g.push(x);
  return sol.costOf(g, g.length);
}

/** Groups by size class: short of s members, exactly s, and enlarged. */
function sizeClasses(m: Model, sol: GroupSolution): { short: number[]; full: number[]; enlarged: number[] } {
  const out = { short: [] as number[], full: [] as number[], enlarged: [] as number[] };
  for (let k = 0; k < sol.count; k += 1) {
    const len = sol.size[k] as number;
    if (len === 0) continue;
    (len < m.groupSize ? out.short : len === m.groupSize ? out.full : out.enlarged).push(k);
  }
  return out;
}

/** The cheapest of `groups` u may join (-1 when none). */
function cheapestJoin(sol: GroupSolution, u: number, groups: readonly number[]): number {
  let best = Number.POSITIVE_INFINITY;
  let bestK = -1;
  for (const k of groups) {
    const c = costWith(sol, k, u) - (sol.cost[k] as number);
    if (c < best) {
      best = c;
      bestK = k;
    }
  }
  return bestK;
}

/**
 * Places a blocked member u: into a short group; by taking the place of someone in another group who
 * can move to a short group; or, while fewer than s − 1 groups are enlarged, as an extra in a group of
 * s, directly or by taking the place of someone who can be that extra. False when none works.
 */
function placeBlocked(m: Model, sol: GroupSolution, u: number): boolean {
  const { short, full, enlarged } = sizeClasses(m, sol);
  const direct = cheapestJoin(sol, u, short);
  if (direct >= 0) {
    sol.push(direct, u);
    return true;
  }
  const extraAllowed = enlarged.length + 1 < m.groupSize;
  if (short.length > 0 && swapIn(sol, u, [...full, ...enlarged], short)) return true;
  if (!extraAllowed) return false;
  const asExtra = cheapestJoin(sol, u, full);
  if (asExtra >= 0) {
    sol.push(asExtra, u);
    return true;
  }
  return swapIn(sol, u, [...full, ...enlarged], full);
}

/**
 * u takes the place of some x in one of `hosts`, and x joins one of `targets` (not the same group);
 * the first such move found within the scan limit is made. True when done.
 */
function swapIn(
  sol: GroupSolution,
  u: number,
  hosts: readonly number[],
  targets: readonly number[],
): boolean {
  let scanned = 0;
  for (const h of hosts) {
    if (scanned >= REPAIR_SCAN_LIMIT) return false;
    scanned += 1;
    const members = sol.members(h);
    for (const x of members) {
      const c = costWith(sol, h, u, x);
      if (c === Number.POSITIVE_INFINITY) continue;
      const k = cheapestJoin(
        sol,
        x,
        targets.filter((t) => t !== h),
      );
      if (k < 0) continue;
      const swapped = members.map((i) => (i === x ? u : i));
      sol.set(h, swapped, swapped.length, c);
      sol.push(k, x);
      return true;
    }
  }
  return false;
}

/**
 * Brings short group v up to s members: someone from an enlarged group moves in, directly or through a
 * group of s (x joins it as y leaves it for v); failing that, v's members join groups of s as extras,
 * one each, while that leaves at most s − 1 groups enlarged.
 */
function fillShort(m: Model, sol: GroupSolution, v: number): void {
  while ((sol.size[v] as number) < m.groupSize) {
    const { full, enlarged } = sizeClasses(m, sol);
    if (!pullFrom(sol, v, enlarged, full)) break;
  }
  if ((sol.size[v] as number) >= m.groupSize) return;
  const { full, enlarged } = sizeClasses(m, sol);
  const stranded = sol.members(v);
  if (enlarged.length + stranded.length > m.groupSize - 1) return;
  // Every member needs a different group of s that allows them.
  const chosen: number[] = [];
  for (const x of stranded) {
    const k = cheapestJoin(
      sol,
      x,
      full.filter((h) => !chosen.includes(h)),
    );
    if (k < 0) return;
    chosen.push(k);
  }
  sol.set(v, [], 0);
  stranded.forEach((x, i) => {
    sol.push(chosen[i] as number, x);
  });
}

/** Moves one member of a `donors` group into v, directly or via one of `via`; true when done. */
function pullFrom(sol: GroupSolution, v: number, donors: readonly number[], via: readonly number[]): boolean {
  for (const d of donors) {
    for (const x of sol.members(d)) {
      if (costWith(sol, v, x) < Number.POSITIVE_INFINITY) {
        sol.remove(d, x);
        sol.push(v, x);
        return true;
      }
    }
  }
  let scanned = 0;
  for (const h of via) {
    if (h === v || scanned >= REPAIR_SCAN_LIMIT) continue;
    scanned += 1;
    for (const y of sol.members(h)) {
      if (costWith(sol, v, y) === Number.POSITIVE_INFINITY) continue;
      for (const d of donors) {
        for (const x of sol.members(d)) {
          const c = costWith(sol, h, x, y);
          if (c === Number.POSITIVE_INFINITY) continue;
          sol.remove(d, x);
          const swapped = sol.members(h).map((i) => (i === y ? x : i));
          sol.set(h, swapped, swapped.length, c);
          sol.push(v, y);
          return true;
        }
      }
    }
  }
  return false;
}

/** Groups still taking members, indexed by the time zone of their first member for sampling. */
class OpenGroups {
  total = 0;
  private readonly lists: number[][];
  private readonly pos: Int32Array;
  private readonly offsetOf: Int32Array;

  constructor(m: Model, sol: GroupSolution, isOpen: (k: number) => boolean) {
    this.lists = Array.from({ length: m.offsets.length }, () => []);
    this.pos = new Int32Array(sol.count).fill(-1);
    this.offsetOf = new Int32Array(sol.count);
    for (let k = 0; k < sol.count; k += 1) {
      if (!isOpen(k)) continue;
      const o = m.off[sol.at(k, 0)] as number;
      const list = this.lists[o] as number[];
      this.offsetOf[k] = o;
      this.pos[k] = list.length;
      list.push(k);
      this.total += 1;
    }
  }

  sizeAt(o: number): number {
    return (this.lists[o] as number[]).length;
  }

  draw(o: number, rng: () => number): number {
    const list = this.lists[o] as number[];
    return list[randomInt(rng, list.length)] as number;
  }

  remove(k: number): void {
    const p = this.pos[k] as number;
    if (p < 0) return;
    const list = this.lists[this.offsetOf[k] as number] as number[];
    const last = list.pop() as number;
    if (last !== k) {
      list[p] = last;
      this.pos[last] = p;
    }
    this.pos[k] = -1;
    this.total -= 1;
  }

  forEach(visit: (k: number) => void): void {
    for (const list of this.lists) for (const k of list) visit(k);
  }
}
