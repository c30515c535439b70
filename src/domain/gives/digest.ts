import { sameDepartment } from '../departments.ts';
// The weekly thank-you digest: a week's gives grouped by kind, cross-department gives marked, and
// per-person counts only when an admin has turned the leaderboard on. Pure: time comes in as arguments.
import type { TimeWindow } from '../network/connections.ts';
import { addCalendarDays, isoWeekKey, type LocalDate } from '../schedule/local-date.ts';
import { isValidTimeZone, zonedDateTimeToInstant, zonedParts } from '../schedule/zoned-time.ts';
import { GIVE_KINDS, type GiveKind, isGiveKind } from './kinds.ts';

/** The digest goes out at this local hour on the admin-chosen weekday. */
export const DIGEST_HOUR = 16;
/** People listed per leaderboard column when the leaderboard is on. */
export const LEADERBOARD_SIZE = 5;

export interface DigestSlot extends TimeWindow {
  /** ISO week of the digest day, e.g. `2026-W48`: at most one digest per workspace and key. */
  key: string;
}

/**
 * The latest digest slot at or before `now`: `weekday` (1 = Monday … 7 = Sunday) at `hour` in `tz`
 * (UTC when `tz` is unknown). It covers the seven days up to that moment.
 */
export function latestDigestSlot(now: Date, tz: string, weekday: number, hour = DIGEST_HOUR): DigestSlot {
  const zone = isValidTimeZone(tz) ? tz : 'UTC';
  const day = Math.min(7, Math.max(1, Math.trunc(weekday) || 1));
  const at = (date: LocalDate) => zonedDateTimeToInstant({ ...date, hour, minute: 0 }, zone);
  const local = zonedParts(now, zone);
  let date = addCalendarDays(local, -((((local.weekday - day) % 7) + 7) % 7));
  let to = at(date);
  if (to.getTime() > now.getTime()) {
    date = addCalendarDays(date, -7);
    to = at(date);
  }
  return { key: isoWeekKey(date), from: at(addCalendarDays(date, -7)), to };
}

/** One give as the digest reads it. */
export interface DigestGive {
  id: string;
  giverId: string;
  /** null once the receiver asked Weave to forget them: shown anonymised. */
  receiverId: string | null;
  kind: string;
  reason: string;
  at: Date;
  /**
   * True only for a give made in a public channel. Gives made in DMs, private channels or the thank-you
   * modal never appear in the digest channel (not even as "giver → receiver" or in its counts): they
   * count in the member's own Home only.
   */
  isPublic: boolean;
}

/** One line of the digest. */
export interface DigestEntry {
  id: string;
  giverId: string;
  receiverId: string | null;
  /** The reason as written (digest entries only come from public channels); null when there is none. */
  reason: string | null;
  at: Date;
  /** The two departments when giver and receiver are in different known departments. */
  crossDepartment: { from: string; to: string } | null;
}

export interface DigestKindGroup {
  kind: GiveKind;
  /** Cross-department gives first, then oldest first. */
  entries: DigestEntry[];
  crossDepartment: number;
}

export interface PersonCount {
  userId: string;
  count: number;
}

export interface WeeklyDigest {
  window: TimeWindow;
  total: number;
  crossDepartment: number;
  /** Only kinds with gives, in the order kinds are listed everywhere. */
  kinds: DigestKindGroup[];
  /** Per-person counts: present only when the admin turned the leaderboard on. */
  leaderboard: { received: PersonCount[]; given: PersonCount[] } | null;
}

/** Top `size` people by count, ties broken by id so the order never depends on input order. */
function topCounts(counts: Map<string, number>, size: number): PersonCount[] {
  return [...counts]
    .map(([userId, count]) => ({ userId, count }))
    .sort((a, b) => b.count - a.count || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .slice(0, size);
}

/**
 * The digest of `window` (half-open) from its gives and people's departments (null or absent = unknown;
 * unknown never counts as cross-department). Unknown stored kinds count as `help`.
 */
export function buildWeeklyDigest(input: {
  gives: DigestGive[];
  departments: ReadonlyMap<string, string | null>;
  window: TimeWindow;
  leaderboard: boolean;
  leaderboardSize?: number;
}): WeeklyDigest {
  const from = input.window.from.getTime();
  const to = input.window.to.getTime();
  const byKind = new Map<GiveKind, DigestEntry[]>(GIVE_KINDS.map((k) => [k, []]));
  const received = new Map<string, number>();
  const given = new Map<string, number>();
  let total = 0;
  let cross = 0;
  for (const g of input.gives) {
    const t = g.at.getTime();
    if (t < from || t >= to || !g.isPublic) continue;
    const giverDept = input.departments.get(g.giverId) ?? null;
    const receiverDept = g.receiverId ? (input.departments.get(g.receiverId) ?? null) : null;
    const crossDepartment =
      giverDept && receiverDept && !sameDepartment(giverDept, receiverDept)
        ? { from: giverDept, to: receiverDept }
        : null;
    byKind.get(isGiveKind(g.kind) ? g.kind : 'help')?.push({
      id: g.id,
      giverId: g.giverId,
      receiverId: g.receiverId,
      reason: g.reason,
      at: g.at,
      crossDepartment,
    });
    total += 1;
    if (crossDepartment) cross += 1;
    given.set(g.giverId, (given.get(g.giverId) ?? 0) + 1);
    if (g.receiverId) received.set(g.receiverId, (received.get(g.receiverId) ?? 0) + 1);
  }
  const kinds: DigestKindGroup[] = [];
  for (const kind of GIVE_KINDS) {
    const entries = byKind.get(kind) ?? [];
    if (entries.length === 0) continue;
    entries.sort(
      (a, b) =>
        Number(b.crossDepartment !== null) - Number(a.crossDepartment !== null) ||
        a.at.getTime() - b.at.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    kinds.push({ kind, entries, crossDepartment: entries.filter((e) => e.crossDepartment).length });
  }
  const size = input.leaderboardSize ?? LEADERBOARD_SIZE;
  return {
    window: input.window,
    total,
    crossDepartment: cross,
    kinds,
    leaderboard: input.leaderboard
      ? { received: topCounts(received, size), given: topCounts(given, size) }
      : null,
  };
}
