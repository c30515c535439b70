import { isWeaveAdmin, namedInConfig } from '../domain/admins.ts';
import type { AdminWorkspaceSetting, WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { MemberService } from './members.ts';
import type { PromptScheduler } from './membership.ts';
import type { Clock, ProfileField, SlackGateway } from './ports.ts';
import type { ProgramRepository, ProgramService, ProgramSettings } from './programs.ts';

/** Workspace settings as stored (src/persistence/repositories/workspaces.ts). */
export interface WorkspaceSettingsStore {
  /** The workspace's settings, defaults filled in. */
  settings(workspaceId: string): Promise<WorkspaceSettings>;
  /** Stores `patch` over the current settings; returns what is stored. */
  updateSettings(workspaceId: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
}

/** What the settings modal shows: a program's settings and the workspace's. */
export interface SettingsModalModel extends ProgramSettings {
  programId: string;
  channelId: string;
  workspace: WorkspaceSettings;
  departmentField: string | null;
  profileFields: ProfileField[];
  /** Whether this `/intro admin` started the program. */
  created: boolean;
}

/** How `/intro admin` went, with a stable code for each way. */
export type SettingsOpenResult =
  | { ok: false; code: 'not_a_channel' | 'no_trigger' }
  /** Weave is not in a private channel and cannot join it by itself. */
  | { ok: false; code: 'invite_first'; channelId: string }
  | { ok: false; code: 'channel_unreadable' | 'join_failed'; channelId: string; error: string }
  /** `started` when the program began with this command (then its time zone is `tz`). */
  | { ok: false; code: 'open_failed'; channelId: string; started: boolean; tz: string; error: string }
  | { ok: true; code: 'opened'; channelId: string; started: boolean; tz: string };

/** An ephemeral answer to a command (the Slack adapter's command reply has this shape). */
export interface AdminReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
}

/** The Slack adapter's rendering of `/intro admin`: the settings modal and the reply. */
export interface SettingsPresenter {
  settingsModal(model: SettingsModalModel): unknown;
  openReply(result: SettingsOpenResult): AdminReply;
}

/** The settings modal's answers, checked by the Slack adapter. */
export type SettingsInput = ProgramSettings & {
  /** Slack profile field id, 'title', or null for automatic. */
  departmentField: string | null;
} & Partial<Pick<WorkspaceSettings, AdminWorkspaceSetting>>;

/** How saving the settings went. */
export type SettingsSaveResult =
  | {
      ok: true;
      code: 'saved';
      channelId: string;
      /** The program settings as saved, with the weekly recap as it now is. */
      program: ProgramSettings & { recap: boolean };
      workspace: WorkspaceSettings;
    }
  | { ok: false; code: 'not_admin' | 'program_gone' };

/** How long `/intro admin` waits for Slack's profile fields before opening the modal without them. */
const PROFILE_FIELDS_BUDGET_MS = 1000;

/**
 * Named as an admin in WEAVE_ADMIN_IDS: `T…:U…` names a user of one workspace; a bare `U…` (accepted in
 * single-workspace mode only, see config) names that user wherever the token serves.
 */
export { namedInConfig };

/** Admins: Slack workspace admins/owners (synced), ids from the config, ids named in workspace settings. */
export function createAdminCheck(deps: {
  members: Pick<MemberService, 'get'>;
  workspaces: Pick<WorkspaceSettingsStore, 'settings'>;
  adminIds: string[];
}) {
  return async function isAdmin(workspaceId: string, userId: string): Promise<boolean> {
    if (namedInConfig(deps.adminIds, workspaceId, userId)) return true;
    const [settings, member] = await Promise.all([
      deps.workspaces.settings(workspaceId),
      deps.members.get(workspaceId, userId),
    ]);
    return isWeaveAdmin({
      namedInConfig: false,
      namedInSettings: settings.adminIds.includes(userId),
      member,
    });
  };
}
export type AdminCheck = ReturnType<typeof createAdminCheck>;

export const ADMINS_ONLY =
  'Only workspace admins (or people an admin named in Weave settings) can do that. Try `/intro help` for what you can do.';

/** `/intro admin`: the settings modal of a channel's program (started on the spot if there is none). */
export function createAdminSettingsService(deps: {
  programs: ProgramService;
  programRepo: Pick<ProgramRepository, 'byId' | 'updateSettings'>;
  members: MemberService;
  workspaces: WorkspaceSettingsStore;
  prompts: PromptScheduler;
  slack: SlackGateway;
  present: SettingsPresenter;
  isAdmin: AdminCheck;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'admin-settings' });

  async function profileFields(workspaceId: string): Promise<ProfileField[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), PROFILE_FIELDS_BUDGET_MS);
    });
    const r = await Promise.race([deps.slack.profileFields(workspaceId), late]);
    clearTimeout(timer);
    return r?.ok ? r.fields : [];
  }

  /**
   * A program needs Weave in its channel (to post, read members and hear joins): Weave joins a public
   * channel itself; a private one needs an invite, which only a member can give. Returns why Weave can't
   * be there, else null.
   */
  async function ensureInChannel(workspaceId: string, channelId: string): Promise<SettingsOpenResult | null> {
    const info = await deps.slack.channelInfo(workspaceId, channelId);
    // A private channel Weave is not in is invisible to it: Slack answers channel_not_found.
    if (!info.ok) {
      if (info.error === 'channel_not_found') return { ok: false, code: 'invite_first', channelId };
      return { ok: false, code: 'channel_unreadable', channelId, error: info.error };
    }
    if (info.isMember) return null;
    if (!info.isPublic) return { ok: false, code: 'invite_first', channelId };
    const joined = await deps.slack.joinChannel(workspaceId, channelId);
    if (joined.ok) return null;
    log.warn({ workspaceId, channelId, error: joined.error }, 'could not join the program channel');
    return { ok: false, code: 'join_failed', channelId, error: joined.error };
  }

  /** Opens the settings modal (the caller has been checked as an admin). */
  async function openSettings(input: {
    workspaceId: string;
    userId: string;
    channelId: string;
    triggerId?: string;
  }): Promise<SettingsOpenResult> {
    if (!/^[CG]/.test(input.channelId)) return { ok: false, code: 'not_a_channel' };
    if (!input.triggerId) return { ok: false, code: 'no_trigger' };
    const existing = await deps.programs.forChannel(input.workspaceId, input.channelId);
    if (!existing) {
      const refused = await ensureInChannel(input.workspaceId, input.channelId);
      if (refused) return refused;
    }
    const admin = existing ? null : await deps.members.get(input.workspaceId, input.userId);
    const { program, created } = existing
      ? { program: existing, created: false }
      : await deps.programs.start(input.workspaceId, input.channelId, input.userId, admin?.tz ?? 'UTC');
    const [settings, fields] = await Promise.all([
      deps.workspaces.settings(input.workspaceId),
      profileFields(input.workspaceId),
    ]);
    const opened = await deps.slack.openView(
      input.workspaceId,
      input.triggerId,
      deps.present.settingsModal({
        programId: program.id,
        channelId: program.channelId,
        cadence: program.cadence,
        weekday: program.weekday,
        hour: program.hour,
        tz: program.tz,
        groupSize: program.groupSize,
        repeatWindow: program.repeatWindow,
        headsUp: program.headsUp,
        recap: program.recap,
        workspace: settings,
        departmentField: settings.departmentField,
        profileFields: fields,
        created,
      }),
    );
    if (created) {
      // After the modal: the trigger id only lasts 3 seconds.
      await deps.prompts.schedule([
        {
          workspaceId: input.workspaceId,
          kind: 'program_welcome',
          key: `program_welcome:${program.id}`,
          payload: { channelId: program.channelId, programId: program.id },
          dueAt: deps.clock.now(),
        },
      ]);
      deps.onScheduled?.();
    }
    const shown = { channelId: program.channelId, started: created, tz: program.tz };
    if (!opened.ok) {
      log.warn({ workspaceId: input.workspaceId, error: opened.error }, 'could not open the settings modal');
      return { ok: false, code: 'open_failed', ...shown, error: opened.error };
    }
    return { ok: true, code: 'opened', ...shown };
  }

  return {
    openSettings,
    /** `openSettings` as the command's reply (for `/intro`, which answers with replies). */
    async open(input: {
      workspaceId: string;
      userId: string;
      channelId: string;
      triggerId?: string;
    }): Promise<AdminReply> {
      return deps.present.openReply(await openSettings(input));
    },

    /** Saves the settings modal for the program it was opened for. */
    async save(input: {
      workspaceId: string;
      userId: string;
      programId: string;
      form: SettingsInput;
    }): Promise<SettingsSaveResult> {
      if (!(await deps.isAdmin(input.workspaceId, input.userId))) return { ok: false, code: 'not_admin' };
      const program = await deps.programRepo.byId(input.workspaceId, input.programId);
      if (!program) return { ok: false, code: 'program_gone' };
      const f = input.form;
      await deps.programRepo.updateSettings(input.workspaceId, program.id, {
        cadence: f.cadence,
        weekday: f.weekday,
        hour: f.hour,
        tz: f.tz,
        groupSize: f.groupSize,
        repeatWindow: f.repeatWindow,
        headsUp: f.headsUp,
        ...(f.recap === undefined ? {} : { recap: f.recap }),
      });
      const settings = await deps.workspaces.settings(input.workspaceId);
      const departmentChanged = settings.departmentField !== f.departmentField;
      // Only what the form had: an older modal without the workspace fields leaves them as they are.
      const patch: Partial<WorkspaceSettings> = Object.fromEntries(
        Object.entries({
          digestChannelId: f.digestChannelId,
          digestWeekday: f.digestWeekday,
          leaderboard: f.leaderboard,
          giveEmoji: f.giveEmoji,
          dailyGiveCap: f.dailyGiveCap,
          reconnectDays: f.reconnectDays,
          purgeGraceDays: f.purgeGraceDays,
          ...(departmentChanged ? { departmentField: f.departmentField } : {}),
        }).filter(([, v]) => v !== undefined),
      );
      const saved =
        Object.keys(patch).length > 0
          ? await deps.workspaces.updateSettings(input.workspaceId, patch)
          : settings;
      if (departmentChanged) deps.members.forgetDepartmentField(input.workspaceId);
      log.info({ workspaceId: input.workspaceId, programId: program.id }, 'program settings saved');
      return {
        ok: true,
        code: 'saved',
        channelId: program.channelId,
        program: {
          cadence: f.cadence,
          weekday: f.weekday,
          hour: f.hour,
          tz: f.tz,
          groupSize: f.groupSize,
          repeatWindow: f.repeatWindow,
          headsUp: f.headsUp,
          recap: f.recap ?? program.recap,
        },
        workspace: saved,
      };
    },
  };
}
export type AdminSettingsService = ReturnType<typeof createAdminSettingsService>;
