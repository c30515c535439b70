// `/intro admin`: the settings modal of the program in a channel, plus the workspace's department field.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Cadence } from '../../domain/schedule/cadence.ts';
import {
  type AdminWorkspaceSetting,
  type WorkspaceSettings,
  workspaceSettingsSchema,
} from '../../domain/settings.ts';
import {
  ADMINS_ONLY,
  type SettingsOpenResult,
  type SettingsSaveResult,
} from '../../services/admin-settings.ts';
import { INTRO_BLOCKS as B, CALLBACKS, DIGEST_OFF } from '../ids.ts';
import { buildErrorReply, type CommandReply } from './help.ts';
import {
  checkbox,
  formModal,
  inputBlock,
  noticeModal,
  numberInput,
  plainText,
  select,
  textInput,
} from './inputs.ts';
import { truncate } from './text.ts';

/** The workspace-wide settings the modal shows and the confirmation describes. */
type ShownWorkspaceSettings = Pick<WorkspaceSettings, AdminWorkspaceSetting>;

/** The program settings the modal edits. */
export interface SettingsModalInput {
  programId: string;
  channelId: string;
  cadence: string;
  weekday: number;
  hour: number;
  tz: string;
  groupSize: number;
  repeatWindow: number;
  headsUp: boolean;
  /** Weekly recap in the program channel (default on). */
  recap?: boolean;
  /** Workspace-wide settings shown in the modal (defaults when absent). */
  workspace?: ShownWorkspaceSettings;
  /** Current department field: a profile field id, 'title', or null (automatic). */
  departmentField: string | null;
  /** The workspace's custom profile fields, when Slack told us. */
  profileFields: Array<{ id: string; label: string }>;
  /** Whether the program was started by this `/intro admin`. */
  created: boolean;
}

const CADENCE_LABELS: Record<Cadence, string> = {
  weekly: 'Every week',
  biweekly: 'Every 2 weeks',
  every4weeks: 'Every 4 weeks',
};
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const opt = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(text, 75) },
  value,
});
const HEADS_UP = opt('Remind members the day before a round (they can skip it)', 'on');
const RECAP = opt('Post a weekly recap in this channel on Fridays', 'on');
const LEADERBOARD = opt('Show who was thanked most in the digest (per-person counts)', 'on');

/** The workspace-wide inputs: thank-you digest, leaderboard, give emoji and cap, reconnect delay, data kept after an uninstall. */
function workspaceBlocks(w: NonNullable<SettingsModalInput['workspace']>): KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*For the whole workspace*' },
    },
    inputBlock(
      B.settingsDigestChannel,
      'Weekly thank-you digest channel',
      {
        type: 'conversations_select',
        placeholder: plainText('No digest'),
        filter: {
          include: ['public', 'private'],
          exclude_bot_users: true,
          exclude_external_shared_channels: true,
        },
        ...(w.digestChannelId ? { initial_conversation: w.digestChannelId } : {}),
      },
      {
        optional: true,
        hint: "The week's gives, grouped by kind, at 16:00. Leave empty for no digest. Weave joins public channels; invite it to private ones.",
      },
    ),
    select(
      B.settingsDigestWeekday,
      'Digest day',
      [...WEEKDAY_NAMES.map((d, i) => opt(d, String(i + 1))), opt('Off (no digest)', DIGEST_OFF)],
      String(w.digestWeekday),
      'Pick Off to stop the digest.',
    ),
    checkbox(B.settingsLeaderboard, 'Leaderboard', LEADERBOARD, w.leaderboard),
    textInput(B.settingsGiveEmoji, 'Give emoji', {
      hint: 'Used in a message with a mention, or as a reaction, it records a give. E.g. gift or taco.',
      maxLength: 100,
      initial: w.giveEmoji,
    }),
    numberInput(
      B.settingsDailyGiveCap,
      'Gives per person per day',
      1,
      100,
      w.dailyGiveCap,
      "Resets at each giver's local midnight.",
    ),
    numberInput(
      B.settingsReconnectDays,
      'Reconnect nudge after (days)',
      60,
      120,
      w.reconnectDays,
      'How long after people met Weave offers to reconnect them: 60 to 120 days.',
    ),
    numberInput(
      B.settingsPurgeGraceDays,
      'Keep data after uninstall (days)',
      0,
      365,
      w.purgeGraceDays,
      'If Weave is uninstalled, its data here is deleted after this many days (0 = at once). Reinstalling before then keeps it.',
    ),
  ];
}

/** The settings modal, prefilled with the program's current settings. */
export function buildSettingsModal(s: SettingsModalInput): ModalView {
  const fieldOptions = [
    opt('Automatic (a field named Department, Team or Division)', 'auto'),
    opt('Job title', 'title'),
    ...s.profileFields.slice(0, 50).map((f) => opt(`Profile field: ${f.label}`, f.id.slice(0, 150))),
  ];
  if (s.departmentField && !fieldOptions.some((o) => o.value === s.departmentField)) {
    fieldOptions.push(opt(`Profile field ${s.departmentField}`, s.departmentField.slice(0, 150)));
  }
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${s.created ? `:tada: Weave's pairing program has started in <#${s.channelId}>. ` : ''}Settings for the pairing program in <#${s.channelId}>.`,
      },
    },
    select(
      B.settingsCadence,
      'How often',
      (Object.keys(CADENCE_LABELS) as Cadence[]).map((c) => opt(CADENCE_LABELS[c], c)),
      s.cadence,
    ),
    select(
      B.settingsWeekday,
      'Day',
      WEEKDAY_NAMES.map((d, i) => opt(d, String(i + 1))),
      String(s.weekday),
    ),
    select(
      B.settingsHour,
      'Time',
      Array.from({ length: 24 }, (_, h) => opt(`${String(h).padStart(2, '0')}:00`, String(h))),
      String(s.hour),
    ),
    textInput(B.settingsTz, 'Time zone', {
      hint: 'An IANA name, e.g. Europe/Berlin, America/New_York, Asia/Kolkata.',
      maxLength: 64,
      initial: s.tz,
    }),
    select(
      B.settingsGroupSize,
      'People per group',
      [opt('2 (pairs)', '2'), opt('3 (trios)', '3')],
      String(s.groupSize),
    ),
    numberInput(
      B.settingsRepeatWindow,
      'Avoid repeat pairs for (rounds)',
      0,
      52,
      s.repeatWindow,
      'People who met within this many rounds are not paired again.',
    ),
    checkbox(B.settingsHeadsUp, 'Heads-up', HEADS_UP, s.headsUp),
    checkbox(B.settingsRecap, 'Weekly recap', RECAP, s.recap ?? true),
    ...workspaceBlocks(s.workspace ?? workspaceSettingsSchema.parse({})),
    select(
      B.settingsDepartmentField,
      'Department comes from',
      fieldOptions,
      s.departmentField ?? 'auto',
      'For the whole workspace. Members can still set their own with /intro profile.',
    ),
  ];
  const metadata = { programId: s.programId, channelId: s.channelId };
  return formModal(CALLBACKS.settings, 'Weave settings', 'Save', metadata, blocks);
}

/** The private confirmation an admin sees after saving. */
export function describeSchedule(
  s: Pick<
    SettingsModalInput,
    'cadence' | 'weekday' | 'hour' | 'tz' | 'groupSize' | 'repeatWindow' | 'headsUp'
  >,
): string {
  const cadence = CADENCE_LABELS[s.cadence as Cadence] ?? s.cadence;
  const day = WEEKDAY_NAMES[s.weekday - 1] ?? `day ${s.weekday}`;
  return `${cadence} on ${day} at ${String(s.hour).padStart(2, '0')}:00 (${s.tz}), groups of ${s.groupSize}, no repeats within ${s.repeatWindow} rounds, heads-up ${s.headsUp ? 'on' : 'off'}`;
}

/** The workspace-wide part of the confirmation: digest, leaderboard, give emoji and cap, reconnect delay, data kept after an uninstall. */
export function describeWorkspaceSettings(w: ShownWorkspaceSettings): string {
  const day = WEEKDAY_NAMES[w.digestWeekday - 1] ?? `day ${w.digestWeekday}`;
  const digest = w.digestChannelId
    ? `thank-you digest in <#${w.digestChannelId}> on ${day}s at 16:00`
    : 'thank-you digest off';
  return `${digest}, leaderboard ${w.leaderboard ? 'on' : 'off'}, give emoji :${w.giveEmoji}:, up to ${w.dailyGiveCap} gives per person per day, reconnect nudges after ${w.reconnectDays} days, data kept ${w.purgeGraceDays} days after an uninstall`;
}

/** What the settings modal turns into once saved. */
export function buildSettingsSavedView(channelId: string, summary: string): ModalView {
  return {
    type: 'modal',
    callback_id: `${CALLBACKS.settings}_saved`,
    title: { type: 'plain_text', text: 'Settings saved' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`:white_check_mark: Saved for <#${channelId}>: ${summary}.`, 3000),
        },
      },
    ],
  };
}

/** Shown while a submitted settings form is being saved. */
export function buildSettingsSavingView(channelId: string): ModalView {
  return noticeModal(
    `${CALLBACKS.settings}_saving`,
    'Saving settings',
    `:hourglass_flowing_sand: Saving the settings for <#${channelId}>…`,
  );
}

/** Shown when the settings could not be saved (e.g. the caller is no longer an admin). */
export function buildSettingsFailedView(channelId: string, reason: string): ModalView {
  return noticeModal(
    `${CALLBACKS.settings}_failed`,
    'Not saved',
    `:warning: The settings for <#${channelId}> were not saved. ${reason}`,
  );
}

/** The reply to `/intro admin`: the modal opened, or why not. */
export function buildSettingsOpenReply(r: SettingsOpenResult): CommandReply {
  switch (r.code) {
    case 'not_a_channel':
      return buildErrorReply(
        'Run `/intro admin` in the channel you want to use for pairing (e.g. #coffee); Weave starts a program there.',
      );
    case 'no_trigger':
      return buildErrorReply('Slack did not send what Weave needs to open the settings. Try again.');
    case 'invite_first':
      return buildErrorReply(
        `Weave isn't in <#${r.channelId}> and can't join a private channel by itself. Invite it first (\`/invite @Weave\` in the channel), then run \`/intro admin\` again.`,
      );
    case 'channel_unreadable':
      return buildErrorReply(
        `Weave couldn't check <#${r.channelId}> (${r.error}). Please try again in a minute.`,
      );
    case 'join_failed':
      return buildErrorReply(
        `Weave couldn't join <#${r.channelId}> (${r.error}). Invite it (\`/invite @Weave\`), then run \`/intro admin\` again.`,
      );
    case 'open_failed':
      return buildErrorReply(
        `${programStarted(r)}Weave couldn't open the settings window (${r.error}). Please run \`/intro admin\` again.`,
      );
    case 'opened':
      return {
        response_type: 'ephemeral',
        text: `${programStarted(r)}Opened the settings for <#${r.channelId}>.`,
      };
  }
}

function programStarted(r: { started: boolean; channelId: string; tz: string }): string {
  return r.started
    ? `Started Weave's pairing program in <#${r.channelId}>: weekly, Monday 10:00 (${r.tz}). `
    : '';
}

/** What saving the settings modal turned into: the saved settings described, or why not. */
export function buildSettingsSaveResultView(channelId: string, r: SettingsSaveResult): ModalView {
  if (r.ok)
    return buildSettingsSavedView(
      r.channelId,
      `${describeSchedule(r.program)}, weekly recap ${r.program.recap ? 'on' : 'off'}; ${describeWorkspaceSettings(r.workspace)}`,
    );
  return buildSettingsFailedView(
    channelId,
    r.code === 'not_admin' ? ADMINS_ONLY : 'This program no longer exists. Run `/intro admin` again.',
  );
}
