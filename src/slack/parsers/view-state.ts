// zod over what Slack sends back from Weave's modals and buttons: view state values, private metadata
// and action values. Each parser returns a plain value or per-block error messages (never throws).
import { z } from 'zod';
import { MAX_REASON_LENGTH, reasonLength } from '../../domain/gives/rules.ts';
import { splitTags } from '../../domain/intro/topics.ts';
import { CADENCES, type Cadence } from '../../domain/schedule/cadence.ts';
import {
  DEFAULT_WORKING_HOURS,
  type WorkingHours,
  workingHoursProblem,
} from '../../domain/schedule/meeting-slots.ts';
import { isValidTimeZone } from '../../domain/schedule/zoned-time.ts';
import { type AdminWorkspaceSetting, workspaceSettingsSchema } from '../../domain/settings.ts';
import { INTRO_BLOCKS as B, DIGEST_OFF } from '../ids.ts';

/** Most tags a member can list under expertise or interests. */
export const MAX_TAGS = 15;
/** Longest single tag, in characters. */
export const MAX_TAG_LENGTH = 50;
/** Longest department name, in characters. */
export const MAX_DEPARTMENT_LENGTH = 80;
/** Most people on a "don't pair me with" list. */
export const MAX_DO_NOT_PAIR = 50;

const elementState = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  selected_users: z.array(z.string()).nullish(),
  selected_user: z.string().nullish(),
  selected_conversation: z.string().nullish(),
  selected_channel: z.string().nullish(),
});

/** Slack's `view.state.values`: block id → action id → element state. */
export const viewStateSchema = z.record(z.string(), z.record(z.string(), elementState));
export type ViewState = z.infer<typeof viewStateSchema>;

/** Per-block error messages, shown by Slack under each input (`response_action: 'errors'`). */
export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

type Element = z.infer<typeof elementState>;

/** Reads one input of a view (every Weave input uses its block id as its action id too). */
function field(state: ViewState, id: string): Element | undefined {
  return state[id]?.[id];
}

const text = (state: ViewState, id: string) => field(state, id)?.value?.trim() ?? '';
const option = (state: ViewState, id: string) => field(state, id)?.selected_option?.value ?? null;
const checked = (state: ViewState, id: string) =>
  (field(state, id)?.selected_options ?? []).map((o) => o.value);
const users = (state: ViewState, id: string) => field(state, id)?.selected_users ?? [];

/** Parses raw view state (unknown input) into the typed shape, or undefined when it is malformed. */
export function readViewState(raw: unknown): ViewState | undefined {
  const r = viewStateSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

// ----- profile modal ---------------------------------------------------------------------------------------

export interface ProfileForm {
  department: string | null;
  expertise: string[];
  interests: string[];
  doNotPair: string[];
  giveDms: boolean;
  /** Left out when the submitted modal had no working-hours fields (then they stay as they are). */
  workingHours?: WorkingHours;
}

/** The working-hours fields of the profile modal, when present. */
function workingHoursOf(state: ViewState, errors: FieldErrors): WorkingHours | undefined {
  if (!state[B.profileWorkDays] && !state[B.profileWorkStart] && !state[B.profileWorkEnd]) return undefined;
  const days = checked(state, B.profileWorkDays)
    .map(Number)
    .filter((d) => Number.isInteger(d) && d >= 1 && d <= 7);
  const minute = (id: string, fallback: number) => {
    const v = option(state, id);
    const n = v === null ? fallback : Number(v);
    return Number.isInteger(n) && n >= 0 && n <= 1440 ? n : fallback;
  };
  const hours: WorkingHours = {
    days: [...new Set(days)].sort((a, b) => a - b),
    startMinute: minute(B.profileWorkStart, DEFAULT_WORKING_HOURS.startMinute),
    endMinute: minute(B.profileWorkEnd, DEFAULT_WORKING_HOURS.endMinute),
  };
  const problem = workingHoursProblem(hours);
  if (problem) errors[hours.days.length === 0 ? B.profileWorkDays : B.profileWorkEnd] = problem;
  return hours;
}

function tagsOf(raw: string, label: string, blockId: string, errors: FieldErrors): string[] {
  const tags = splitTags(raw);
  const long = tags.find((t) => t.length > MAX_TAG_LENGTH);
  if (long)
    errors[blockId] = `Keep each ${label} under ${MAX_TAG_LENGTH} characters ("${long.slice(0, 20)}…").`;
  else if (tags.length > MAX_TAGS)
    errors[blockId] = `List at most ${MAX_TAGS} ${label}s, separated by commas.`;
  return tags;
}

/** The profile modal's answers; the caller's own id is dropped from "don't pair me with". */
export function parseProfileForm(raw: unknown, userId: string): FormResult<ProfileForm> {
  const state = readViewState(raw);
  if (!state) return { ok: false, errors: { [B.profileDepartment]: 'Something was off; please try again.' } };
  const errors: FieldErrors = {};
  const department = text(state, B.profileDepartment).replace(/\s+/g, ' ');
  if (department.length > MAX_DEPARTMENT_LENGTH) {
    errors[B.profileDepartment] = `Keep the department under ${MAX_DEPARTMENT_LENGTH} characters.`;
  }
  const expertise = tagsOf(text(state, B.profileExpertise), 'topic', B.profileExpertise, errors);
  const interests = tagsOf(text(state, B.profileInterests), 'interest', B.profileInterests, errors);
  const doNotPair = [...new Set(users(state, B.profileDoNotPair))].filter((id) => id !== userId);
  if (doNotPair.length > MAX_DO_NOT_PAIR) {
    errors[B.profileDoNotPair] = `Pick at most ${MAX_DO_NOT_PAIR} people.`;
  }
  const workingHours = workingHoursOf(state, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      department: department === '' ? null : department,
      expertise,
      interests,
      doNotPair,
      giveDms: checked(state, B.profileGiveDms).includes('on'),
      ...(workingHours ? { workingHours } : {}),
    },
  };
}

// ----- settings modal --------------------------------------------------------------------------------------

export interface SettingsForm {
  cadence: Cadence;
  weekday: number;
  hour: number;
  tz: string;
  groupSize: number;
  repeatWindow: number;
  headsUp: boolean;
  /** Slack profile field id, 'title', or null for automatic. */
  departmentField: string | null;
  // Fields below are undefined when the submitted modal did not have them (then they stay as they are).
  recap?: boolean;
  /** null turns the digest off. */
  digestChannelId?: string | null;
  digestWeekday?: number;
  leaderboard?: boolean;
  giveEmoji?: string;
  dailyGiveCap?: number;
  reconnectDays?: number;
  /** Days a workspace's data is kept after an uninstall. */
  purgeGraceDays?: number;
}

/** Fields of the settings modal that change workspace-wide settings or the program's recap. */
type SettingsExtras = Pick<SettingsForm, 'recap' | AdminWorkspaceSetting>;

/** A whole number from `min` to `max` written as digits. */
const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const channelIdSchema = z.string().regex(/^[CG][A-Z0-9]{2,20}$/);
/** A give emoji as admins type it (`gift`, `:Taco:`), stored bare and lower-case; empty means the default. */
const giveEmojiSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^:+|:+$/g, '').toLowerCase())
  .transform((s) => (s === '' ? workspaceSettingsSchema.shape.giveEmoji.parse(undefined) : s))
  .pipe(
    z
      .string()
      .max(100)
      .regex(/^[a-z0-9_+-]+$/),
  );

/** The digest, leaderboard, recap, give, reconnect and purge grace fields; each is read only when the modal had it. */
function parseSettingsExtras(state: ViewState, errors: FieldErrors): SettingsExtras {
  const out: SettingsExtras = {};
  const has = (id: string) => field(state, id) !== undefined;
  if (has(B.settingsRecap)) out.recap = checked(state, B.settingsRecap).includes('on');
  if (has(B.settingsLeaderboard)) out.leaderboard = checked(state, B.settingsLeaderboard).includes('on');
  if (has(B.settingsDigestWeekday)) {
    const day = option(state, B.settingsDigestWeekday);
    const weekday = intIn(1, 7).safeParse(day);
    if (weekday.success) out.digestWeekday = weekday.data;
    else if (day === DIGEST_OFF) out.digestChannelId = null;
    else errors[B.settingsDigestWeekday] = 'Pick a day for the digest, or Off.';
  }
  if (has(B.settingsDigestChannel)) {
    const el = field(state, B.settingsDigestChannel);
    const picked = el?.selected_conversation ?? el?.selected_channel ?? null;
    const channel = channelIdSchema.safeParse(picked);
    if (picked !== null && !channel.success) {
      errors[B.settingsDigestChannel] = 'Pick a channel for the digest (not a direct message).';
    } else if (out.digestChannelId !== null) {
      // Off wins over a picked channel: Slack gives no way to clear the picker.
      out.digestChannelId = channel.success ? channel.data : null;
    }
  }
  if (has(B.settingsGiveEmoji)) {
    const emoji = giveEmojiSchema.safeParse(text(state, B.settingsGiveEmoji));
    if (emoji.success) out.giveEmoji = emoji.data;
    else errors[B.settingsGiveEmoji] = 'Type an emoji name such as gift or taco (letters, digits, - _ +).';
  }
  const number = (id: string, min: number, max: number, message: string) => {
    if (!has(id)) return undefined;
    const raw = text(state, id);
    const r = intIn(min, max).safeParse(raw === '' ? null : raw);
    if (!r.success) errors[id] = message;
    return r.success ? r.data : undefined;
  };
  const cap = number(B.settingsDailyGiveCap, 1, 100, 'Use a whole number of gives from 1 to 100.');
  if (cap !== undefined) out.dailyGiveCap = cap;
  const days = number(B.settingsReconnectDays, 60, 120, 'Use a whole number of days from 60 to 120.');
  if (days !== undefined) out.reconnectDays = days;
  const grace = number(B.settingsPurgeGraceDays, 0, 365, 'Use a whole number of days from 0 to 365.');
  if (grace !== undefined) out.purgeGraceDays = grace;
  return out;
}

/** The settings modal's answers, each checked against what a program can hold. */
export function parseSettingsForm(raw: unknown): FormResult<SettingsForm> {
  const state = readViewState(raw);
  if (!state) return { ok: false, errors: { [B.settingsCadence]: 'Something was off; please try again.' } };
  const errors: FieldErrors = {};
  const cadence = option(state, B.settingsCadence);
  const weekday = intIn(1, 7).safeParse(option(state, B.settingsWeekday));
  const hour = intIn(0, 23).safeParse(option(state, B.settingsHour));
  const tz = text(state, B.settingsTz);
  const groupSize = intIn(2, 3).safeParse(option(state, B.settingsGroupSize));
  const windowText = text(state, B.settingsRepeatWindow);
  const repeatWindow = intIn(0, 52).safeParse(windowText === '' ? null : windowText);
  if (!CADENCES.includes(cadence as Cadence)) errors[B.settingsCadence] = 'Pick how often rounds run.';
  if (!weekday.success) errors[B.settingsWeekday] = 'Pick a weekday.';
  if (!hour.success) errors[B.settingsHour] = 'Pick an hour.';
  if (!isValidTimeZone(tz)) {
    errors[B.settingsTz] = 'Use a time zone name like Europe/Berlin or America/New_York.';
  }
  if (!groupSize.success) errors[B.settingsGroupSize] = 'Pick 2 or 3 people per group.';
  if (!repeatWindow.success) errors[B.settingsRepeatWindow] = 'Use a whole number of rounds from 0 to 52.';
  const extras = parseSettingsExtras(state, errors);
  if (
    Object.keys(errors).length > 0 ||
    !weekday.success ||
    !hour.success ||
    !groupSize.success ||
    !repeatWindow.success
  ) {
    return { ok: false, errors };
  }
  const dept = option(state, B.settingsDepartmentField);
  return {
    ok: true,
    value: {
      cadence: cadence as Cadence,
      weekday: weekday.data,
      hour: hour.data,
      tz,
      groupSize: groupSize.data,
      repeatWindow: repeatWindow.data,
      headsUp: checked(state, B.settingsHeadsUp).includes('on'),
      departmentField: dept === null || dept === 'auto' ? null : dept.slice(0, 100),
      ...extras,
    },
  };
}

// ----- introduce modal -------------------------------------------------------------------------------------

export interface IntroduceForm {
  userIds: [string, string];
  reason: string;
}

/** The introduce modal's answers: exactly two people and an optional reason. */
export function parseIntroduceForm(raw: unknown): FormResult<IntroduceForm> {
  const state = readViewState(raw);
  if (!state) return { ok: false, errors: { [B.introducePeople]: 'Something was off; please try again.' } };
  const people = [...new Set(users(state, B.introducePeople))];
  const reason = text(state, B.introduceReason);
  const errors: FieldErrors = {};
  if (people.length !== 2) errors[B.introducePeople] = 'Pick exactly two people to introduce to each other.';
  if (reasonLength(reason) > MAX_REASON_LENGTH) {
    errors[B.introduceReason] =
      `Keep the reason under ${MAX_REASON_LENGTH.toLocaleString('en-US')} characters.`;
  }
  const [a, b] = people;
  if (Object.keys(errors).length > 0 || a === undefined || b === undefined) return { ok: false, errors };
  return { ok: true, value: { userIds: [a, b], reason } };
}

// ----- private metadata and action values ------------------------------------------------------------------

const slackId = z.string().regex(/^[A-Z0-9]{2,20}$/);

/** What the settings modal carries between opening and submission. */
export const settingsMetadataSchema = z.object({ programId: z.string().min(1).max(64), channelId: slackId });
/** What the profile and introduce modals carry: where they were opened from (for the confirmation). */
export const channelMetadataSchema = z.object({ channelId: slackId.optional() });

/** Parses a modal's private metadata (JSON text) with `schema`; undefined when malformed. */
export function parseMetadata<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    // Not JSON: treated like any other malformed metadata.
    return undefined;
  }
}

/** The value of an Accept / Not now button: the intro's id. */
export const introIdSchema = z.string().regex(/^[0-9a-f-]{36}$/i);

/** The value of a "Request intro" button: who, and the topic they were found for. */
export const introRequestValueSchema = z.object({
  u: slackId,
  t: z.string().max(200),
});
export type IntroRequestValue = z.infer<typeof introRequestValueSchema>;

/** Encodes a "Request intro" button value. */
export function encodeIntroRequest(value: IntroRequestValue): string {
  return JSON.stringify(value);
}

/** Decodes a "Request intro" button value; undefined when it is not one Weave made. */
export function parseIntroRequest(raw: unknown): IntroRequestValue | undefined {
  return parseMetadata(introRequestValueSchema, raw);
}

/** Decodes an Accept / Not now button value. */
export function parseIntroId(raw: unknown): string | undefined {
  const r = introIdSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}
