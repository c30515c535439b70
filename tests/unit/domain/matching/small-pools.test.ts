// Small pools are checked against brute force: every partition into pairs (plus at most one trio, plus
// members left out), ranked by the rule order of product.md §2. The engine must reach the best ranks.
import { describe, expect, it } from 'vitest';
import { planRound } from '../../../../src/domain/matching/index.ts';
import { AT, compareRanks, type Instance, randomInstance, ranks, refuses, SHAPES } from './helpers.ts';

/** Best ranks over all groupings that respect "don't pair" lists. */
function bruteForce(inst: Instance): number[] {
  const ids = inst.members.map((m) => m.id);
  let best: number[] | null = null;
  const groups: string[][] = [];
  const walk = (rest: string[], out: number, trioUsed: boolean) => {
    if (rest.length === 0) {
      const r = ranks(inst, groups, out, 2);
      if (best === null || compareRanks(r, best) < 0) best = r;
      return;
    }
    const [first, ...others] = rest as [string, ...string[]];
    for (let i = 0; i < others.length; i += 1) {
      const b = others[i] as string;
      if (refuses(inst, first, b)) continue;
      const left = others.filter((_, k) => k !== i);
      groups.push([first, b]);
      walk(left, out, trioUsed);
      groups.pop();
      if (trioUsed) continue;
      for (let j = i + 1; j < others.length; j += 1) {
        const c = others[j] as string;
        if (refuses(inst, first, c) || refuses(inst, b, c)) continue;
        groups.push([first, b, c]);
        walk(
          others.filter((_, k) => k !== i && k !== j),
          out,
          true,
        );
        groups.pop();
      }
    }
    walk(others, out + 1, trioUsed);
  };
  walk(ids, 0, false);
  return best ?? [];
}

describe('small pools match brute force on the rule order', () => {
  const cases = [2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => SHAPES.map((shape) => [n, shape] as const));
  it.each(cases)(
    'n=%i %s: no grouping ranks better on unmatched, trio, coverage, repeats, new members',
    (n, shape) => {
      for (let seed = 1; seed <= 6; seed += 1) {
        const inst = randomInstance(n, seed * 101 + n, shape, 2);
        const plan = planRound({
          members: inst.members,
          history: inst.history,
          round: inst.round,
          windowRounds: inst.window,
          seed,
          at: AT,
        });
        for (const g of plan.groups) {
          for (const a of g.members)
            for (const b of g.members) expect(a !== b && refuses(inst, a, b)).toBe(false);
        }
        expect(
          ranks(
            inst,
            plan.groups.map((g) => g.members),
            plan.unmatched.length,
            2,
          ),
        ).toEqual(bruteForce(inst));
      }
    },
  );
});
