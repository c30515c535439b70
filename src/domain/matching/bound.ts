// Group sizes and the cross-department coverage bound from product.md §2, for any group size s.
//
// Unknown departments (null) are treated as one more department, "unknown": two unknowns never count as
// cross-department, an unknown with a known department does. So the unknowns form one block that counts
// towards the largest-department size L like any other department.
//
// Why the bound holds (and is reached). A person is covered exactly when their group is mixed, so
// coverage = n − (people in single-department groups). Every mixed group needs at least one person from
// outside the largest department, and any department can fill all but one seat of a mixed group. With q
// groups, at most n − L of them can be mixed when L + q > n, so at least p = max(0, L + q − n) groups are
// single-department; making those the smallest groups (of the largest department) loses the fewest
// people, and the rest can always be mixed. For s = 2 this is min(n, 2(n − L) + (n mod 2)).
// tests/unit/domain/matching/bound.test.ts checks it against brute force over small pools.

/** Normalises a requested group size: 2 or 3; anything else means pairs. */
export function normaliseGroupSize(groupSize: number | undefined): number {
  return groupSize === 3 ? 3 : 2;
}

/**
 * Sizes of the groups for k placed people and group size s: floor(k / s) groups of s, the k mod s
 * people left over added one each to different groups (so some have s + 1, never fewer than s). When
 * there are more left over than groups (only 5 people in groups of 3) the extras are spread evenly; a
 * pool smaller than s (but at least 2) is one group of everyone. Ascending.
 */
export function groupSizesFor(k: number, s: number): number[] {
  if (k < 2) return [];
  if (k < s) return [k];
  const q = Math.floor(k / s);
  const r = k % s;
  const base = s + Math.floor(r / q);
  const big = r % q;
  return [...Array<number>(q - big).fill(base), ...Array<number>(big).fill(base + 1)];
}

/**
 * Most people that can be grouped with someone of another department, for a pool of `n` people whose
 * largest department has `largest` members, in groups of `groupSize` (see groupSizesFor): n minus the
 * people in the p = max(0, L + q − n) smallest groups, where q is the number of groups. For pairs that
 * is min(n, 2(n − L) + (n mod 2)); 0 when nobody can be grouped across (n < 2, or everyone in one
 * department).
 */
export function boundFromSizes(n: number, largest: number, groupSize = 2): number {
  if (n < 2 || largest >= n) return 0;
  const s = normaliseGroupSize(groupSize);
  if (n < s) return n;
  const q = Math.floor(n / s);
  const r = n % s;
  // groupSizesFor without the array (this runs in the pair construction's hot loop).
  const base = s + Math.floor(r / q);
  const big = r % q;
  const pure = Math.max(0, largest + q - n);
  return n - (pure * base + Math.max(0, pure - (q - big)));
}

/** The coverage bound of a pool given each member's department (null = unknown, one shared block). */
export function crossDepartmentBound(departments: (string | null)[], groupSize = 2): number {
  const sizes = new Map<string | null, number>();
  let largest = 0;
  for (const d of departments) {
    const size = (sizes.get(d) ?? 0) + 1;
    sizes.set(d, size);
    if (size > largest) largest = size;
  }
  return boundFromSizes(departments.length, largest, groupSize);
}
