// Places the members the greedy pass could not (a "don't pair me with" list blocked every sampled
// partner, or an odd member was left at the end). Hard rules stay intact: whoever still cannot be
// placed is reported as unmatched instead of being put next to someone they refused.
import { type Model, membersCost } from './model.ts';
import type { Solution } from './solution.ts';

const DISPLACEMENT_TRIES = 32;
const GROUP_SCAN_LIMIT = 4096;

/** Tries to place every leftover; returns the members that stay unmatched. */
export function repairLeftovers(m: Model, sol: Solution, leftovers: readonly number[]): number[] {
  const pending = [...leftovers];
  const unmatched: number[] = [];
  while (pending.length > 0) {
    const u = pending.shift() as number;
    if (placeWithoutDisplacing(m, sol, u, pending, Number.POSITIVE_INFINITY)) continue;
    if (placeByDisplacing(m, sol, u, pending)) continue;
    unmatched.push(u);
  }
  return unmatched;
}

/** Pairs u with another leftover, makes a trio of a pair, or splits the trio; true when placed. */
function placeWithoutDisplacing(
  m: Model,
  sol: Solution,
  u: number,
  pending: number[],
  limit: number,
): boolean {
  let bestW = -1;
  let bestCost = Number.POSITIVE_INFINITY;
  pending.forEach((w, p) => {
    const c = membersCost(m, u, w);
    if (c < bestCost) {
      bestCost = c;
      bestW = p;
    }
  });
  if (bestW >= 0) {
    const [w] = pending.splice(bestW, 1);
    sol.add([u, w as number]);
    return true;
  }
  const trio = sol.trioIndex();
  if (trio < 0) {
    // Join the pair where the trio costs least on top of the pair.
    let best = -1;
    let bestDelta = Number.POSITIVE_INFINITY;
    const scan = Math.min(sol.count, limit);
    for (let k = 0; k < scan; k += 1) {
      if (sol.size[k] !== 2) continue;
      const delta = membersCost(m, sol.at(k, 0), sol.at(k, 1), u) - (sol.cost[k] as number);
      if (delta < bestDelta) {
        bestDelta = delta;
        best = k;
      }
    }
    if (best < 0) return false;
    sol.setTrio(best, sol.at(best, 0), sol.at(best, 1), u);
    return true;
  }
  // Split the trio: one of its members pairs with u, the other two stay together.
  const t = sol.members(trio);
  let bestMate = -1;
  let bestSplit = Number.POSITIVE_INFINITY;
  for (let x = 0; x < 3; x += 1) {
    const rest = t.filter((_, y) => y !== x);
    const c = membersCost(m, u, t[x] as number) + membersCost(m, rest[0] as number, rest[1] as number);
    if (c < bestSplit) {
      bestSplit = c;
      bestMate = x;
    }
  }
  if (bestMate < 0) return false;
  const rest = t.filter((_, y) => y !== bestMate);
  sol.setPair(trio, rest[0] as number, rest[1] as number);
  sol.add([u, t[bestMate] as number]);
  return true;
}

/** Takes the place of someone in a pair whose freed partner can be placed elsewhere; true when placed. */
function placeByDisplacing(m: Model, sol: Solution, u: number, pending: number[]): boolean {
  let tries = 0;
  for (let k = 0; k < sol.count && tries < DISPLACEMENT_TRIES; k += 1) {
    if (sol.size[k] !== 2) continue;
    for (let x = 0; x < 2; x += 1) {
      const stay = sol.at(k, x);
      const freed = sol.at(k, 1 - x);
      const c = membersCost(m, u, stay);
      if (c === Number.POSITIVE_INFINITY) continue;
      tries += 1;
      sol.setPair(k, u, stay, c);
      sol.groupOf[freed] = -1;
      if (placeWithoutDisplacing(m, sol, freed, pending, GROUP_SCAN_LIMIT)) return true;
      // Undo: the freed member could not be placed either.
      sol.setPair(k, stay, freed);
    }
  }
  return false;
}
