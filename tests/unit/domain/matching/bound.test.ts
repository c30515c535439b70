import { describe, expect, it } from 'vitest';
import { boundFromSizes, crossDepartmentBound } from '../../../../src/domain/matching/index.ts';

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
