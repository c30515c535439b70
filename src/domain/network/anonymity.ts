// k-anonymity for every figure Weave shows about the network: a number built from fewer than
// MIN_PEOPLE distinct people is never shown, so no figure can point at an individual.

/** The smallest number of distinct people a shown figure may be based on. */
export const MIN_PEOPLE = 3;

/**
 * One figure as it may be shown: a count with the number of distinct people behind it, `none` for a
 * structural zero (nobody at all, which identifies no one), or `hidden` when 1–2 people are behind it.
 */
export type Cell =
  | { status: 'shown'; count: number; people: number }
  | { status: 'none' }
  | { status: 'hidden' };

/** The shown form of a count that `people` distinct people contributed to. */
export function cellOf(count: number, people: number, minPeople = MIN_PEOPLE): Cell {
  if (count <= 0 || people <= 0) return { status: 'none' };
  if (people < minPeople) return { status: 'hidden' };
  return { status: 'shown', count, people };
}

/** The count of a cell for ordering and scales: hidden cells rank just above zero. */
export function cellRank(cell: Cell): number {
  if (cell.status === 'none') return 0;
  if (cell.status === 'hidden') return 0.5;
  return cell.count;
}

/** The count of a shown cell, else 0 (for sums that must not include hidden figures). */
export function shownCount(cell: Cell): number {
  return cell.status === 'shown' ? cell.count : 0;
}
