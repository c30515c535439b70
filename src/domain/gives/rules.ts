// Guards on a give, as pure functions returning values: who may receive, reason length, the daily cap
// (per the giver's local day) and the "thank someone new" nudge.
import { addCalendarDays } from '../schedule/local-date.ts';
import { isValidTimeZone, zonedDateTimeToInstant, zonedParts } from '../schedule/zoned-time.ts';
import { graphemeLength } from '../text/truncate.ts';

/** Shortest reason accepted for `/give` and message gives, in characters. */
export const MIN_REASON_LENGTH = 10;
/** Longest reason accepted, in characters. */
export const MAX_REASON_LENGTH = 2000;
/** Gives per giver per local day unless the admin changes it. */
export const DEFAULT_DAILY_CAP = 5;
/** Gives between the same two people within the window after which the nudge appears. */
export const THANK_SOMEONE_NEW_THRESHOLD = 3;
/** Days looked back when counting gives between two people. */
export const THANK_SOMEONE_NEW_WINDOW_DAYS = 7;
/** The nudge shown to a giver who keeps thanking the same person. */
export const THANK_SOMEONE_NEW_MESSAGE =
  "You two have thanked each other a lot this week :sparkles: Is there someone new who helped you lately? They'd love to hear it.";

const EXAMPLE = '`/give @maria #help thanks for reviewing the deck`';

/** The person a give would go to, as Slack describes them. */
export interface GiveReceiver {
  id: string;
  isBot: boolean;
  deleted: boolean;
  /** True for people outside the workspace (Slack Connect, external members). */
  isExternal?: boolean;
}

/** Everything needed to decide whether one give may be recorded. */
export interface GiveCheckInput {
  giverId: string;
  receiver: GiveReceiver;
  reason: string;
  /** Gives already recorded by this giver today (their local day), not counting this one. */
  givenTodayCount: number;
  /** Gives allowed per local day; `Infinity` for no cap. */
  dailyCap: number;
  minReasonLength?: number;
  maxReasonLength?: number;
}

/** Why a give was refused. */
export type GiveRejectionCode =
  | 'self_give'
  | 'bot_receiver'
  | 'deleted_receiver'
  | 'external_receiver'
  | 'reason_too_short'
  | 'reason_too_long'
  | 'daily_cap_reached';

/** Outcome of `checkGive`: allowed, or refused with a short message saying what to do instead. */
export type GiveCheck = { ok: true } | { ok: false; code: GiveRejectionCode; message: string };

/** Length of a reason as people see it: grapheme clusters after trimming and collapsing whitespace. */
export function reasonLength(reason: string): number {
  return graphemeLength(reason.replace(/\s+/g, ' ').trim());
}

/** Whether a give's reason says enough without being too long (also checked alone, e.g. in a modal). */
export function checkReason(reason: string, min = MIN_REASON_LENGTH, max = MAX_REASON_LENGTH): GiveCheck {
  const length = reasonLength(reason);
  if (length < min) {
    return {
      ok: false,
      code: 'reason_too_short',
      message: `Say what they did, in at least ${min} characters. Try ${EXAMPLE}`,
    };
  }
  if (length > max) {
    return {
      ok: false,
      code: 'reason_too_long',
      message: `That reason is ${length} characters; keep it under ${max}. Try a sentence or two.`,
    };
  }
  return { ok: true };
}

/** Decides whether one give may be recorded; the first failing guard explains itself. */
export function checkGive(input: GiveCheckInput): GiveCheck {
  const { giverId, receiver, reason, givenTodayCount, dailyCap } = input;
  const min = input.minReasonLength ?? MIN_REASON_LENGTH;
  const max = input.maxReasonLength ?? MAX_REASON_LENGTH;
  const no = (code: GiveRejectionCode, message: string): GiveCheck => ({ ok: false, code, message });
  if (receiver.id === giverId) {
    return no(
      'self_give',
      `You can't give to yourself :slightly_smiling_face: Thank someone who helped you: ${EXAMPLE}`,
    );
  }
  if (receiver.isBot) {
    return no(
      'bot_receiver',
      `Gives are for people, not bots. Thank the person behind it instead: ${EXAMPLE}`,
    );
  }
  if (receiver.deleted) {
    return no(
      'deleted_receiver',
      `That person is no longer in this workspace, so they can't receive gives. Try someone else: ${EXAMPLE}`,
    );
  }
  if (receiver.isExternal === true) {
    return no(
      'external_receiver',
      `Gives are for people in this workspace. Try a colleague here: ${EXAMPLE}`,
    );
  }
  const reasonCheck = checkReason(reason, min, max);
  if (!reasonCheck.ok) return reasonCheck;
  if (givenTodayCount >= dailyCap) {
    return no('daily_cap_reached', dailyCapMessage(dailyCap));
  }
  return { ok: true };
}

/** What a giver is told when the daily cap stops a give. */
export function dailyCapMessage(dailyCap: number): string {
  return `You've made ${dailyCap} ${dailyCap === 1 ? 'give' : 'gives'} today, the daily limit. It resets at midnight your time, so save this one for tomorrow.`;
}

/** Gives the giver may still make today (never negative; `Infinity` when there is no cap). */
export function remainingGivesToday(givenTodayCount: number, dailyCap: number): number {
  return Math.max(0, dailyCap - Math.max(0, givenTodayCount));
}

/**
 * True when the giver should be nudged to thank someone new: `pairCountLast7Days` (gives between the same
 * two people in the last 7 days, including the one just made) is more than 3.
 */
export function needsThankSomeoneNewNudge(pairCountLast7Days: number): boolean {
  return pairCountLast7Days > THANK_SOMEONE_NEW_THRESHOLD;
}

/**
 * The giver's local calendar day containing `at`, as the half-open instant range [start, end): local
 * midnight to the next local midnight in IANA zone `tz` (23 or 25 hours long on DST days; an unknown zone
 * falls back to UTC). Throws RangeError for an invalid date.
 */
export function localDayBounds(tz: string, at: Date): { start: Date; end: Date } {
  const zone = isValidTimeZone(tz) ? tz : 'UTC';
  const { year, month, day } = zonedParts(at, zone);
  const next = addCalendarDays({ year, month, day }, 1);
  return {
    start: zonedDateTimeToInstant({ year, month, day, hour: 0, minute: 0 }, zone),
    end: zonedDateTimeToInstant({ ...next, hour: 0, minute: 0 }, zone),
  };
}
