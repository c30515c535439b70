// The compiled matching problem: members as dense indices with typed arrays, history as adjacency
// lists, and the cost of a group. Every other engine file works on this model only.
import { normaliseGroupSize } from './bound.ts';
import { hash3 } from './rng.ts';
import { offsetMinutesOrUtc, sharedWorkingMinutes, WORK_MINUTES } from './timezones.ts';
import type { MatchMember, PastGroup, PlanInput } from './types.ts';

/**
 * Cost tiers, compared lexicographically through magnitudes: a move that worsens a higher tier can
 * never be paid for by gains in lower ones. That holds for anything touching a few groups (a local
 * move changes at most five people, four pairs and two groups' soft costs of < 30 each); whole plans
 * are compared tier by tier instead (see `rankOf` in plan-round.ts). Order follows product.md §2.
 */
export const COST = {
  /** Exact search only: a member left out of every group. */
  UNMATCHED: 1e15,
  /**
   * The trio (any enlarged group) has nobody who can be "the added person" without repeating last
   * round's enlarged-group duty.
   */
  TRIO_ALL_FLAGGED: 1e12,
  /** Per person without anyone from another department in their group (rule 2). */
  UNCOVERED: 1e10,
  /** Per pair that met in the previous round (rule 3, "never consecutive"). */
  CONSECUTIVE: 1e8,
  /** Per pair that met within the repeat window (rule 3). */
  WINDOW: 1e6,
  /** Per trio (enlarged group) member who was in one last round too (rule 1, "not twice in a row"). */
  TRIO_FLAGGED: 1e4,
  /** Per new member left without another department in their group. */
  NEW_UNCOVERED: 1e3,
  /** Soft: per missing shared working hour (0–8 hours). */
  TZ_PER_HOUR: 1,
  /** Soft: pairs met before, fading with age (halves every window). */
  FADE: 4,
  /** Soft: department pairs that already connected often (normalised weight 0–1). */
  DEPT_WEIGHT: 2,
  /** Soft: same-department pair where coverage does not decide (keeps the spirit of rule 2). */
  SAME_DEPT: 0.5,
  /** Soft: seeded tie-breaker so different seeds give different plans among equals. */
  JITTER: 0.1,
} as const;

/** Costs at or above this mean a tier is hit; below it, a group is only paying soft costs. */
export const TIER_FLOOR = COST.NEW_UNCOVERED;

export interface Model {
  n: number;
  ids: string[];
  dept: Int32Array;
  deptCount: number;
  /** Department name per index; null for the unknown block. */
  deptNames: (string | null)[];
  off: Int32Array;
  offsets: number[];
  /** Shared working minutes per pair of offset indices (row-major, offsets.length²). */
  overlap: Float64Array;
  /** Shared working minutes per sorted triple of offset indices, filled on demand (-1 = not yet). */
  trioOverlap: Float64Array | Map<number, number>;
  flagged: Uint8Array;
  isNew: Uint8Array;
  /** 1 when the member lists any interest (explaining a group reads the lists only then). */
  hasInterests: Uint8Array;
  hasForbidden: Uint8Array;
  forbidden: Set<number>;
  /**
   * Earlier meetings as adjacency lists (CSR): member i's partners with a higher index are
   * histPartner[histStart[i] .. histStart[i + 1]), with the round in histRound (each meeting is listed
   * once, under the lower index). Typed arrays instead of a Map of pair keys keep a 100k-member history
   * to a few MB and out of the garbage collector's way.
   */
  histStart: Int32Array;
  histPartner: Int32Array;
  histRound: Int32Array;
  /** Normalised department-pair weights keyed by lo * deptCount + hi, or null when not given. */
  deptWeight: Map<number, number> | null;
  round: number;
  window: number;
  seed: number;
  /** People per group (2 or 3); groups of groupSize + 1 are "enlarged" (the trio when pairing). */
  groupSize: number;
  /**
   * Where the cost functions write their result rather than returning it: V8 boxes a double returned
   * from a call it did not inline, and the local search evaluates millions of groups per round (that
   * garbage alone was a third of a 10k round's allocations). The small wrappers reading it get inlined.
   * Per model, so the engine keeps no module-level state.
   */
  costSlot: Float64Array;
  /** Scratch for the members of a group passed by index (`membersCost`). */
  memberScratch: Int32Array;
  /** Scratch for the offsets of a group of four or more. */
  offsetScratch: number[];
}

/** Key of an unordered pair of member indices. */
function pairKey(m: Model, a: number, b: number): number {
  return a < b ? a * m.n + b : b * m.n + a;
}

/** Compiles the input into a model; throws on duplicate member ids (a caller bug, never user input). */
export function buildModel(input: PlanInput): Model {
  const n = input.members.length;
  const index = new Map<string, number>();
  const ids: string[] = new Array(n);
  const deptIndex = new Map<string | null, number>();
  const deptNames: (string | null)[] = [];
  const dept = new Int32Array(n);
  const off = new Int32Array(n);
  const flagged = new Uint8Array(n);
  const isNew = new Uint8Array(n);
  const hasInterests = new Uint8Array(n);
  // Members with a "don't pair me with" list: their ids resolve once the index is complete.
  const refusing: number[] = [];
  const offsetByTz = new Map<string, number>();
  const offsetIndex = new Map<number, number>();
  const offsets: number[] = [];

  // Plain index loops: this runs once per round over every member, mostly before the optimiser kicks
  // in, and forEach closures and for-of iterators would allocate on every step there.
  const members = input.members;
  for (let i = 0; i < n; i += 1) {
    const member = members[i] as MatchMember;
    // One hash operation per member (a 100k pool): a repeated id leaves the map's size unchanged.
    const known = index.size;
    index.set(member.id, i);
    if (index.size === known) throw new Error(`duplicate member id in matching pool: ${member.id}`);
    ids[i] = member.id;
    const name = member.department ?? null;
    let d = deptIndex.get(name);
    if (d === undefined) {
      d = deptNames.length;
      deptIndex.set(name, d);
      deptNames.push(name);
    }
    dept[i] = d;
    let minutes = offsetByTz.get(member.tz);
    if (minutes === undefined) {
      minutes = offsetMinutesOrUtc(member.tz, input.at);
      offsetByTz.set(member.tz, minutes);
    }
    let o = offsetIndex.get(minutes);
    if (o === undefined) {
      o = offsets.length;
      offsetIndex.set(minutes, o);
      offsets.push(minutes);
    }
    off[i] = o;
    flagged[i] = member.wasInTrioLastRound ? 1 : 0;
    isNew[i] = member.isNew ? 1 : 0;
    hasInterests[i] = (member.interests?.length ?? 0) > 0 ? 1 : 0;
    if ((member.doNotPair?.length ?? 0) > 0) refusing.push(i);
  }

  const overlap = new Float64Array(offsets.length * offsets.length);
  for (let a = 0; a < offsets.length; a += 1) {
    for (let b = 0; b < offsets.length; b += 1) {
      overlap[a * offsets.length + b] = sharedWorkingMinutes([offsets[a] as number, offsets[b] as number]);
    }
  }

  const model: Model = {
    n,
    ids,
    dept,
    deptCount: deptNames.length,
    deptNames,
    off,
    offsets,
    overlap,
    // A flat table while it stays small (a few dozen zones is typical), a map beyond that.
    trioOverlap: offsets.length <= 48 ? new Float64Array(offsets.length ** 3).fill(-1) : new Map(),
    flagged,
    isNew,
    hasInterests,
    hasForbidden: new Uint8Array(n),
    forbidden: new Set(),
    histStart: new Int32Array(n + 1),
    histPartner: new Int32Array(0),
    histRound: new Int32Array(0),
    deptWeight: null,
    round: input.round,
    window: Math.max(0, Math.floor(input.windowRounds)),
    seed: input.seed >>> 0,
    groupSize: normaliseGroupSize(input.groupSize),
    costSlot: new Float64Array(1),
    memberScratch: new Int32Array(3),
    offsetScratch: [],
  };

  for (let r = 0; r < refusing.length; r += 1) {
    const i = refusing[r] as number;
    const refused = (members[i] as MatchMember).doNotPair as readonly string[];
    for (let k = 0; k < refused.length; k += 1) {
      const j = index.get(refused[k] as string);
      if (j === undefined || j === i) continue;
      model.forbidden.add(pairKey(model, i, j));
      model.hasForbidden[i] = 1;
      model.hasForbidden[j] = 1;
    }
  }

  indexHistory(model, input, index);

  if (input.departmentPairWeights && input.departmentPairWeights.size > 0) {
    model.deptWeight = normalisedDeptWeights(input.departmentPairWeights, deptIndex, model.deptCount);
  }
  return model;
}

/** Fills the model's meeting adjacency lists from past groups of earlier rounds. */
function indexHistory(m: Model, input: PlanInput, index: Map<string, number>): void {
  // Each past group's ids are looked up once, into one flat array (a history holds up to a million ids,
  // and a lookup in a map of 100k members is most of the cost); then two passes over it (count, then
  // place) need no per-pair temporary arrays. Plain index loops: this runs once per round, often before
  // the optimiser kicks in, and for-of iterators would allocate on every step there.
  const history = input.history;
  let total = 0;
  let kept = 0;
  for (let g = 0; g < history.length; g += 1) {
    const group = history[g] as PastGroup;
    if (!(group.round < input.round)) continue;
    total += group.members.length;
    kept += 1;
  }
  // Members of the kept groups back to back (unknown and repeated ids dropped); kept group g ends at
  // ends[g].
  const flat = new Int32Array(total);
  const ends = new Int32Array(kept);
  const rounds = new Int32Array(kept);
  let size = 0;
  let k = 0;
  for (let g = 0; g < history.length; g += 1) {
    const group = history[g] as PastGroup;
    if (!(group.round < input.round)) continue;
    const start = size;
    const ids = group.members;
    for (let j = 0; j < ids.length; j += 1) {
      const i = index.get(ids[j] as string);
      if (i === undefined) continue;
      let seen = false;
      for (let x = start; x < size; x += 1) if (flat[x] === i) seen = true;
      if (!seen) flat[size++] = i;
    }
    ends[k] = size;
    rounds[k] = group.round;
    k += 1;
  }
  const degree = m.histStart;
  let from = 0;
  for (let g = 0; g < kept; g += 1) {
    const to = ends[g] as number;
    for (let x = from; x < to; x += 1) {
      const i = flat[x] as number;
      for (let y = from; y < to; y += 1)
        if ((flat[y] as number) > i) degree[i + 1] = (degree[i + 1] as number) + 1;
    }
    from = to;
  }
  for (let i = 0; i < m.n; i += 1) degree[i + 1] = (degree[i + 1] as number) + (degree[i] as number);
  const meetings = degree[m.n] as number;
  m.histPartner = new Int32Array(meetings);
  m.histRound = new Int32Array(meetings);
  const fill = degree.slice(0, m.n);
  from = 0;
  for (let g = 0; g < kept; g += 1) {
    const to = ends[g] as number;
    const round = rounds[g] as number;
    for (let x = from; x < to; x += 1) {
      const i = flat[x] as number;
      for (let y = from; y < to; y += 1) {
        const j = flat[y] as number;
        if (j <= i) continue;
        const f = fill[i] as number;
        m.histPartner[f] = j;
        m.histRound[f] = round;
        fill[i] = f + 1;
      }
    }
    from = to;
  }
}

/** The most recent earlier round a and b met in, or -1 when they never did (within the history given). */
export function lastMetRound(m: Model, a: number, b: number): number {
  // A meeting is listed once, under the lower index of the two: a few dozen entries at most.
  const owner = Math.min(a, b);
  const other = Math.max(a, b);
  let latest = -1;
  for (let p = m.histStart[owner] as number, end = m.histStart[owner + 1] as number; p < end; p += 1) {
    if (m.histPartner[p] === other && (m.histRound[p] as number) > latest) latest = m.histRound[p] as number;
  }
  return latest;
}

/** Weights keyed by department indices, scaled to 0–1; keys naming absent departments are ignored. */
function normalisedDeptWeights(
  weights: Map<string, number>,
  deptIndex: Map<string | null, number>,
  deptCount: number,
): Map<number, number> {
  let max = 0;
  for (const w of weights.values()) if (Number.isFinite(w) && w > max) max = w;
  const out = new Map<number, number>();
  if (max <= 0) return out;
  for (const [key, w] of weights) {
    if (!Number.isFinite(w) || w <= 0) continue;
    // Department names may contain '|': accept the first split whose both halves are known departments.
    for (let at = key.indexOf('|'); at >= 0; at = key.indexOf('|', at + 1)) {
      const a = deptIndex.get(key.slice(0, at));
      const b = deptIndex.get(key.slice(at + 1));
      if (a === undefined || b === undefined) continue;
      out.set(a < b ? a * deptCount + b : b * deptCount + a, w / max);
      break;
    }
  }
  return out;
}

/** Rounds since the pair last met (Infinity when never, within the history given). */
export function ageOf(m: Model, a: number, b: number): number {
  const met = lastMetRound(m, a, b);
  return met < 0 ? Number.POSITIVE_INFINITY : m.round - met;
}

/** Writes to `m.costSlot` the cost of a pair in one group, without group-level terms (tz, coverage, trio). */
function pairCostToSlot(m: Model, a: number, b: number): void {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if ((m.hasForbidden[a] === 1 || m.hasForbidden[b] === 1) && m.forbidden.has(lo * m.n + hi)) {
    m.costSlot[0] = Number.POSITIVE_INFINITY;
    return;
  }
  let cost = (hash3(m.seed, lo, hi) / 4294967296) * COST.JITTER;
  const met = lastMetRound(m, a, b);
  if (met >= 0) {
    const age = m.round - met;
    if (age <= 1) cost += COST.CONSECUTIVE;
    else if (age <= m.window) cost += COST.WINDOW;
    cost += COST.FADE * 0.5 ** ((Math.max(1, age) - 1) / Math.max(1, m.window));
  }
  const da = m.dept[a] as number;
  const db = m.dept[b] as number;
  if (da === db) cost += COST.SAME_DEPT;
  else if (m.deptWeight !== null) {
    cost +=
      COST.DEPT_WEIGHT * (m.deptWeight.get(da < db ? da * m.deptCount + db : db * m.deptCount + da) ?? 0);
  }
  m.costSlot[0] = cost;
}

/** Cost of a pair sitting in the same group, without group-level terms (tz, coverage, trio). */
export function pairCost(m: Model, a: number, b: number): number {
  pairCostToSlot(m, a, b);
  return m.costSlot[0] as number;
}

/** Shared working minutes of three offset indices (cached: trios are evaluated often, offsets are few). */
export function trioSharedMinutes(m: Model, x: number, y: number, z: number): number {
  // Sort the three indices so every permutation shares one cache entry.
  const lo = Math.min(x, y, z);
  const hi = Math.max(x, y, z);
  const mid = x + y + z - lo - hi;
  const o = m.offsets.length;
  const key = (lo * o + mid) * o + hi;
  const table = m.trioOverlap;
  let shared = table instanceof Float64Array ? (table[key] as number) : (table.get(key) ?? -1);
  if (shared < 0) {
    shared = sharedWorkingMinutes([
      m.offsets[lo] as number,
      m.offsets[mid] as number,
      m.offsets[hi] as number,
    ]);
    if (table instanceof Float64Array) table[key] = shared;
    else table.set(key, shared);
  }
  return shared;
}

/** Every pair's cost (`pairCost`) in an n × n table, for small pools searched exhaustively. */
export function pairCostTable(m: Model): Float64Array {
  const table = new Float64Array(m.n * m.n);
  for (let a = 0; a < m.n; a += 1) {
    for (let b = a + 1; b < m.n; b += 1) {
      const c = pairCost(m, a, b);
      table[a * m.n + b] = c;
      table[b * m.n + a] = c;
    }
  }
  return table;
}

/** Shared working minutes of the first `len` members of `g`, whatever the group's size. */
export function groupSharedMinutes(m: Model, g: ArrayLike<number>, len: number): number {
  const a = m.off[g[0] as number] as number;
  if (len === 1) return WORK_MINUTES;
  const b = m.off[g[1] as number] as number;
  if (len === 2) return m.overlap[a * m.offsets.length + b] as number;
  if (len === 3) return trioSharedMinutes(m, a, b, m.off[g[2] as number] as number);
  const offsets = m.offsetScratch;
  offsets.length = len;
  for (let x = 0; x < len; x += 1) offsets[x] = m.offsets[m.off[g[x] as number] as number] as number;
  return sharedWorkingMinutes(offsets);
}

/**
 * The cost of a group, whatever its size (a pair, a trio, a group of three, four or five), written to
 * `m.costSlot`: every pair inside it (`pairCost`; `table`, a pairCostTable, replaces them when given),
 * its missing shared hours, coverage (all in one department: every member uncovered, new members
 * counted again) and, for a group larger than the group size, the "enlarged twice in a row" terms.
 * Infinite when it holds a "don't pair" couple. The one place a group's cost is computed.
 */
export function groupCostToSlot(
  m: Model,
  g: ArrayLike<number>,
  len: number,
  table: Float64Array | null,
): void {
  let cost = 0;
  for (let x = 0; x < len; x += 1) {
    const a = g[x] as number;
    for (let y = x + 1; y < len; y += 1) {
      const b = g[y] as number;
      if (table !== null) cost += table[a * m.n + b] as number;
      else {
        pairCostToSlot(m, a, b);
        cost += m.costSlot[0] as number;
      }
    }
  }
  if (cost === Number.POSITIVE_INFINITY) {
    m.costSlot[0] = cost;
    return;
  }
  cost += ((WORK_MINUTES - groupSharedMinutes(m, g, len)) / 60) * COST.TZ_PER_HOUR;
  const d = m.dept[g[0] as number] as number;
  let pure = true;
  for (let x = 1; x < len && pure; x += 1) if (m.dept[g[x] as number] !== d) pure = false;
  if (pure) {
    let fresh = 0;
    for (let x = 0; x < len; x += 1) fresh += m.isNew[g[x] as number] as number;
    cost += len * COST.UNCOVERED + fresh * COST.NEW_UNCOVERED;
  }
  if (len > m.groupSize) {
    let flags = 0;
    for (let x = 0; x < len; x += 1) flags += m.flagged[g[x] as number] as number;
    if (flags === len) cost += COST.TRIO_ALL_FLAGGED;
    cost += flags * COST.TRIO_FLAGGED;
  }
  m.costSlot[0] = cost;
}

/** The cost of the first `len` members of `g` as one group (`groupCostToSlot`). */
export function groupCost(
  m: Model,
  g: ArrayLike<number>,
  len: number,
  table: Float64Array | null = null,
): number {
  groupCostToSlot(m, g, len, table);
  return m.costSlot[0] as number;
}

/** The cost of the group {a, b} or, when c is given, {a, b, c} (`groupCostToSlot`). */
export function membersCost(m: Model, a: number, b: number, c = -1): number {
  const g = m.memberScratch;
  g[0] = a;
  g[1] = b;
  g[2] = c;
  groupCostToSlot(m, g, c < 0 ? 2 : 3, null);
  return m.costSlot[0] as number;
}

/** Members of a group with someone from another department (unknown vs unknown does not count). */
export function coveredCount(m: Model, g: readonly number[]): number {
  let covered = 0;
  for (const a of g) {
    if (g.some((b) => m.dept[b] !== m.dept[a])) covered += 1;
  }
  return covered;
}
