// "Why you two": one short reason per fact, in the order people care about (departments first).
// Texts repeat across thousands of groups, so they are built once per plan and shared.
import { ageOf, groupSharedMinutes, type Model } from './model.ts';
import type { GroupReason, GroupReasonCode, MatchMember } from './types.ts';

/** Normalised weight at or below which a department pair counts as "rarely connected". */
const RARE_WEIGHT = 0.25;
const MAX_INTERESTS = 3;
const NONE: readonly string[] = [];

const NEVER_MET_PAIR = "You haven't been matched before";
const NEVER_MET_TRIO = 'None of you have been matched before';
const TRIO_TEXT = 'A group of three, as there was an odd number of people this round';
const UNKNOWN_DEPARTMENTS = 'Departments not set yet, so this one is a surprise';

const SIZE_WORDS: readonly string[] = ['', 'one', 'two', 'three', 'four', 'five', 'six'];

/** Why a group is larger than the group size (the `trio` reason): the person added is told why. */
function enlargedText(size: number, groupSize: number): string {
  if (groupSize === 2) return TRIO_TEXT;
  const words = (k: number) => SIZE_WORDS[k] ?? String(k);
  return `A group of ${words(size)}, as this round's people didn't split evenly into groups of ${words(groupSize)}`;
}

/** Joins names as "A", "A and B", "A, B and C". */
function listing(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Sorts a few names in place, as `Array#sort` would (UTF-16 code units), without the work copy it
 * allocates on every call: a plan of groups of three builds tens of thousands of these texts.
 */
function sortNames(names: string[]): string[] {
  for (let x = 1; x < names.length; x += 1) {
    const v = names[x] as string;
    let y = x;
    for (; y > 0 && (names[y - 1] as string) > v; y -= 1) names[y] = names[y - 1] as string;
    names[y] = v;
  }
  return names;
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
  /** A group's department indices, sorted (scratch, reused for every group). */
  private readonly deptScratch = new Int32Array(8);
  /** One frozen reason object per distinct text: thousands of groups share a handful of them. */
  private readonly shared = new Map<string, GroupReason>();
  /** One group's reasons while they are collected (scratch, emptied for every group). */
  private readonly collected: GroupReason[] = [];

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
    const key = value * 8 + size;
    let text = cache.get(key);
    if (text === undefined) {
      text = this.build(kind, value, size);
      cache.set(key, text);
    }
    return text;
  }

  private build(kind: number, value: number, size: number): string {
    const m = this.m;
    const many = size >= 3;
    switch (kind) {
      case 0: {
        const names: string[] = [];
        for (let rest = value; rest > 0; rest = Math.floor(rest / (m.deptCount + 1))) {
          names.push(m.deptNames[(rest % (m.deptCount + 1)) - 1] as string);
        }
        return `Different departments: ${listing(sortNames(names))}`;
      }
      case 1:
        return `${many ? 'All' : 'Both'} in ${m.deptNames[value]}: there weren't enough people from other departments this round`;
      case 2: {
        const who = many ? 'Two of you were' : 'You were';
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
    // Collected in a scratch list and copied out at their exact count: an array grown by push keeps room
    // for 16 entries, and a plan holds tens of thousands of these lists (the scratch dies young).
    const reasons = this.collected;
    reasons.length = 0;
    const size = group.length;
    const many = size >= 3;

    // Distinct known departments in ascending index order, packed into one number.
    const depts = this.deptScratch;
    for (let x = 0; x < size; x += 1) {
      // Insertion sort: groups have two to five members.
      const d = m.dept[group[x] as number] as number;
      let y = x;
      while (y > 0 && (depts[y - 1] as number) > d) {
        depts[y] = depts[y - 1] as number;
        y -= 1;
      }
      depts[y] = d;
    }
    const base = m.deptCount + 1;
    let known = 0;
    let packed = 0;
    let last = -1;
    for (let x = 0; x < size; x += 1) {
      const d = depts[x] as number;
      if (m.deptNames[d] == null || d === last) continue;
      packed = packed * base + d + 1;
      last = d;
      known += 1;
    }
    const lo = depts[0] as number;
    if (known >= 2) {
      // Four or more departments out of very many would not fit a safe integer key: build the text directly.
      const text =
        base ** known * 8 < Number.MAX_SAFE_INTEGER ? this.text(0, packed, size) : this.departmentsText(size);
      reasons.push(this.reason('different_departments', text));
    } else if (lo === depts[size - 1]) {
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
      reasons.push(this.reason('never_met', many ? NEVER_MET_TRIO : NEVER_MET_PAIR));
    } else {
      reasons.push(this.reason('last_met', this.text(2, Math.max(0, newest), size)));
    }

    const minutes = groupSharedMinutes(m, group, size);
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

    if (size > m.groupSize) reasons.push(this.reason('trio', enlargedText(size, m.groupSize)));
    return reasons.slice();
  }

  /** "Different departments: …" for the first `size` entries of the sorted department scratch. */
  private departmentsText(size: number): string {
    const names = new Set<string>();
    for (let x = 0; x < size; x += 1) {
      const name = this.m.deptNames[this.deptScratch[x] as number];
      if (name != null) names.add(name);
    }
    return `Different departments: ${listing([...names].sort())}`;
  }

  /** Interests held by at least two members of the group (case-insensitive, first spelling kept). */
  private sharedInterests(group: readonly number[]): readonly string[] {
    let holders = 0;
    for (const i of group) holders += this.m.hasInterests[i] as number;
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
