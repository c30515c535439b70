// Small pools are checked against brute force: every partition into pairs (plus at most one trio, plus
// members left out), ranked by the rule order of product.md §2. The engine must reach the best ranks.
import { describe, expect, it } from 'vitest';
import {
  createRng,
  type MatchMember,
  type PastGroup,
  planRound,
} from '../../../../src/domain/matching/index.ts';
import { AT, roster, SHAPES } from './helpers.ts';

interface Instance {
  members: MatchMember[];
  history: PastGroup[];
  round: number;
  window: number;
}

/** Rule-ordered penalties of a grouping: lower is better, compared left to right. */
function ranks(inst: Instance, groups: readonly string[][], unmatched: number): number[] {
  const byId = new Map(inst.members.map((m) => [m.id, m]));
  const last = new Map<string, number>();
  for (const g of inst.history) {
    for (const a of g.members)
      for (const b of g.members)
        if (a < b) last.set(`${a}|${b}`, Math.max(last.get(`${a}|${b}`) ?? 0, g.round));
  }
  let trioWithoutFreshPerson = 0;
  let uncovered = 0;
  let consecutive = 0;
  let withinWindow = 0;
  let flaggedInTrio = 0;
  let newUncovered = 0;
  for (const g of groups) {
    const ms = g.map((id) => byId.get(id) as MatchMember);
    if (g.length === 3) {
      const flagged = ms.filter((m) => m.wasInTrioLastRound).length;
      flaggedInTrio += flagged;
      if (flagged === 3) trioWithoutFreshPerson += 1;
    }
    for (const m of ms) {
      if (!ms.some((o) => o.department !== m.department)) {
        uncovered += 1;
        if (m.isNew) newUncovered += 1;
      }
    }
    for (const a of g) {
      for (const b of g) {
        if (a >= b) continue;
        const met = last.get(`${a}|${b}`);
        if (met === undefined) continue;
        if (inst.round - met <= 1) consecutive += 1;
        else if (inst.round - met <= inst.window) withinWindow += 1;
      }
    }
  }
  return [
    unmatched,
    trioWithoutFreshPerson,
    uncovered,
    consecutive,
    withinWindow,
    flaggedInTrio,
    newUncovered,
  ];
}

function refuses(inst: Instance, a: string, b: string): boolean {
  const byId = new Map(inst.members.map((m) => [m.id, m]));
  return Boolean(byId.get(a)?.doNotPair?.includes(b) || byId.get(b)?.doNotPair?.includes(a));
}

/** Best ranks over all groupings that respect "don't pair" lists. */
function bruteForce(inst: Instance): number[] {
  const ids = inst.members.map((m) => m.id);
  let best: number[] | null = null;
  const groups: string[][] = [];
  const walk = (rest: string[], out: number, trioUsed: boolean) => {
    if (rest.length === 0) {
      const r = ranks(inst, groups, out);
      if (best === null || compare(r, best) < 0) best = r;
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

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** A random small instance with history, trio flags, new members and a few refusals. */
function instance(n: number, seed: number, shape: (typeof SHAPES)[number]): Instance {
  const rng = createRng(seed);
  const members = roster(n, shape, seed).map((m) => ({
    ...m,
    isNew: rng() < 0.2,
    wasInTrioLastRound: rng() < 0.3,
    doNotPair: rng() < 0.15 ? [`U${Math.floor(rng() * n)}`] : [],
  }));
  const history: PastGroup[] = [];
  for (let round = 1; round <= 4; round += 1) {
    const ids = members.map((m) => m.id).filter(() => rng() < 0.8);
    for (let i = 0; i + 1 < ids.length; i += 2)
      if (rng() < 0.7) history.push({ round, members: [ids[i] as string, ids[i + 1] as string] });
  }
  return { members, history, round: 5, window: 3 };
}

describe('small pools match brute force on the rule order', () => {
  const cases = [2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => SHAPES.map((shape) => [n, shape] as const));
  it.each(cases)(
    'n=%i %s: no grouping ranks better on unmatched, trio, coverage, repeats, new members',
    (n, shape) => {
      for (let seed = 1; seed <= 6; seed += 1) {
        const inst = instance(n, seed * 101 + n, shape);
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
          ),
        ).toEqual(bruteForce(inst));
      }
    },
  );
});
