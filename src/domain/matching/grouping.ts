// What pairs' Solution and the groups-of-three GroupSolution share: a mutable grouping of model members
// with cached group costs, the groups in flat typed arrays (`width` slots each) so that local search
// allocates nothing per move.
import { COST, type Model } from './model.ts';

export abstract class Grouping {
  /** Number of groups (empty ones included: a group of three's search may empty one). */
  count = 0;
  /** Group k's members are slots[width·k] … slots[width·k + size[k] − 1]. */
  readonly slots: Int32Array;
  readonly size: Uint8Array;
  readonly cost: Float64Array;
  /** Group index per member, -1 when not placed. */
  readonly groupOf: Int32Array;

  constructor(
    readonly m: Model,
    /** Slots per group: room for the largest group the engine may form, repair included. */
    readonly width: number,
  ) {
    // At most one group per two members, plus room for repair to split a group.
    const capacity = Math.floor(m.n / 2) + 2;
    this.slots = new Int32Array(width * capacity).fill(-1);
    this.size = new Uint8Array(capacity);
    this.cost = new Float64Array(capacity);
    this.groupOf = new Int32Array(m.n).fill(-1);
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

  /** Members in group k (0 for a group emptied by a search). */
  len(k: number): number {
    return this.size[k] as number;
  }

  /** Placed members, group by group. */
  placed(): Int32Array {
    let total = 0;
    for (let k = 0; k < this.count; k += 1) total += this.size[k] as number;
    const out = new Int32Array(total);
    let p = 0;
    for (let k = 0; k < this.count; k += 1)
      for (let j = 0; j < (this.size[k] as number); j += 1) out[p++] = this.at(k, j);
    return out;
  }

  /** Sum of group costs plus the unmatched penalty: the figure restarts are compared on. */
  total(unmatched: number): number {
    let sum = unmatched * COST.UNMATCHED;
    for (let k = 0; k < this.count; k += 1) if ((this.size[k] as number) > 0) sum += this.cost[k] as number;
    return sum;
  }
}
