// The cross-department coverage bound from product.md §2.
//
// Unknown departments (null) are treated as one more department, "unknown": two unknowns never count as
// cross-department, an unknown with a known department does. So the unknowns form one block that counts
// towards the largest-department size L like any other department.

/**
 * Most people that can be grouped with someone of another department, for a pool of `n` people whose
 * largest department has `largest` members: min(n, 2(n − L) + (n mod 2)), and 0 when nobody can be
 * grouped across (n < 2, or everyone in one department, where the odd-trio bonus cannot apply).
 */
export function boundFromSizes(n: number, largest: number): number {
  if (n < 2 || largest >= n) return 0;
  return Math.min(n, 2 * (n - largest) + (n % 2));
}

/** The coverage bound of a pool given each member's department (null = unknown, one shared block). */
export function crossDepartmentBound(departments: (string | null)[]): number {
  const sizes = new Map<string | null, number>();
  let largest = 0;
  for (const d of departments) {
    const size = (sizes.get(d) ?? 0) + 1;
    sizes.set(d, size);
    if (size > largest) largest = size;
  }
  return boundFromSizes(departments.length, largest);
}
