// The connection matrix: how often people of two departments connected in a time window, counting
// intros that met and gives. Raw figures: only the matcher reads them directly; everything shown goes
// through the anonymising views (heatmap.ts, trend.ts…).

/** Someone Weave knows. `active` people count towards their department's size; others only label edges. */
export interface NetworkPerson {
  id: string;
  /** null = unknown: such people never form department connections. */
  department: string | null;
  active: boolean;
}

/** A group (round, /intro, reconnect…) whose members said they met, at the time they met. */
export interface Meeting {
  members: string[];
  at: Date;
}

/** A give between two people; `receiverId` is null once the receiver asked to be forgotten. */
export interface GiveLink {
  giverId: string;
  receiverId: string | null;
  kind: string;
  at: Date;
}

/** A half-open time window [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/** One connection between two people of known departments (a ≤ b by department name). */
export interface Connection {
  a: string;
  b: string;
  people: readonly [string, string];
  at: Date;
  via: 'meeting' | 'give';
}

export interface MatrixCell {
  a: string;
  b: string;
  count: number;
  /** Distinct people behind the count. */
  people: Set<string>;
}

/** Raw connection figures of one window: never shown as they are. */
export interface ConnectionMatrix {
  window: TimeWindow;
  /** Active people per known department. */
  departments: Map<string, number>;
  /** Keyed by `pairKey(a, b)`; only pairs with at least one connection. */
  cells: Map<string, MatrixCell>;
  connections: Connection[];
}

export interface NetworkInput {
  people: NetworkPerson[];
  meetings: Meeting[];
  gives: GiveLink[];
  window: TimeWindow;
}

/** The key of a department pair as the matcher expects it: the two names sorted, joined by '|'. */
export function pairKey(a: string, b: string): string {
  return a <= b ? `${a}|${b}` : `${b}|${a}`;
}

const inWindow = (at: Date, w: TimeWindow) =>
  at.getTime() >= w.from.getTime() && at.getTime() < w.to.getTime();

/** Every connection of the window between people whose departments are known. */
export function collectConnections(input: NetworkInput): Connection[] {
  const departmentOf = new Map<string, string | null>();
  for (const p of input.people) departmentOf.set(p.id, p.department);
  const out: Connection[] = [];
  const add = (x: string, y: string, at: Date, via: Connection['via']) => {
    if (x === y) return;
    const dx = departmentOf.get(x);
    const dy = departmentOf.get(y);
    if (!dx || !dy) return;
    out.push(
      dx <= dy ? { a: dx, b: dy, people: [x, y], at, via } : { a: dy, b: dx, people: [y, x], at, via },
    );
  };
  for (const m of input.meetings) {
    if (!inWindow(m.at, input.window)) continue;
    const members = [...new Set(m.members)];
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) add(members[i]!, members[j]!, m.at, 'meeting');
    }
  }
  for (const g of input.gives) {
    if (g.receiverId && inWindow(g.at, input.window)) add(g.giverId, g.receiverId, g.at, 'give');
  }
  return out;
}

/** Active people per known department. */
export function peoplePerDepartment(people: NetworkPerson[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of people) {
    if (p.active && p.department) out.set(p.department, (out.get(p.department) ?? 0) + 1);
  }
  return out;
}

/** The department × department connection matrix of a window (the diagonal holds same-department ties). */
export function buildConnectionMatrix(input: NetworkInput): ConnectionMatrix {
  const connections = collectConnections(input);
  const cells = new Map<string, MatrixCell>();
  for (const c of connections) {
    const key = pairKey(c.a, c.b);
    let cell = cells.get(key);
    if (!cell) {
      cell = { a: c.a, b: c.b, count: 0, people: new Set() };
      cells.set(key, cell);
    }
    cell.count += 1;
    cell.people.add(c.people[0]);
    cell.people.add(c.people[1]);
  }
  return { window: input.window, departments: peoplePerDepartment(input.people), cells, connections };
}

/**
 * How often each pair of different departments connected, keyed by `pairKey`: the matcher's "rarely
 * connected" preference (lower = preferred; pairs absent from the map never connected). Internal only.
 */
export function departmentPairWeights(matrix: ConnectionMatrix): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, cell] of matrix.cells) if (cell.a !== cell.b) out.set(key, cell.count);
  return out;
}
