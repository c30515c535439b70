// The compiled matching problem: members as dense indices with typed arrays, history as a map of pair
// keys, and the cost of a group. Every other engine file works on this model only.
import { hash3 } from './rng.ts';
import { offsetMinutesOrUtc, sharedWorkingMinutes, WORK_MINUTES } from './timezones.ts';
import type { PlanInput } from './types.ts';

/**
 * Cost tiers, compared lexicographically through magnitudes: a move that worsens a higher tier can
 * never be paid for by gains in lower ones (a local move touches at most two groups, and soft costs
 * stay below ~100 per group). Order follows product.md §2.
 */
export const COST = {
  /** Exact search only: a member left out of every group. */
  UNMATCHED: 1e15,
  /** The trio has nobody who can be "the added person" without repeating last round's trio duty. */
  TRIO_ALL_FLAGGED: 1e12,
  /** Per person without anyone from another department in their group (rule 2). */
  UNCOVERED: 1e10,
  /** Per pair that met in the previous round (rule 3, "never consecutive"). */
  CONSECUTIVE: 1e8,
  /** Per pair that met within the repeat window (rule 3). */
  WINDOW: 1e6,
  /** Per trio member who was in a trio last round too (rule 1, "not twice in a row"). */
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
  /** Shared working minutes per sorted triple of offset indices, filled on demand. */
  trioOverlap: Map<number, number>;
  flagged: Uint8Array;
  isNew: Uint8Array;
  hasForbidden: Uint8Array;
  forbidden: Set<number>;
  /**
   * Earlier meetings as adjacency lists (CSR): member i's partners are histPartner[histStart[i] ..
   * histStart[i + 1]), with the round in histRound. Typed arrays instead of a Map of pair keys keep a
   * 100k-member history to a few MB and out of the garbage collector's way.
   */
  histStart: Int32Array;
  histPartner: Int32Array;
  histRound: Int32Array;
  /** Normalised department-pair weights keyed by lo * deptCount + hi, or null when not given. */
  deptWeight: Map<number, number> | null;
  round: number;
  window: number;
  seed: number;
}

/** Key of an unordered pair of member indices. */
export function pairKey(m: Model, a: number, b: number): number {
  return a < b ? a * m.n + b : b * m.n + a;
}

/** Compiles the input into a model; throws on duplicate member ids (a caller bug, never user input). */
export function buildModel(input: PlanInput): Model {
  const n = input.members.length;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const deptIndex = new Map<string | null, number>();
  const deptNames: (string | null)[] = [];
  const dept = new Int32Array(n);
  const off = new Int32Array(n);
  const flagged = new Uint8Array(n);
  const isNew = new Uint8Array(n);
  const offsetByTz = new Map<string, number>();
  const offsetIndex = new Map<number, number>();
  const offsets: number[] = [];

  input.members.forEach((member, i) => {
    if (index.has(member.id)) throw new Error(`duplicate member id in matching pool: ${member.id}`);
    index.set(member.id, i);
    ids.push(member.id);
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
  });

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
    trioOverlap: new Map(),
    flagged,
    isNew,
    hasForbidden: new Uint8Array(n),
    forbidden: new Set(),
    histStart: new Int32Array(n + 1),
    histPartner: new Int32Array(0),
    histRound: new Int32Array(0),
    deptWeight: null,
    round: input.round,
    window: Math.max(0, Math.floor(input.windowRounds)),
    seed: input.seed >>> 0,
  };

  input.members.forEach((member, i) => {
    for (const other of member.doNotPair ?? []) {
      const j = index.get(other);
      if (j === undefined || j === i) continue;
      model.forbidden.add(pairKey(model, i, j));
      model.hasForbidden[i] = 1;
      model.hasForbidden[j] = 1;
    }
  });

  indexHistory(model, input, index);

  if (input.departmentPairWeights && input.departmentPairWeights.size > 0) {
    model.deptWeight = normalisedDeptWeights(input.departmentPairWeights, deptIndex, model.deptCount);
  }
  return model;
}

/** Fills the model's meeting adjacency lists from past groups of earlier rounds (two passes, no Map). */
function indexHistory(m: Model, input: PlanInput, index: Map<string, number>): void {
  let slots = 0;
  for (const group of input.history) {
    if (group.round < input.round) slots += group.members.length * (group.members.length - 1);
  }
  // Pass 1: translate ids once and count each member's meetings.
  const from = new Int32Array(slots / 2);
  const to = new Int32Array(slots / 2);
  const rounds = new Int32Array(slots / 2);
  const degree = m.histStart;
  let pairs = 0;
  const local: number[] = [];
  for (const group of input.history) {
    if (!(group.round < input.round)) continue;
    local.length = 0;
    for (const id of group.members) {
      const i = index.get(id);
      if (i !== undefined && !local.includes(i)) local.push(i);
    }
    for (let x = 0; x < local.length; x += 1) {
      for (let y = x + 1; y < local.length; y += 1) {
        const a = local[x] as number;
        const b = local[y] as number;
        from[pairs] = a;
        to[pairs] = b;
        rounds[pairs] = group.round;
        pairs += 1;
        degree[a + 1] = (degree[a + 1] as number) + 1;
        degree[b + 1] = (degree[b + 1] as number) + 1;
      }
    }
  }
  // Pass 2: prefix sums, then place both directions of every meeting.
  for (let i = 0; i < m.n; i += 1) degree[i + 1] = (degree[i + 1] as number) + (degree[i] as number);
  const fill = degree.slice(0, m.n);
  m.histPartner = new Int32Array(2 * pairs);
  m.histRound = new Int32Array(2 * pairs);
  for (let p = 0; p < pairs; p += 1) {
    const a = from[p] as number;
    const b = to[p] as number;
    const r = rounds[p] as number;
    const fa = fill[a] as number;
    m.histPartner[fa] = b;
    m.histRound[fa] = r;
    fill[a] = fa + 1;
    const fb = fill[b] as number;
    m.histPartner[fb] = a;
    m.histRound[fb] = r;
    fill[b] = fb + 1;
  }
}

/** The most recent earlier round a and b met in, or -1 when they never did (within the history given). */
export function lastMetRound(m: Model, a: number, b: number): number {
  // Scan the shorter of the two lists; each holds one entry per earlier meeting, a few dozen at most.
  const la = (m.histStart[a + 1] as number) - (m.histStart[a] as number);
  const lb = (m.histStart[b + 1] as number) - (m.histStart[b] as number);
  const owner = la <= lb ? a : b;
  const other = owner === a ? b : a;
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

/** Whether the pair is on someone's "don't pair me with" list. */
export function isForbidden(m: Model, a: number, b: number): boolean {
  return (m.hasForbidden[a] === 1 || m.hasForbidden[b] === 1) && m.forbidden.has(pairKey(m, a, b));
}

/** Rounds since the pair last met (Infinity when never, within the history given). */
export function ageOf(m: Model, a: number, b: number): number {
  const met = lastMetRound(m, a, b);
  return met < 0 ? Number.POSITIVE_INFINITY : m.round - met;
}

/** Cost of a pair sitting in the same group, without group-level terms (tz, coverage, trio). */
export function pairCost(m: Model, a: number, b: number): number {
  const key = a < b ? a * m.n + b : b * m.n + a;
  if ((m.hasForbidden[a] === 1 || m.hasForbidden[b] === 1) && m.forbidden.has(key)) {
    return Number.POSITIVE_INFINITY;
  }
  let cost = (hash3(m.seed, a < b ? a : b, a < b ? b : a) / 4294967296) * COST.JITTER;
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
  return cost;
}

/** Full cost of the pair group {a, b}. */
export function pairGroupCost(m: Model, a: number, b: number): number {
  let cost = pairCost(m, a, b);
  if (cost === Number.POSITIVE_INFINITY) return cost;
  const o = m.offsets.length;
  cost +=
    ((WORK_MINUTES - (m.overlap[(m.off[a] as number) * o + (m.off[b] as number)] as number)) / 60) *
    COST.TZ_PER_HOUR;
  if (m.dept[a] === m.dept[b]) {
    cost += 2 * COST.UNCOVERED + ((m.isNew[a] as number) + (m.isNew[b] as number)) * COST.NEW_UNCOVERED;
  }
  return cost;
}

/** Shared working minutes of three offset indices (cached: trios are evaluated often, offsets are few). */
export function trioSharedMinutes(m: Model, x: number, y: number, z: number): number {
  // Sort the three indices so every permutation shares one cache entry.
  const lo = Math.min(x, y, z);
  const hi = Math.max(x, y, z);
  const mid = x + y + z - lo - hi;
  const o = m.offsets.length;
  const key = (lo * o + mid) * o + hi;
  let shared = m.trioOverlap.get(key);
  if (shared === undefined) {
    shared = sharedWorkingMinutes([
      m.offsets[lo] as number,
      m.offsets[mid] as number,
      m.offsets[hi] as number,
    ]);
    m.trioOverlap.set(key, shared);
  }
  return shared;
}

/** Full cost of the trio {a, b, c}. */
export function trioGroupCost(m: Model, a: number, b: number, c: number): number {
  let cost = pairCost(m, a, b) + pairCost(m, a, c) + pairCost(m, b, c);
  if (cost === Number.POSITIVE_INFINITY) return cost;
  const shared = trioSharedMinutes(m, m.off[a] as number, m.off[b] as number, m.off[c] as number);
  cost += ((WORK_MINUTES - shared) / 60) * COST.TZ_PER_HOUR;
  if (m.dept[a] === m.dept[b] && m.dept[b] === m.dept[c]) {
    cost +=
      3 * COST.UNCOVERED +
      ((m.isNew[a] as number) + (m.isNew[b] as number) + (m.isNew[c] as number)) * COST.NEW_UNCOVERED;
  }
  const flags = (m.flagged[a] as number) + (m.flagged[b] as number) + (m.flagged[c] as number);
  if (flags === 3) cost += COST.TRIO_ALL_FLAGGED;
  return cost + flags * COST.TRIO_FLAGGED;
}

/** Cost of a group of two or three members. */
export function groupCost(m: Model, g: readonly number[]): number {
  if (g.length === 2) return pairGroupCost(m, g[0] as number, g[1] as number);
  if (g.length === 3) return trioGroupCost(m, g[0] as number, g[1] as number, g[2] as number);
  throw new Error(`groups have two or three members, got ${g.length}`);
}

/** Members of a group with someone from another department (unknown vs unknown does not count). */
export function coveredCount(m: Model, g: readonly number[]): number {
  let covered = 0;
  for (const a of g) {
    if (g.some((b) => m.dept[b] !== m.dept[a])) covered += 1;
  }
  return covered;
}
