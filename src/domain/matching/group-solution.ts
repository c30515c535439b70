// A mutable grouping for groups of three (and their enlarged groups of four), with cached group costs:
// shared by construction, repair and improvement of the groups-of-three engine. Groups live in flat
// typed arrays (`width` slots each) so the local search allocates nothing per move.
import { Grouping } from './grouping.ts';
import { groupCost, type Model } from './model.ts';

/** A move found by the search: member a of group g and member b of group h trade places (b = -1: a moves). */
export interface Move {
  delta: number;
  g: number;
  h: number;
  a: number;
  b: number;
  costG: number;
  costH: number;
}

const noMove = (): Move => ({ delta: 0, g: -1, h: -1, a: -1, b: -1, costG: 0, costH: 0 });

export class GroupSolution extends Grouping {
  // The construction's and local search's records and scratch, per grouping: they evaluate millions of
  // groups and must not allocate for them (and the engine keeps no module-level state).
  /** The best move between the last two groups searched. */
  readonly found: Move = noMove();
  /** The best move kept across the groups a member samples. */
  readonly kept: Move = noMove();
  /** The two groups as they would be after a move. */
  readonly nextG = new Int32Array(8);
  readonly nextH = new Int32Array(8);
  /** A group with one member more (construction). */
  readonly scratch = new Int32Array(8);

  constructor(
    m: Model,
    /** Pair costs of small pools (pairCostTable), or null to compute them. */
    readonly table: Float64Array | null,
  ) {
    // The group size plus two: an enlarged group, and room for repair.
    super(m, m.groupSize + 2);
  }

  /** Cost of the first `len` members of `g` as one group. */
  costOf(g: ArrayLike<number>, len: number): number {
    return groupCost(this.m, g, len, this.table);
  }

  /** Appends a group and returns its index. */
  add(members: readonly number[]): number {
    const k = this.count;
    this.count += 1;
    this.set(k, members, members.length);
    return k;
  }

  /** Makes group k the first `len` members of `g` (cost recomputed unless given). */
  set(k: number, g: ArrayLike<number>, len: number, cost?: number): void {
    const base = this.width * k;
    for (let j = 0; j < (this.size[k] as number); j += 1) {
      const i = this.slots[base + j] as number;
      if (this.groupOf[i] === k) this.groupOf[i] = -1;
    }
    for (let j = 0; j < len; j += 1) {
      const i = g[j] as number;
      this.slots[base + j] = i;
      this.groupOf[i] = k;
    }
    for (let j = len; j < this.width; j += 1) this.slots[base + j] = -1;
    this.size[k] = len;
    this.cost[k] = cost ?? this.costOf(g, len);
  }

  /** Adds member i to group k. */
  push(k: number, i: number): void {
    const g = this.members(k);
    g.push(i);
    this.set(k, g, g.length);
  }

  /** Takes member i out of group k (it becomes unplaced). */
  remove(k: number, i: number): void {
    const g = this.members(k).filter((x) => x !== i);
    this.set(k, g, g.length);
    this.groupOf[i] = -1;
  }
}
