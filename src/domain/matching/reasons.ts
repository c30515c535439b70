// "Why you two": one short reason per fact, in the order people care about (departments first).
// Texts repeat across thousands of groups, so they are built once per plan and shared.
import { ageOf, type Model, trioSharedMinutes } from './model.ts';
import type { GroupReason, GroupReasonCode, MatchMember } from './types.ts';

/** Normalised weight at or below which a department pair counts as "rarely connected". */
const RARE_WEIGHT = 0.25;
const MAX_INTERESTS = 3;
const NONE: string[] = [];

const NEVER_MET_PAIR = "You haven't been matched before";
const NEVER_MET_TRIO = 'None of you have been matched before';
const TRIO_TEXT = 'A group of three, as there was an odd number of people this round';
const UNKNOWN_DEPARTMENTS = 'Departments not set yet, so this one is a surprise';

/** Joins names as "A", "A and B", "A, B and C". */
function listing(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function plural(count: number, word: string): string {
  const shown = Number.isInteger(count) ? String(count) : count.toFixed(1);
  return `${shown} ${word}${count === 1 ? '' : 's'}`;
}

/** Builds the reasons of a plan's groups, sharing repeated texts. */
export class Explainer {
  /** Built texts per kind (departments, same department, last met, hours), keyed by value and size. */
  private readonly texts = [
    new Map<number, string>(),
    new Map<number, string>(),
    new Map<number, string>(),
    new Map<number, string>(),
  ];
  /** One frozen reason object per distinct text: thousands of groups share a handful of them. */
  private readonly shared = new Map<string, GroupReason>();

  constructor(
    private readonly m: Model,
    private readonly members: readonly MatchMember[],
  ) {}

  private reason(code: GroupReasonCode, text: string): GroupReason {
    let r = this.shared.get(text);
    if (r === undefined) {
      r = Object.freeze({ code, text });
      this.shared.set(text, r);
    }
    return r;
  }

  /**
   * The text of one kind of reason for a value and group size, built once per plan (a plan repeats the
   * same few texts thousands of times). Kinds: 0 departments (value packs up to three department
   * indices, base deptCount + 1), 1 same department (value = department), 2 last met (value = age in
   * rounds), 3 shared hours (value = half hours).
   */
  private text(kind: number, value: number, size: number): string {
    const cache = this.texts[kind] as Map<number, string>;
    const key = value * 4 + size;
    let text = cache.get(key);
    if (text === undefined) {
      text = this.build(kind, value, size);
      cache.set(key, text);
    }
    return text;
  }

  private build(kind: number, value: number, size: number): string {
    const m = this.m;
    const isTrio = size === 3;
    switch (kind) {
      case 0: {
        const names: string[] = [];
        for (let rest = value; rest > 0; rest = Math.floor(rest / (m.deptCount + 1))) {
          names.push(m.deptNames[(rest % (m.deptCount + 1)) - 1] as string);
        }
        return `Different departments: ${listing(names.sort())}`;
      }
      case 1:
        return `${isTrio ? 'All' : 'Both'} in ${m.deptNames[value]}: there weren't enough people from other departments this round`;
      case 2: {
        const who = isTrio ? 'Two of you were' : 'You were';
        return value <= 1
          ? `${who} matched last round too`
          : `${who} last matched ${plural(value, 'round')} ago`;
      }
      default:
        return plural(value / 2, 'shared working hour');
    }
  }

  /** The reasons shown for one group of model indices. */
  explain(group: readonly number[]): GroupReason[] {
    const m = this.m;
    const reasons: GroupReason[] = [];
    const size = group.length;
    const isTrio = size === 3;

    // Distinct known departments in ascending index order (at most three), packed into one number.
    const a = m.dept[group[0] as number] as number;
    const b = m.dept[group[1] as number] as number;
    const c = isTrio ? (m.dept[group[2] as number] as number) : a;
    const lo = Math.min(a, b, c);
    const hi = Math.max(a, b, c);
    const mid = a + b + c - lo - hi;
    let known = 0;
    let packed = 0;
    for (const d of [lo, mid, hi]) {
      if (m.deptNames[d] == null || (known > 0 && packed % (m.deptCount + 1) === d + 1)) continue;
      packed = packed * (m.deptCount + 1) + d + 1;
      known += 1;
    }
    if (known >= 2) {
      reasons.push(this.reason('different_departments', this.text(0, packed, size)));
    } else if (lo === hi) {
      const text = m.deptNames[lo] == null ? UNKNOWN_DEPARTMENTS : this.text(1, lo, size);
      reasons.push(this.reason('same_department', text));
    }

    let newest = Number.POSITIVE_INFINITY;
    for (let x = 0; x < size; x += 1) {
      for (let y = x + 1; y < size; y += 1) {
        newest = Math.min(newest, ageOf(m, group[x] as number, group[y] as number));
      }
    }
    if (newest === Number.POSITIVE_INFINITY) {
      reasons.push(this.reason('never_met', isTrio ? NEVER_MET_TRIO : NEVER_MET_PAIR));
    } else {
      reasons.push(this.reason('last_met', this.text(2, Math.max(0, newest), size)));
    }

    const oa = m.off[group[0] as number] as number;
    const ob = m.off[group[1] as number] as number;
    const minutes = isTrio
      ? trioSharedMinutes(m, oa, ob, m.off[group[2] as number] as number)
      : (m.overlap[oa * m.offsets.length + ob] as number);
    const halfHours = Math.round(minutes / 30);
    if (halfHours >= 2) reasons.push(this.reason('shared_hours', this.text(3, halfHours, size)));

    const shared = this.sharedInterests(group);
    if (shared.length > 0) {
      reasons.push({
        code: 'shared_interest',
        text: `${shared.length === 1 ? 'A shared interest' : 'Shared interests'}: ${shared.join(', ')}`,
      });
    }

    const rare = this.rarePair(group);
    if (rare) {
      const text = `${rare[0]} and ${rare[1]} rarely connect`;
      reasons.push(this.reason('rare_departments', text));
    }

    if (isTrio) reasons.push(this.reason('trio', TRIO_TEXT));
    return reasons;
  }

  /** Interests held by at least two members of the group (case-insensitive, first spelling kept). */
  private sharedInterests(group: readonly number[]): string[] {
    let holders = 0;
    for (const i of group) if ((this.members[i]?.interests?.length ?? 0) > 0) holders += 1;
    if (holders < 2) return NONE;
    const seen = new Map<string, { label: string; count: number }>();
    for (const i of group) {
      const mine = new Set<string>();
      for (const raw of this.members[i]?.interests ?? []) {
        const label = raw.trim();
        const key = label.toLowerCase();
        if (key === '' || mine.has(key)) continue;
        mine.add(key);
        const entry = seen.get(key);
        if (entry) entry.count += 1;
        else seen.set(key, { label, count: 1 });
      }
    }
    return [...seen.values()]
      .filter((e) => e.count >= 2)
      .map((e) => e.label)
      .sort((a, b) => a.localeCompare(b))
      .slice(0, MAX_INTERESTS);
  }

  /** The least-connected pair of known, different departments in the group, when it is rare enough. */
  private rarePair(group: readonly number[]): [string, string] | null {
    const m = this.m;
    if (m.deptWeight === null) return null;
    let best: [string, string] | null = null;
    let bestWeight = Number.POSITIVE_INFINITY;
    for (let x = 0; x < group.length; x += 1) {
      for (let y = x + 1; y < group.length; y += 1) {
        const da = m.dept[group[x] as number] as number;
        const db = m.dept[group[y] as number] as number;
        const na = m.deptNames[da];
        const nb = m.deptNames[db];
        if (da === db || na == null || nb == null) continue;
        const w = m.deptWeight.get(da < db ? da * m.deptCount + db : db * m.deptCount + da) ?? 0;
        if (w < bestWeight) {
          bestWeight = w;
          best = na < nb ? [na, nb] : [nb, na];
        }
      }
    }
    return best !== null && bestWeight <= RARE_WEIGHT ? best : null;
  }
}
