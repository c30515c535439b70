// "Why you two": one short reason per fact, in the order people care about (departments first).
// Texts repeat across thousands of groups, so they are built once per plan and shared.
import { ageOf, type Model } from './model.ts';
import { sharedWorkingMinutes } from './timezones.ts';
import type { GroupReason, MatchMember } from './types.ts';

/** Normalised weight at or below which a department pair counts as "rarely connected". */
const RARE_WEIGHT = 0.25;
const MAX_INTERESTS = 3;

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

/** Department indices of a group in ascending order (two or three members, no allocation-heavy sort). */
function sortedDepartments(m: Model, group: readonly number[]): number[] {
  const a = m.dept[group[0] as number] as number;
  const b = m.dept[group[1] as number] as number;
  if (group.length === 2) return a <= b ? [a, b] : [b, a];
  const c = m.dept[group[2] as number] as number;
  const lo = Math.min(a, b, c);
  const hi = Math.max(a, b, c);
  return [lo, a + b + c - lo - hi, hi];
}

/** Builds the reasons of a plan's groups, sharing repeated texts. */
export class Explainer {
  private readonly texts = new Map<string, string>();
  private readonly deptTexts = new Map<number, string>();
  private readonly hourTexts: string[] = [];

  constructor(
    private readonly m: Model,
    private readonly members: readonly MatchMember[],
  ) {}

  private cached(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      text = build();
      this.texts.set(key, text);
    }
    return text;
  }

  /** The reasons shown for one group of model indices. */
  explain(group: readonly number[]): GroupReason[] {
    const m = this.m;
    const reasons: GroupReason[] = [];
    const isTrio = group.length === 3;

    const depts = sortedDepartments(m, group);
    const known = depts.filter((d, k) => m.deptNames[d] != null && d !== depts[k - 1]);
    if (known.length >= 2) {
      // Numeric key: up to three department indices packed base deptCount.
      const key = known.reduce((acc, d) => acc * m.deptCount + d + 1, 0);
      let text = this.deptTexts.get(key);
      if (text === undefined) {
        text = `Different departments: ${listing(known.map((d) => m.deptNames[d] as string))}`;
        this.deptTexts.set(key, text);
      }
      reasons.push({ code: 'different_departments', text });
    } else if (depts[0] === depts[depts.length - 1]) {
      const name = m.deptNames[depts[0] as number];
      const text =
        name == null
          ? UNKNOWN_DEPARTMENTS
          : this.cached(
              `s:${depts[0]}:${group.length}`,
              () =>
                `${isTrio ? 'All' : 'Both'} in ${name}: there weren't enough people from other departments this round`,
            );
      reasons.push({ code: 'same_department', text });
    }

    let newest = Number.POSITIVE_INFINITY;
    for (let x = 0; x < group.length; x += 1) {
      for (let y = x + 1; y < group.length; y += 1) {
        newest = Math.min(newest, ageOf(m, group[x] as number, group[y] as number));
      }
    }
    if (newest === Number.POSITIVE_INFINITY) {
      reasons.push({ code: 'never_met', text: isTrio ? NEVER_MET_TRIO : NEVER_MET_PAIR });
    } else {
      const text = this.cached(
        `m:${newest}:${group.length}`,
        () => `${isTrio ? 'Two of you were' : 'You were'} last matched ${plural(newest, 'round')} ago`,
      );
      reasons.push({ code: 'last_met', text });
    }

    const minutes =
      group.length === 2
        ? (m.overlap[
            (m.off[group[0] as number] as number) * m.offsets.length + (m.off[group[1] as number] as number)
          ] as number)
        : sharedWorkingMinutes(group.map((i) => m.offsets[m.off[i] as number] as number));
    const halfHours = Math.round(minutes / 30);
    if (halfHours >= 2) {
      let text = this.hourTexts[halfHours];
      if (text === undefined) {
        text = plural(halfHours / 2, 'shared working hour');
        this.hourTexts[halfHours] = text;
      }
      reasons.push({ code: 'shared_hours', text });
    }

    const shared = this.sharedInterests(group);
    if (shared.length > 0) {
      reasons.push({
        code: 'shared_interest',
        text: `${shared.length === 1 ? 'A shared interest' : 'Shared interests'}: ${shared.join(', ')}`,
      });
    }

    const rare = this.rarePair(group);
    if (rare) {
      const text = this.cached(`r:${rare[0]}|${rare[1]}`, () => `${rare[0]} and ${rare[1]} rarely connect`);
      reasons.push({ code: 'rare_departments', text });
    }

    if (isTrio) reasons.push({ code: 'trio', text: TRIO_TEXT });
    return reasons;
  }

  /** Interests held by at least two members of the group (case-insensitive, first spelling kept). */
  private sharedInterests(group: readonly number[]): string[] {
    let holders = 0;
    for (const i of group) if ((this.members[i]?.interests?.length ?? 0) > 0) holders += 1;
    if (holders < 2) return [];
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
