// Small pools in groups of three are checked against brute force: every partition into groups of the
// expected sizes for however many are placed (plus members left out), ranked by the rule order of
// product.md §2. The engine must reach the best ranks.
import { describe, expect, it } from 'vitest';
import { createRng, planRound } from '../../../../src/domain/matching/index.ts';
import {
  AT,
  compareRanks,
  expectedSizes,
  type Instance,
  randomInstance,
  ranks,
  refuses,
  roster,
  SHAPES,
} from './helpers.ts';

const S = 3;

/** Best ranks over all groupings with the expected sizes that respect "don't pair" lists. */
function bruteForce(inst: Instance): number[] {
  let best: number[] | null = null;
  const groups: string[][] = [];
  const walk = (rest: string[], out: number) => {
    if (rest.length === 0) {
      const sizes = groups.map((g) => g.length).sort((a, b) => a - b);
      if (sizes.join(',') !== expectedSizes(inst.members.length - out, S).join(',')) return;
      const r = ranks(inst, groups, out, S);
      if (best === null || compareRanks(r, best) < 0) best = r;
      return;
    }
    const [first, ...others] = rest as [string, ...string[]];
    // Every group containing `first`: choose 1–4 others (groups of 2–5), refusals pruned early.
    const grow = (group: string[], from: number) => {
      if (group.length >= 2) {
        groups.push([...group]);
        walk(
          others.filter((x) => !group.includes(x)),
          out,
        );
        groups.pop();
      }
      if (group.length === 5) return;
      for (let i = from; i < others.length; i += 1) {
        const c = others[i] as string;
        if (group.some((x) => refuses(inst, x, c))) continue;
        grow([...group, c], i + 1);
      }
    };
    grow([first], 0);
    walk(others, out + 1);
  };
  walk(
    inst.members.map((m) => m.id),
    0,
  );
  return best ?? [];
}

describe('groups of three: small pools match brute force on the rule order', () => {
  const cases = [2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => SHAPES.map((shape) => [n, shape] as const));
  it.each(cases)(
    'n=%i %s: no grouping ranks better on unmatched, enlarged groups, coverage, repeats, new members',
    (n, shape) => {
      for (let seed = 1; seed <= 4; seed += 1) {
        const inst = randomInstance(n, seed * 101 + n, shape, S);
        const plan = planRound({
          members: inst.members,
          history: inst.history,
          round: inst.round,
          windowRounds: inst.window,
          seed,
          at: AT,
          groupSize: S,
        });
        for (const g of plan.groups) {
          for (const a of g.members)
            for (const b of g.members) expect(a !== b && refuses(inst, a, b)).toBe(false);
        }
        const placed = n - plan.unmatched.length;
        expect(plan.groups.map((g) => g.members.length).sort((a, b) => a - b)).toEqual(
          expectedSizes(placed, S),
        );
        expect(
          ranks(
            inst,
            plan.groups.map((g) => g.members),
            plan.unmatched.length,
            S,
          ),
        ).toEqual(bruteForce(inst));
      }
    },
  );

  it('matches brute force with dense refusals too (n=6, 7)', () => {
    for (const n of [6, 7]) {
      for (let seed = 1; seed <= 10; seed += 1) {
        const rng = createRng(seed * 17 + n);
        const inst: Instance = {
          members: roster(n, 'balanced', seed + n).map((m) => ({
            ...m,
            doNotPair: Array.from({ length: Math.floor(rng() * 4) }, () => `U${Math.floor(rng() * n)}`),
          })),
          history: [],
          round: 1,
          window: 12,
        };
        const plan = planRound({
          members: inst.members,
          history: [],
          round: 1,
          windowRounds: 12,
          seed,
          at: AT,
          groupSize: S,
        });
        expect(plan.unmatched.length).toBe(bruteForce(inst)[0]);
      }
    }
  });
});
