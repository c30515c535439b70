// One department identity for everything that compares, groups or shows departments: matching, the heatmap,
// the digest, /intro, Home. Profile fields are free text, so "Engineering", "engineering " and "ENGINEERING"
// must be one department, shown with its most common spelling; admins can merge and rename on top.

/** Longest department name kept (Slack profile fields allow more; nobody needs it). */
export const DEPARTMENT_NAME_MAX = 80;

/**
 * The comparison key of a department name: accents removed, case folded, punctuation and repeated or
 * surrounding spaces collapsed ("  Ingeniería & Eng. " → "ingenieria eng"). Empty for a name with no
 * letters or digits, which counts as no department.
 */
export function departmentKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether two department names are the same department (unknown is no department, never "the same"). */
export function sameDepartment(a: string | null | undefined, b: string | null | undefined): boolean {
  const ka = a ? departmentKey(a) : '';
  const kb = b ? departmentKey(b) : '';
  return ka !== '' && ka === kb;
}

/** A spelling as shown: surrounding spaces trimmed and inner runs of spaces collapsed. */
function tidy(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, DEPARTMENT_NAME_MAX);
}

/** Ties between spellings prefer mixed case ("Engineering") over all lower, then all capitals. */
function casing(name: string): number {
  if (name === name.toUpperCase() && name !== name.toLowerCase()) return 2;
  if (name === name.toLowerCase()) return 1;
  return 0;
}

/**
 * Admin merges and renames: department key → the name it is shown and matched as. A merge maps "eng" to
 * "Engineering"; a rename maps a department's own key to its new name.
 */
export type DepartmentMerges = Readonly<Record<string, string>>;

/** One department as found in a workspace. */
export interface DepartmentEntry {
  key: string;
  name: string;
  members: number;
  /** Every spelling seen (after tidying), most common first. */
  spellings: string[];
}

/** Resolves raw department names to one identity and display name for a workspace. */
export interface DepartmentDirectory {
  /** The department a raw name belongs to, shown with its canonical spelling; null for none. */
  name(raw: string | null | undefined): string | null;
  /** The comparison key of the department a raw name belongs to (after merges); null for none. */
  key(raw: string | null | undefined): string | null;
  /** Departments with member counts, largest first. */
  entries: DepartmentEntry[];
  /** How many of the names given had no department. */
  unknown: number;
}

/** Follows merges from a key to its final key and forced name (a cycle stops where it closes). */
function resolveMerge(key: string, merges: DepartmentMerges): { key: string; forced: string | null } {
  let current = key;
  let forced: string | null = null;
  const path: string[] = [];
  while (!path.includes(current)) {
    path.push(current);
    const target = merges[current];
    if (target === undefined) return { key: current, forced };
    const next = departmentKey(target);
    if (next === '') return { key: current, forced };
    forced = tidy(target);
    current = next;
  }
  // A cycle (a → b → a): every key on it becomes the alphabetically first one, under its own spelling.
  const cycle = path.slice(path.indexOf(current));
  return { key: [...cycle].sort()[0] ?? current, forced: null };
}

/**
 * Builds the directory from the raw department names of a workspace's members (one entry per member, null
 * for none) and the admin's merges. The shown name is the admin's if they named it, else the most common
 * spelling (ties: alphabetical, so the result does not depend on order).
 */
export function departmentDirectory(
  raws: ReadonlyArray<string | null | undefined>,
  merges: DepartmentMerges = {},
): DepartmentDirectory {
  const resolved = new Map<string, { key: string; forced: string | null }>();
  const resolve = (raw: string | null | undefined) => {
    const k = raw ? departmentKey(raw) : '';
    if (k === '') return null;
    let r = resolved.get(k);
    if (r === undefined) {
      r = resolveMerge(k, merges);
      resolved.set(k, r);
    }
    return r;
  };
  const groups = new Map<
    string,
    { members: number; spellings: Map<string, number>; forced: string | null }
  >();
  let unknown = 0;
  for (const raw of raws) {
    const r = resolve(raw);
    if (r === null || raw == null) {
      unknown += 1;
      continue;
    }
    let g = groups.get(r.key);
    if (g === undefined) {
      g = { members: 0, spellings: new Map(), forced: null };
      groups.set(r.key, g);
    }
    g.members += 1;
    g.forced ??= r.forced;
    const spelling = tidy(raw);
    g.spellings.set(spelling, (g.spellings.get(spelling) ?? 0) + 1);
  }
  // A name forced by a merge onto a key nobody holds yet still names that key.
  for (const target of Object.values(merges)) {
    const k = departmentKey(target);
    const g = groups.get(k);
    if (g && g.forced === null) g.forced = tidy(target);
  }
  const entries: DepartmentEntry[] = [...groups.entries()].map(([key, g]) => {
    const spellings = [...g.spellings.entries()]
      .sort((a, b) => b[1] - a[1] || casing(a[0]) - casing(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([s]) => s);
    return { key, name: g.forced ?? spellings[0] ?? key, members: g.members, spellings };
  });
  entries.sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nameOf = new Map(entries.map((e) => [e.key, e.name]));
  return {
    entries,
    unknown,
    key: (raw) => resolve(raw)?.key ?? null,
    name: (raw) => {
      const r = resolve(raw);
      if (r === null) return null;
      // A department outside the population (typed in a profile after the directory was built): its first
      // spelling seen here names it from now on, so two spellings of it still read as one department.
      let name = nameOf.get(r.key);
      if (name === undefined) {
        name = r.forced ?? tidy(raw ?? '');
        nameOf.set(r.key, name);
      }
      return name;
    },
  };
}
