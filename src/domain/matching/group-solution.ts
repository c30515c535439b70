// A mutable grouping for groups of three (and their enlarged groups of four), with cached group costs:
// shared by construction, repair and improvement of the groups-of-three engine. Groups live in flat
// typed arrays (`width` slots each) so the local search allocates nothing per move.
import { COST, groupCost, type Model } from './model.ts';

export class GroupSolution {
  /** Number of groups. */
  count = 0;
  /** Slots per group: the group size plus two (an enlarged group, and room for repair). */
  readonly width: number;
  /** Group k's members are slots[width·k] … slots[width·k + size[k] − 1]. */
  readonly slots: Int32Array;
  readonly size: Uint8Array;
  readonly cost: Float64Array;
  /** Group index per member, -1 when not placed. */
  readonly groupOf: Int32Array;

  constructor(
    readonly m: Model,
    /** Pair costs of small pools (pairCostTable), or null to compute them. */
    readonly table: Float64Array | null,
  ) {
    this.width = m.groupSize + 2;
    const capacity = Math.floor(m.n / 2) + 2;
    this.slots = new Int32Array(this.width * capacity).fill(-1);
    this.size = new Uint8Array(capacity);
    this.cost = new Float64Array(capacity);
    this.groupOf = new Int32Array(m.n).fill(-1);
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

  /** Member j of group k. */
  at(k: number, j: number): number {
    return this.slots[this.width * k + j] as number;
  }

  /** Members of group k as a fresh array. */
  members(k: number): number[] {
    const out: number[] = [];
    for (let j = 0; j < (this.size[k] as number); j += 1) out.push(this.at(k, j));
    return out;
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

  /** Placed members. */
  placed(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.count; k += 1)
      for (let j = 0; j < (this.size[k] as number); j += 1) out.push(this.at(k, j));
    return out;
  }

  /** All non-empty groups as arrays (for the plan). */
  groups(): number[][] {
    const out: number[][] = [];
    for (let k = 0; k < this.count; k += 1) if ((this.size[k] as number) > 0) out.push(this.members(k));
    return out;
  }

  /** Sum of group costs plus the unmatched penalty: the figure restarts are compared on. */
  total(unmatched: number): number {
    let sum = unmatched * COST.UNMATCHED;
    for (let k = 0; k < this.count; k += 1) if ((this.size[k] as number) > 0) sum += this.cost[k] as number;
    return sum;
  }
}
