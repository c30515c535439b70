import { describe, expect, it } from 'vitest';
import { boundFromSizes, crossDepartmentBound } from '../../../../src/domain/matching/index.ts';
import { bruteForceBound, expectedSizes } from './helpers.ts';

const depts = (spec: Record<string, number>, unknown = 0): (string | null)[] => [
  ...Object.entries(spec).flatMap(([name, size]) => Array<string>(size).fill(name)),
  ...Array<null>(unknown).fill(null),
];

describe('crossDepartmentBound = min(n, 2(n − L) + (n mod 2))', () => {
  it.each([
    ['nobody', {}, 0, 0],
    ['one person', { A: 1 }, 0, 0],
    ['two from different departments', { A: 1, B: 1 }, 0, 2],
    ['two from one department', { A: 2 }, 0, 0],
    ['three from one department (no trio bonus without anyone else)', { A: 3 }, 0, 0],
    ['a trio A, A, B covers all three', { A: 2, B: 1 }, 0, 3],
    ['balanced even pool', { A: 5, B: 5 }, 0, 10],
    ['largest department exactly half', { A: 5, B: 3, C: 2 }, 0, 10],
    ['odd pool, largest just over half', { A: 6, B: 5 }, 0, 11],
    ['dominant department, even n', { A: 8, B: 2 }, 0, 4],
    ['dominant department, odd n (trio A, A, B)', { A: 8, B: 3 }, 0, 7],
    ['skewed 1k (64 %)', { A: 640, B: 360 }, 0, 720],
  ])('%s', (_name, spec, unknown, bound) => {
    expect(crossDepartmentBound(depts(spec, unknown))).toBe(bound);
  });

  it('treats unknown departments as one block: two unknowns never count as crossed', () => {
    expect(crossDepartmentBound(depts({}, 4))).toBe(0);
    expect(crossDepartmentBound(depts({ A: 1 }, 3))).toBe(2);
    expect(crossDepartmentBound(depts({ A: 2 }, 2))).toBe(4);
    expect(crossDepartmentBound(depts({ A: 1, B: 1 }, 5))).toBe(5);
  });

  it('agrees with boundFromSizes', () => {
    for (let n = 0; n <= 30; n += 1) {
      for (let largest = n === 0 ? 0 : 1; largest <= n; largest += 1) {
        const expected = n < 2 || largest === n ? 0 : Math.min(n, 2 * (n - largest) + (n % 2));
        expect(boundFromSizes(n, largest)).toBe(expected);
      }
    }
  });
});

/** Every multiset of department sizes summing to n (integer partitions, largest first). */
function partitions(n: number, max = n): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (let first = Math.min(n, max); first >= 1; first -= 1)
    for (const rest of partitions(n - first, first)) out.push([first, ...rest]);
  return out;
}

describe('crossDepartmentBound for groups of three: n minus the p = max(0, L + q − n) smallest groups', () => {
  it.each([
    ['two people', { A: 1, B: 1 }, 2],
    ['two from one department', { A: 2 }, 0],
    ['three across departments', { A: 2, B: 1 }, 3],
    ['four (one group of four)', { A: 3, B: 1 }, 4],
    ['five (one group of five)', { A: 4, B: 1 }, 5],
    ['everyone in one department', { A: 9 }, 0],
    ['balanced nine', { A: 3, B: 3, C: 3 }, 9],
    ['largest at n − q: still everyone', { A: 6, B: 3 }, 9],
    ['largest over n − q: one group of A only', { A: 7, B: 2 }, 6],
    ['over half, the group of four mixed', { A: 12, B: 1 }, 4],
    ['over half, two groups of four, one mixed', { A: 13, B: 1 }, 4],
    ['dominant, extras all in mixed groups', { A: 20, B: 3 }, 11],
    ['skewed 1k (64 %)', { A: 640, B: 360 }, 1000],
    ['heavily skewed 1k (80 %): 200 mixed groups, one of four', { A: 800, B: 200 }, 601],
  ])('%s', (_name, spec, bound) => {
    expect(crossDepartmentBound(depts(spec), 3)).toBe(bound);
  });

  it('treats unknown departments as one block', () => {
    expect(crossDepartmentBound(depts({}, 6), 3)).toBe(0);
    expect(crossDepartmentBound(depts({ A: 1 }, 5), 3)).toBe(3);
    expect(crossDepartmentBound(depts({ A: 3 }, 3), 3)).toBe(6);
  });

  it('reads any group size other than 3 as pairs', () => {
    for (const size of [2, 1, 4, 0, Number.NaN]) {
      expect(crossDepartmentBound(depts({ A: 8, B: 3 }), size)).toBe(7);
      expect(boundFromSizes(11, 8, size)).toBe(7);
    }
  });

  // The formula against the best coverage over every way to fill the groups, for every department mix.
  it.each([2, 3])('equals brute force over every department mix of 0–13 people (groups of %i)', (s) => {
    for (let n = 0; n <= 13; n += 1) {
      for (const counts of partitions(n)) {
        const names = counts.flatMap((c, d) => Array<string>(c).fill(`D${d}`));
        expect(crossDepartmentBound(names, s), `n=${n} [${counts}]`).toBe(bruteForceBound(counts, s));
        expect(boundFromSizes(n, counts[0] ?? 0, s)).toBe(bruteForceBound(counts, s));
      }
    }
  });

  it('uses the group sizes of the brief: groups of s, leftovers in different groups', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => expectedSizes(n, 3))).toEqual([
      [2],
      [3],
      [4],
      [5],
      [3, 3],
      [3, 4],
      [4, 4],
      [3, 3, 3],
      [3, 3, 4],
      [3, 4, 4],
    ]);
  });
});
