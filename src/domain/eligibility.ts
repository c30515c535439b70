/** Why a program member is left out of a round (told to them, never silent). */
export type Exclusion = 'bot' | 'deleted' | 'guest' | 'opted_out' | 'paused' | 'auto_paused' | 'skipping';

export interface EligibilityFacts {
  isBot: boolean;
  isDeleted: boolean;
  isGuest: boolean;
  status: string;
  pausedUntil: Date | null;
  skipPeriodKey: string | null;
}

/** Whether a member takes part in the round of `periodKey` at `now`; a pause past its end has lapsed. */
export function eligibility(
  m: EligibilityFacts,
  ctx: { allowGuests: boolean; periodKey: string; now: Date },
): { eligible: true } | { eligible: false; reason: Exclusion } {
  if (m.isBot) return { eligible: false, reason: 'bot' };
  if (m.isDeleted) return { eligible: false, reason: 'deleted' };
  if (m.isGuest && !ctx.allowGuests) return { eligible: false, reason: 'guest' };
  if (m.status === 'opted_out') return { eligible: false, reason: 'opted_out' };
  if (m.status === 'auto_paused') return { eligible: false, reason: 'auto_paused' };
  if (m.status === 'paused' && (!m.pausedUntil || m.pausedUntil.getTime() > ctx.now.getTime())) {
    return { eligible: false, reason: 'paused' };
  }
  if (m.skipPeriodKey === ctx.periodKey) return { eligible: false, reason: 'skipping' };
  return { eligible: true };
}

/** A stable 31-bit seed from text (e.g. program id + period), so each round has its own seed. */
export function seedFrom(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) & 0x7fffffff;
}
