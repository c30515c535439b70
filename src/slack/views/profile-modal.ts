// `/intro profile` and "Edit profile": department, expertise offered, interests, "don't pair me with"
// (private) and give DMs.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../domain/schedule/index.ts';
import { INTRO_BLOCKS as B, CALLBACKS } from '../ids.ts';
import { MAX_DEPARTMENT_LENGTH, MAX_DO_NOT_PAIR } from '../parsers/view-state.ts';
import { checkbox, formModal, inputBlock, select, textInput, usersInput } from './inputs.ts';
import { truncate } from './text.ts';

/** What the profile modal shows. */
export interface ProfileModalInput {
  /** Set in Weave by the member (wins over Slack's). */
  department: string | null;
  /** From the admin-chosen Slack profile field. */
  slackDepartment: string | null;
  expertise: string[];
  interests: string[];
  doNotPair: string[];
  giveDms: boolean;
  /** Working days and hours, in the member's Slack time zone (default Mon–Fri 09:00–17:00). */
  workingHours?: WorkingHours;
  tz?: string;
  channelId?: string;
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const dayOption = (day: number): PlainTextOption => ({
  text: { type: 'plain_text', text: DAY_NAMES[day - 1] ?? String(day) },
  value: String(day),
});
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
/** Half-hour times from `first` to `last` minutes (values are minutes of the day). */
const timeOptions = (first: number, last: number): PlainTextOption[] => {
  const out: PlainTextOption[] = [];
  for (let m = first; m <= last; m += 30)
    out.push({ text: { type: 'plain_text', text: hhmm(m) }, value: String(m) });
  return out;
};

/** Working days (checkboxes) and start and end time (half hours) of the profile modal. */
function workingHoursBlocks(h: WorkingHours, tz: string): KnownBlock[] {
  const days = [1, 2, 3, 4, 5, 6, 7].map(dayOption);
  return [
    inputBlock(
      B.profileWorkDays,
      'Working days',
      {
        type: 'checkboxes',
        options: days,
        initial_options: days.filter((d) => h.days.includes(Number(d.value))),
      },
      { hint: 'Weave suggests meeting times and sends its messages on these days only.' },
    ),
    select(
      B.profileWorkStart,
      'Working hours start',
      timeOptions(0, 23 * 60 + 30),
      String(h.startMinute),
      `In your Slack time zone (${truncate(tz, 60)}).`,
    ),
    select(B.profileWorkEnd, 'Working hours end', timeOptions(30, 24 * 60 - 30), String(h.endMinute)),
  ];
}

const GIVE_DMS_OPTION: PlainTextOption = {
  text: { type: 'plain_text', text: 'DM me when someone thanks me with a give' },
  value: 'on',
};

/** The profile modal, prefilled with what Weave knows (department defaults to the Slack profile's). */
export function buildProfileModal(p: ProfileModalInput): ModalView {
  const department = (p.department ?? p.slackDepartment ?? '').slice(0, MAX_DEPARTMENT_LENGTH);
  const list = (tags: string[]) => (tags.length ? truncate(tags.join(', '), 3000) : undefined);
  const blocks: KnownBlock[] = [
    textInput(B.profileDepartment, 'Department', {
      optional: true,
      hint: p.slackDepartment
        ? `From your Slack profile: ${truncate(p.slackDepartment, 100)}. Change it here if that's not right.`
        : 'Weave pairs you with people from other departments.',
      maxLength: MAX_DEPARTMENT_LENGTH,
      placeholder: 'e.g. Engineering',
      initial: department || undefined,
    }),
    textInput(B.profileExpertise, 'I can help with', {
      optional: true,
      hint: 'Comma-separated. People find you with /intro find <topic>.',
      multiline: true,
      maxLength: 3000,
      placeholder: 'pricing, Kubernetes, hiring',
      initial: list(p.expertise),
    }),
    textInput(B.profileInterests, 'Interests', {
      optional: true,
      hint: 'Comma-separated. Used for conversation starters.',
      multiline: true,
      maxLength: 3000,
      placeholder: 'climbing, jazz, sourdough',
      initial: list(p.interests),
    }),
    usersInput(B.profileDoNotPair, "Don't pair me with", {
      optional: true,
      hint: 'Private: only you see this list, and nobody is told.',
      max: MAX_DO_NOT_PAIR,
      placeholder: 'Nobody',
      initial: p.doNotPair,
    }),
    ...workingHoursBlocks(p.workingHours ?? DEFAULT_WORKING_HOURS, p.tz ?? 'UTC'),
    checkbox(B.profileGiveDms, 'Notifications', GIVE_DMS_OPTION, p.giveDms),
  ];
  const metadata = p.channelId ? { channelId: p.channelId } : {};
  return formModal(CALLBACKS.profile, 'Your Weave profile', 'Save', metadata, blocks);
}
