// Exhaustive search for small pools: every partition into pairs plus at most one trio (and, only when
// "don't pair" lists force it, members left out), with branch and bound on the same cost as the
// heuristic. Small teams get the true optimum, which matters most where every choice is visible.
// Groups of three have their own search below (every partition into the prescribed group sizes).
import { groupSizesFor } from './bound.ts';
import { COST, groupCost, type Model, membersCost, pairCostTable } from './model.ts';

/** Largest pool solved exhaustively (11 members: 17,325 partitions; 12: 10,395). */
export const EXACT_MAX = 12;

export interface ExactResult {
  groups: number[][];
  unmatched: number[];
}

/**
 * What both searches keep while they walk the partitions: who is used, the groups and left-out members
 * on the current path, and the cheapest complete grouping found so far.
 */
class Partitions {
  readonly used: Uint8Array;
  readonly stack: number[][] = [];
  readonly out: number[] = [];
  /** Cost of the best complete grouping found (searches prune anything not cheaper). */
  best = Number.POSITIVE_INFINITY;
  private bestGroups: number[][] = [];
  private bestOut: number[] = [];

  constructor(readonly n: number) {
    this.used = new Uint8Array(n);
  }

  /**
   * The first member not yet used; -1 when everyone is, after keeping the path, a complete grouping
   * of cost `cost`, as the best.
   */
  nextFree(cost: number): number {
    let i = 0;
    while (i < this.n && this.used[i] === 1) i += 1;
    if (i < this.n) return i;
    this.best = cost;
    this.bestGroups = this.stack.map((g) => [...g]);
    this.bestOut = [...this.out];
    return -1;
  }

  result(): ExactResult {
    return { groups: this.bestGroups, unmatched: this.bestOut };
  }
}

/** The cheapest grouping of all members of `m` (m.n ≤ EXACT_MAX). */
export function solveExact(m: Model): ExactResult {
  const n = m.n;
  const pair = new Float64Array(n * n);
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) {
      const c = membersCost(m, a, b);
      pair[a * n + b] = c;
      pair[b * n + a] = c;
    }
  }
  const p = new Partitions(n);
  const { used, stack, out } = p;

  // Parity makes some states pay for an unmatched member whatever happens next: count it early.
  const futurePenalty = (remaining: number, trioUsed: boolean): number =>
    remaining === 1 || (trioUsed && remaining % 2 === 1) ? COST.UNMATCHED : 0;

  const search = (remaining: number, trioUsed: boolean, cost: number): void => {
    if (cost + futurePenalty(remaining, trioUsed) >= p.best) return;
    const i = p.nextFree(cost);
    if (i < 0) return;
    used[i] = 1;
    for (let j = i + 1; j < n; j += 1) {
      if (used[j] === 1) continue;
      const c = pair[i * n + j] as number;
      if (c === Number.POSITIVE_INFINITY) continue;
      used[j] = 1;
      stack.push([i, j]);
      search(remaining - 2, trioUsed, cost + c);
      stack.pop();
      used[j] = 0;
    }
    if (!trioUsed) {
      for (let j = i + 1; j < n; j += 1) {
        if (used[j] === 1) continue;
        used[j] = 1;
        for (let k = j + 1; k < n; k += 1) {
          if (used[k] === 1) continue;
          const c = membersCost(m, i, j, k);
          if (c === Number.POSITIVE_INFINITY) continue;
          used[k] = 1;
          stack.push([i, j, k]);
          search(remaining - 3, true, cost + c);
          stack.pop();
          used[k] = 0;
        }
        used[j] = 0;
      }
    }
    out.push(i);
    search(remaining - 1, trioUsed, cost + COST.UNMATCHED);
    out.pop();
    used[i] = 0;
  };

  search(n, false, 0);
  return p.result();
}

/**
 * The cheapest grouping of all members of `m` (m.n ≤ EXACT_MAX) into groups of m.groupSize ≥ 3, with the
 * sizes groupSizesFor prescribes for however many are placed. Members are left out only when "don't
 * pair" lists leave no other way, and then as few as possible: each count of people left out is tried
 * in turn, from none upwards.
 */
export function solveExactGroups(m: Model): ExactResult {
  const n = m.n;
  const table = pairCostTable(m);
  const p = new Partitions(n);
  const { used, stack, out } = p;
  const need = new Int32Array(n + 1);

  const search = (skips: number, cost: number): void => {
    if (cost >= p.best) return;
    const i = p.nextFree(cost);
    if (i < 0) return;
    used[i] = 1;
    // This level's group under construction (nested levels build their own).
    const g: number[] = [i];
    for (let size = 2; size <= n; size += 1) {
      if ((need[size] as number) === 0) continue;
      need[size] = (need[size] as number) - 1;
      // Choose the other size − 1 members among the unused ones after i, skipping refused pairs early.
      const choose = (from: number): void => {
        if (g.length === size) {
          const c = groupCost(m, g, size, table);
          if (c === Number.POSITIVE_INFINITY) return;
          stack.push([...g]);
          search(skips, cost + c);
          stack.pop();
          return;
        }
        for (let j = from; j < n; j += 1) {
          if (used[j] === 1) continue;
          if (g.some((x) => table[x * n + j] === Number.POSITIVE_INFINITY)) continue;
          used[j] = 1;
          g.push(j);
          choose(j + 1);
          g.pop();
          used[j] = 0;
        }
      };
      choose(i + 1);
      need[size] = (need[size] as number) + 1;
    }
    if (skips > 0) {
      out.push(i);
      search(skips - 1, cost + COST.UNMATCHED);
      out.pop();
    }
    used[i] = 0;
  };

  for (let left = 0; left <= n; left += 1) {
    const placed = n - left;
    if (placed === 1) continue;
    need.fill(0);
    for (const size of groupSizesFor(placed, m.groupSize)) need[size] = (need[size] as number) + 1;
    search(left, 0);
    if (p.best < Number.POSITIVE_INFINITY) break;
  }
  return p.result();
}
