// Every command, action, callback and block id Weave uses. Listeners and builders import these;
// tests check commands and events against manifest.yml.

export const COMMANDS = { intro: '/intro', give: '/give' } as const;

/** Bot events the app subscribes to (must equal manifest.yml settings.event_subscriptions.bot_events). */
export const BOT_EVENTS = [
  'app_home_opened',
  'app_uninstalled',
  'tokens_revoked',
  'member_joined_channel',
  'member_left_channel',
  'team_join',
  'message.channels',
  'message.groups',
  'message.im',
  'reaction_added',
  'reaction_removed',
  'user_change',
] as const;

export const ACTIONS = {
  introAccept: 'intro_accept',
  introDecline: 'intro_decline',
  introRequest: 'intro_request',
  checkInMet: 'checkin_met',
  checkInNotYet: 'checkin_not_yet',
  checkInNotHappening: 'checkin_not_happening',
  thankPartner: 'thank_partner',
  thankConnector: 'thank_connector',
  reconnectYes: 'reconnect_yes',
  reconnectNotNow: 'reconnect_not_now',
  reconnectNever: 'reconnect_never',
  openProfile: 'open_profile',
  pauseToggle: 'pause_toggle',
  resume: 'resume',
  skip: 'skip_round',
  exportData: 'export_data',
  forgetConfirm: 'forget_confirm',
  skipFromHeadsUp: 'heads_up_skip',
  openSettings: 'open_settings',
  openDashboard: 'open_dashboard',
  meetingPick: 'meeting_pick',
  meetingNone: 'meeting_none',
} as const;

/**
 * A "Thank them" button's action_id: one button per partner sits in one actions block, and Slack
 * wants action_ids unique within a block, so each carries the partner's id.
 */
export const thankPartnerActionId = (partnerId: string) => `${ACTIONS.thankPartner}:${partnerId}`;
/** Matches every "Thank them" button (also the plain id of offers sent before ids carried the partner). */
export const THANK_PARTNER_ACTION = /^thank_partner(?::[A-Z0-9]+)?$/;

export const CALLBACKS = {
  profile: 'profile_modal',
  settings: 'settings_modal',
  introduce: 'introduce_modal',
  give: 'give_modal',
  departments: 'departments_modal',
} as const;

/** Block and element ids of the `/intro` modals and messages (each input uses the same id for both). */
export const INTRO_BLOCKS = {
  profileDepartment: 'profile_department',
  profileExpertise: 'profile_expertise',
  profileInterests: 'profile_interests',
  profileDoNotPair: 'profile_do_not_pair',
  profileGiveDms: 'profile_give_dms',
  profileWorkDays: 'profile_work_days',
  profileWorkStart: 'profile_work_start',
  profileWorkEnd: 'profile_work_end',
  settingsCadence: 'settings_cadence',
  settingsWeekday: 'settings_weekday',
  settingsHour: 'settings_hour',
  settingsTz: 'settings_tz',
  settingsGroupSize: 'settings_group_size',
  settingsRepeatWindow: 'settings_repeat_window',
  settingsHeadsUp: 'settings_heads_up',
  settingsDepartmentField: 'settings_department_field',
  settingsRecap: 'settings_recap',
  settingsDigestChannel: 'settings_digest_channel',
  settingsDigestWeekday: 'settings_digest_weekday',
  settingsLeaderboard: 'settings_leaderboard',
  settingsGiveEmoji: 'settings_give_emoji',
  settingsDailyGiveCap: 'settings_daily_give_cap',
  settingsReconnectDays: 'settings_reconnect_days',
  settingsPurgeGraceDays: 'settings_purge_grace_days',
  introducePeople: 'introduce_people',
  introduceReason: 'introduce_reason',
  introInviteActions: 'intro_invite_actions',
  forgetActions: 'forget_actions',
  departmentsMergeFrom: 'departments_merge_from',
  departmentsMergeInto: 'departments_merge_into',
  departmentsUnmerge: 'departments_unmerge',
  departmentsSource: 'departments_source',
  departmentsGroups: 'departments_groups',
  departmentsCsv: 'departments_csv',
} as const;

/** The settings modal's digest-day option that turns the digest off (Slack can't clear a channel picker). */
export const DIGEST_OFF = 'off';
