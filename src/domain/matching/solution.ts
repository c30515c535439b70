// A mutable grouping of pairs and at most one trio, with cached group costs, shared by repair and
// improvement. Groups live in flat typed arrays (three slots each) so local search allocates nothing
// per move.
import { Grouping } from './grouping.ts';
import { type Model, membersCost } from './model.ts';

/** The best re-split found by `bestSplit` (improve.ts): five member slots (pair first), costs and the gain. */
export interface Split {
  delta: number;
  /** Pair members in p0, p1; the other group's members in q0, q1 (and q2 for the trio). */
  p0: number;
  p1: number;
  q0: number;
  q1: number;
  q2: number;
  costP: number;
  costQ: number;
}

const noSplit = (): Split => ({ delta: 0, p0: -1, p1: -1, q0: -1, q1: -1, q2: -1, costP: 0, costQ: 0 });

export class Solution extends Grouping {
  // The local search's records and scratch, per grouping: it evaluates millions of moves and must not
  // allocate for them (and the engine keeps no module-level state).
  /** The best split of the last two groups searched. */
  readonly found: Split = noSplit();
  /** The best split kept across the groups a member samples. */
  readonly kept: Split = noSplit();
  /** The members of a pair and the trio, side by side. */
  readonly five = new Int32Array(5);

  constructor(m: Model, groups: readonly (readonly number[])[]) {
    // Group k's members are slots[3k], slots[3k + 1] and, in the trio, slots[3k + 2].
    super(m, 3);
    for (const g of groups) this.add(g);
  }

  /** Appends a group of two or three members and returns its index. */
  add(members: readonly number[]): number {
    const k = this.count;
    this.count += 1;
    if (members.length === 3)
      this.setTrio(k, members[0] as number, members[1] as number, members[2] as number);
    else this.setPair(k, members[0] as number, members[1] as number);
    return k;
  }

  private clear(k: number): void {
    for (let j = 0; j < (this.size[k] as number); j += 1) {
      const i = this.slots[3 * k + j] as number;
      if (this.groupOf[i] === k) this.groupOf[i] = -1;
    }
  }

  /** Makes group k the pair {a, b} (cost recomputed unless given). */
  setPair(k: number, a: number, b: number, cost?: number): void {
    this.clear(k);
    this.slots[3 * k] = a;
    this.slots[3 * k + 1] = b;
    this.slots[3 * k + 2] = -1;
    this.size[k] = 2;
    this.cost[k] = cost ?? membersCost(this.m, a, b);
    this.groupOf[a] = k;
    this.groupOf[b] = k;
  }

  /** Makes group k the trio {a, b, c} (cost recomputed unless given). */
  setTrio(k: number, a: number, b: number, c: number, cost?: number): void {
    this.clear(k);
    this.slots[3 * k] = a;
    this.slots[3 * k + 1] = b;
    this.slots[3 * k + 2] = c;
    this.size[k] = 3;
    this.cost[k] = cost ?? membersCost(this.m, a, b, c);
    this.groupOf[a] = k;
    this.groupOf[b] = k;
    this.groupOf[c] = k;
  }

  /** Index of the group of three, or -1. */
  trioIndex(): number {
    for (let k = 0; k < this.count; k += 1) if (this.size[k] === 3) return k;
    return -1;
  }
}
