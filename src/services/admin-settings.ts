import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { PromptRepository } from '../persistence/repositories/prompts.ts';
import type { WorkspaceRepository } from '../persistence/repositories/workspaces.ts';
import { INTRO_BLOCKS } from '../slack/ids.ts';
import type { FieldErrors, SettingsForm } from '../slack/parsers/view-state.ts';
import { buildErrorReply, type CommandReply } from '../slack/views/help.ts';
import {
  buildSettingsModal,
  describeSchedule,
  describeWorkspaceSettings,
} from '../slack/views/settings-modal.ts';
import type { MemberService } from './members.ts';
import type { Clock, ProfileField, SlackGateway } from './ports.ts';
import type { ProgramService } from './programs.ts';

/** How long `/intro admin` waits for Slack's profile fields before opening the modal without them. */
const PROFILE_FIELDS_BUDGET_MS = 1000;

/**
 * Named as an admin in WEAVE_ADMIN_IDS: `T…:U…` names a user of one workspace; a bare `U…` (accepted in
 * single-workspace mode only, see config) names that user wherever the token serves.
 */
export function namedInConfig(adminIds: string[], workspaceId: string, userId: string): boolean {
  return adminIds.includes(`${workspaceId}:${userId}`) || adminIds.includes(userId);
}

/** Admins: Slack workspace admins/owners (synced), ids from the config, ids named in workspace settings. */
export function createAdminCheck(deps: {
  members: Pick<MemberService, 'get'>;
  workspaces: Pick<WorkspaceRepository, 'settings'>;
  adminIds: string[];
}) {
  return async function isAdmin(workspaceId: string, userId: string): Promise<boolean> {
    if (namedInConfig(deps.adminIds, workspaceId, userId)) return true;
    if ((await deps.workspaces.settings(workspaceId)).adminIds.includes(userId)) return true;
    return Boolean((await deps.members.get(workspaceId, userId))?.isAdmin);
  };
}
export type AdminCheck = ReturnType<typeof createAdminCheck>;

export const ADMINS_ONLY =
  'Only workspace admins (or people an admin named in Weave settings) can do that. Try `/intro help` for what you can do.';

/** `/intro admin`: the settings modal of a channel's program (started on the spot if there is none). */
export function createAdminSettingsService(deps: {
  prisma: Prisma;
  programs: ProgramService;
  members: MemberService;
  workspaces: WorkspaceRepository;
  prompts: PromptRepository;
  slack: SlackGateway;
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
   * channel itself; a private one needs an invite, which only a member can give. Returns what to tell
   * the admin when Weave can't be there, else null.
   */
  async function ensureInChannel(workspaceId: string, channelId: string): Promise<string | null> {
    const inviteFirst = `Weave isn't in <#${channelId}> and can't join a private channel by itself. Invite it first (\`/invite @Weave\` in the channel), then run \`/intro admin\` again.`;
    const info = await deps.slack.channelInfo(workspaceId, channelId);
    // A private channel Weave is not in is invisible to it: Slack answers channel_not_found.
    if (!info.ok) {
      if (info.error === 'channel_not_found') return inviteFirst;
      return `Weave couldn't check <#${channelId}> (${info.error}). Please try again in a minute.`;
    }
    if (info.isMember) return null;
    if (!info.isPublic) return inviteFirst;
    const joined = await deps.slack.joinChannel(workspaceId, channelId);
    if (joined.ok) return null;
    log.warn({ workspaceId, channelId, error: joined.error }, 'could not join the program channel');
    return `Weave couldn't join <#${channelId}> (${joined.error}). Invite it (\`/invite @Weave\`), then run \`/intro admin\` again.`;
  }

  return {
    /** Opens the settings modal (the caller has been checked as an admin). */
    async open(input: {
      workspaceId: string;
      userId: string;
      channelId: string;
      triggerId?: string;
    }): Promise<CommandReply> {
      if (!/^[CG]/.test(input.channelId)) {
        return buildErrorReply(
          'Run `/intro admin` in the channel you want to use for pairing (e.g. #coffee); Weave starts a program there.',
        );
      }
      if (!input.triggerId)
        return buildErrorReply('Slack did not send what Weave needs to open the settings. Try again.');
      const existing = await deps.programs.forChannel(input.workspaceId, input.channelId);
      if (!existing) {
        const refused = await ensureInChannel(input.workspaceId, input.channelId);
        if (refused) return buildErrorReply(refused);
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
        buildSettingsModal({
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
      const started = created
        ? `Started Weave's pairing program in <#${program.channelId}>: weekly, Monday 10:00 (${program.tz}). `
        : '';
      if (!opened.ok) {
        log.warn(
          { workspaceId: input.workspaceId, error: opened.error },
          'could not open the settings modal',
        );
        return buildErrorReply(
          `${started}Weave couldn't open the settings window (${opened.error}). Please run \`/intro admin\` again.`,
        );
      }
      return {
        response_type: 'ephemeral',
        text: `${started}Opened the settings for <#${program.channelId}>.`,
      };
    },

    /** Saves the settings modal; errors are shown under the fields. */
    async save(input: {
      workspaceId: string;
      userId: string;
      programId: string;
      form: SettingsForm;
    }): Promise<{ ok: true; channelId: string; summary: string } | { ok: false; errors: FieldErrors }> {
      const firstField = INTRO_BLOCKS.settingsCadence;
      if (!(await deps.isAdmin(input.workspaceId, input.userId))) {
        return { ok: false, errors: { [firstField]: ADMINS_ONLY } };
      }
      const program = await deps.prisma.program.findFirst({
        where: { id: input.programId, workspaceId: input.workspaceId },
      });
      if (!program) {
        return {
          ok: false,
          errors: { [firstField]: 'This program no longer exists. Run `/intro admin` again.' },
        };
      }
      const f = input.form;
      await deps.prisma.program.update({
        where: { id: program.id },
        data: {
          cadence: f.cadence,
          weekday: f.weekday,
          hour: f.hour,
          tz: f.tz,
          groupSize: f.groupSize,
          repeatWindow: f.repeatWindow,
          headsUp: f.headsUp,
          ...(f.recap === undefined ? {} : { recap: f.recap }),
        },
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
      const recap = f.recap ?? program.recap;
      return {
        ok: true,
        channelId: program.channelId,
        summary: `${describeSchedule(f)}, weekly recap ${recap ? 'on' : 'off'}; ${describeWorkspaceSettings(saved)}`,
      };
    },
  };
}
export type AdminSettingsService = ReturnType<typeof createAdminSettingsService>;
