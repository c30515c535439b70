// Participation and meet rate of rounds, and the progress of a round still being delivered.
import { MIN_PEOPLE } from './anonymity.ts';

/** What a round's groups came to, as stored. */
export interface RoundFacts {
  id: string;
  number: number;
  at: Date;
  status: string;
  groups: Array<{ members: string[]; delivered: boolean; met: boolean }>;
}

interface RoundBase {
  id: string;
  number: number;
  at: Date;
  status: string;
}

/**
 * A round as it may be shown. Hidden when fewer than MIN_PEOPLE people took part; the meet rate is null
 * when no intro was delivered yet or when only 1–2 people met (that figure would point at one pair).
 */
export type RoundSummary =
  | (RoundBase & { hidden: true })
  | (RoundBase & {
      hidden: false;
      participants: number;
      groups: number;
      delivered: number;
      met: number | null;
      meetRate: number | null;
    });

/** The shown summary of one round. */
export function summariseRound(round: RoundFacts, minPeople = MIN_PEOPLE): RoundSummary {
  const base = { id: round.id, number: round.number, at: round.at, status: round.status };
  const participants = new Set(round.groups.flatMap((g) => g.members));
  if (participants.size < minPeople) return { ...base, hidden: true };
  const delivered = round.groups.filter((g) => g.delivered || g.met);
  const met = round.groups.filter((g) => g.met);
  const metPeople = new Set(met.flatMap((g) => g.members)).size;
  const showMet = delivered.length > 0 && (metPeople === 0 || metPeople >= minPeople);
  return {
    ...base,
    hidden: false,
    participants: participants.size,
    groups: round.groups.length,
    delivered: delivered.length,
    met: showMet ? met.length : null,
    meetRate: showMet ? met.length / delivered.length : null,
  };
}

export interface DeliveryProgress {
  sent: number;
  total: number;
  failed: number;
  /** Estimated time left at the pace so far; null before the first intro went out. */
  remainingMs: number | null;
}

/** How far a round's delivery got, and how long the rest should take at the pace so far. */
export function deliveryProgress(input: {
  total: number;
  sent: number;
  failed: number;
  startedAt: Date;
  now: Date;
}): DeliveryProgress {
  const done = input.sent + input.failed;
  const left = Math.max(0, input.total - done);
  const elapsed = Math.max(0, input.now.getTime() - input.startedAt.getTime());
  const remainingMs = left === 0 ? 0 : done === 0 ? null : Math.round((elapsed / done) * left);
  return { sent: input.sent, total: input.total, failed: input.failed, remainingMs };
}
