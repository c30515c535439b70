// What may be shown of a connection matrix: the heatmap of the largest departments and the least-connected
// pairs, both k-anonymous (departments and cells built from fewer than MIN_PEOPLE people are hidden).
import { type Cell, cellOf, cellRank, MIN_PEOPLE } from './anonymity.ts';
import { type ConnectionMatrix, type GiveLink, type NetworkPerson, pairKey } from './connections.ts';

export interface ShownDepartment {
  name: string;
  people: number;
}

export interface Heatmap {
  /** Departments shown, largest first (at most `limit`). */
  departments: ShownDepartment[];
  /** `grid[i][j]`: connections between departments i and j (symmetric). */
  grid: Cell[][];
  /** Departments with at least MIN_PEOPLE people (shown or left out for space). */
  departmentsVisible: number;
  /** Departments with fewer than MIN_PEOPLE people: never named, never shown. */
  departmentsHidden: number;
  /** Largest shown count of the grid (for colour scales); 0 when nothing is shown. */
  maxCount: number;
}

/** Departments large enough to be shown, largest first, then by name. */
export function visibleDepartments(matrix: ConnectionMatrix, minPeople = MIN_PEOPLE): ShownDepartment[] {
  return [...matrix.departments]
    .filter(([, people]) => people >= minPeople)
    .map(([name, people]) => ({ name, people }))
    .sort((x, y) => y.people - x.people || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** The cell of a department pair as it may be shown. */
export function pairCell(matrix: ConnectionMatrix, a: string, b: string, minPeople = MIN_PEOPLE): Cell {
  const cell = matrix.cells.get(pairKey(a, b));
  return cell ? cellOf(cell.count, cell.people.size, minPeople) : { status: 'none' };
}

/** The k-anonymous heatmap of the `limit` largest departments. */
export function buildHeatmap(matrix: ConnectionMatrix, opts: { limit: number; minPeople?: number }): Heatmap {
  const minPeople = opts.minPeople ?? MIN_PEOPLE;
  const visible = visibleDepartments(matrix, minPeople);
  const departments = visible.slice(0, Math.max(0, opts.limit));
  let maxCount = 0;
  const grid = departments.map((row) =>
    departments.map((col) => {
      const cell = pairCell(matrix, row.name, col.name, minPeople);
      if (cell.status === 'shown' && cell.count > maxCount) maxCount = cell.count;
      return cell;
    }),
  );
  return {
    departments,
    grid,
    departmentsVisible: visible.length,
    departmentsHidden: matrix.departments.size - visible.length,
    maxCount,
  };
}

export interface DepartmentPair {
  a: string;
  b: string;
  cell: Cell;
}

/**
 * The `count` least-connected pairs of different departments among those large enough to be shown:
 * never connected first, then the hidden few, then by count; ties go to the pair with more people (where a
 * new connection reaches most), then by name.
 */
export function leastConnectedPairs(
  matrix: ConnectionMatrix,
  opts: { count: number; minPeople?: number },
): DepartmentPair[] {
  if (opts.count <= 0) return [];
  const minPeople = opts.minPeople ?? MIN_PEOPLE;
  const visible = visibleDepartments(matrix, minPeople);
  const n = visible.length;
  const index = new Map(visible.map((d, i) => [d.name, i]));
  // Cells by index pair: the scan below then costs a number lookup per pair, whatever the names' length.
  const cells = new Map<number, Cell>();
  for (const c of matrix.cells.values()) {
    const i = index.get(c.a);
    const j = index.get(c.b);
    if (i === undefined || j === undefined || i === j) continue;
    cells.set(i < j ? i * n + j : j * n + i, cellOf(c.count, c.people.size, minPeople));
  }
  const none: Cell = { status: 'none' };
  type Ranked = { i: number; j: number; cell: Cell; rank: number; size: number };
  const nameOrder = (x: Ranked) => {
    const p = visible[x.i]!.name;
    const q = visible[x.j]!.name;
    return p <= q ? [p, q] : [q, p];
  };
  const better = (x: Ranked, y: Ranked) => {
    if (x.rank !== y.rank) return x.rank < y.rank;
    if (x.size !== y.size) return x.size > y.size;
    const [xa, xb] = nameOrder(x);
    const [ya, yb] = nameOrder(y);
    return xa! !== ya! ? xa! < ya! : xb! < yb!;
  };
  // Keep the best `count` while scanning every pair (O(n²) comparisons, no sort of n² pairs).
  const best: Ranked[] = [];
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const cell = cells.get(i * n + j) ?? none;
      const candidate: Ranked = {
        i,
        j,
        cell,
        rank: cellRank(cell),
        size: visible[i]!.people + visible[j]!.people,
      };
      if (best.length === opts.count && !better(candidate, best[best.length - 1]!)) continue;
      let at = best.length;
      while (at > 0 && better(candidate, best[at - 1]!)) at -= 1;
      best.splice(at, 0, candidate);
      if (best.length > opts.count) best.pop();
    }
  }
  return best.map((x) => {
    const [a, b] = nameOrder(x);
    return { a: a!, b: b!, cell: x.cell };
  });
}

/**
 * The matrix every shown figure is built from: connections and cells touching a department of fewer than
 * `minPeople` active people are dropped. Without this, a total (a week of the trend, a kind of gives)
 * minus the cells the heatmap shows would give away the figures of the hidden department, down to one
 * person. Department sizes stay (the "N smaller departments left out" note needs them).
 */
export function anonymousMatrix(matrix: ConnectionMatrix, minPeople = MIN_PEOPLE): ConnectionMatrix {
  const shown = (d: string) => (matrix.departments.get(d) ?? 0) >= minPeople;
  return {
    window: matrix.window,
    departments: matrix.departments,
    cells: new Map([...matrix.cells].filter(([, c]) => shown(c.a) && shown(c.b))),
    connections: matrix.connections.filter((c) => shown(c.a) && shown(c.b)),
  };
}

/** Gives whose giver and receiver are not in a hidden department (unknown departments hide nobody). */
export function anonymousGives(
  gives: GiveLink[],
  people: NetworkPerson[],
  departments: ReadonlyMap<string, number>,
  minPeople = MIN_PEOPLE,
): GiveLink[] {
  const departmentOf = new Map(people.map((p) => [p.id, p.department]));
  const hidden = (id: string | null) => {
    const d = id === null ? null : departmentOf.get(id);
    return d ? (departments.get(d) ?? 0) < minPeople : false;
  };
  return gives.filter((g) => !hidden(g.giverId) && !hidden(g.receiverId));
}
