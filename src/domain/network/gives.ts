// Gives per kind for the dashboard, k-anonymous per kind.
import { GIVE_KINDS, type GiveKind, isGiveKind } from '../gives/kinds.ts';
import { type Cell, cellOf, MIN_PEOPLE } from './anonymity.ts';
import type { GiveLink, TimeWindow } from './connections.ts';

export interface KindCount {
  kind: GiveKind;
  cell: Cell;
}

/** Gives of the window per kind (unknown stored kinds count as `help`, as they are shown elsewhere). */
export function givesByKind(gives: GiveLink[], window: TimeWindow, minPeople = MIN_PEOPLE): KindCount[] {
  const tally = new Map<GiveKind, { count: number; people: Set<string> }>(
    GIVE_KINDS.map((k) => [k, { count: 0, people: new Set<string>() }]),
  );
  for (const g of gives) {
    const t = g.at.getTime();
    if (t < window.from.getTime() || t >= window.to.getTime()) continue;
    const entry = tally.get(isGiveKind(g.kind) ? g.kind : 'help');
    if (!entry) continue;
    entry.count += 1;
    entry.people.add(g.giverId);
    if (g.receiverId) entry.people.add(g.receiverId);
  }
  return GIVE_KINDS.map((kind) => {
    const e = tally.get(kind)!;
    return { kind, cell: cellOf(e.count, e.people.size, minPeople) };
  });
}
