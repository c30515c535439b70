// `/intro` and its subcommands at the Slack edge: parse the text, call the use case, render the outcome.
import type { Logger } from '../../../observability/logger.ts';
import { ADMINS_ONLY, type AdminCheck, type AdminSettingsService } from '../../../services/admin-settings.ts';
import type { DepartmentsService } from '../../../services/departments.ts';
import type { IntroCommandService } from '../../../services/intro-command.ts';
import type { IntroService } from '../../../services/intros.ts';
import type { Clock, SlackGateway } from '../../../services/ports.ts';
import type { PrivacyService } from '../../../services/privacy.ts';
import type { ProfileService } from '../../../services/profile.ts';
import type { ProgramService } from '../../../services/programs.ts';
import type { RoundService } from '../../../services/rounds.ts';
import { type IntroCommand, parseIntroCommand } from '../../parsers/intro-command.ts';
import { echo } from '../../parsers/tokens.ts';
import { buildDepartmentsModal } from '../../views/departments.ts';
import { buildFindResults } from '../../views/find-results.ts';
import { buildErrorReply, buildIntroHelp, type CommandReply } from '../../views/help.ts';
import {
  buildIntroduceModal,
  buildIntroRequestedReply,
  buildIntroSentReply,
} from '../../views/intro-invite.ts';
import { buildMemberControlReply, buildStatusLine } from '../../views/intro-status.ts';
import { buildExportReply, buildForgetConfirm } from '../../views/privacy.ts';
import { buildPreviewReply, buildRoundNowReply } from '../../views/rounds.ts';
import type { CommandInput } from '../deps.ts';

const NO_PROGRAM = (channelId: string) =>
  `There is no Weave program in <#${channelId}> yet. Invite Weave to the channel (\`/invite @Weave\`) or have an admin run \`/intro admin\` here to start one.`;

const AUTOCOMPLETE_HINT =
  "Pick people from Slack's autocomplete as you type @, e.g. `/intro @maria @sam you both work on onboarding`.";

type Resolved = { ok: true; ids: string[] } | { ok: false; reply: CommandReply };

/** `/intro` subcommands: parse, run the use case, describe the outcome. */
export function createIntroCommandHandler(deps: {
  introCommand: IntroCommandService;
  programs: ProgramService;
  rounds: RoundService;
  intros: IntroService;
  profile: ProfileService;
  privacy: PrivacyService;
  adminSettings: AdminSettingsService;
  departments: DepartmentsService;
  isAdmin: AdminCheck;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
}) {
  const log = deps.log.child({ component: 'intro-command' });

  async function adminOnly(input: CommandInput, run: () => Promise<CommandReply>): Promise<CommandReply> {
    if (!(await deps.isAdmin(input.workspaceId, input.userId))) return buildErrorReply(ADMINS_ONLY);
    return run();
  }

  /** `/intro admin departments`: the departments modal (the caller has been checked as an admin). */
  async function openDepartments(input: CommandInput): Promise<CommandReply> {
    if (!input.triggerId)
      return buildErrorReply('Slack did not send what Weave needs to open the window. Try again.');
    const triggerId = input.triggerId;
    const overview = await deps.departments.overview(input.workspaceId);
    const opened = await deps.slack.openView(input.workspaceId, triggerId, buildDepartmentsModal(overview));
    if (!opened.ok) {
      log.warn(
        { workspaceId: input.workspaceId, error: opened.error },
        'could not open the departments modal',
      );
      return buildErrorReply(
        `Weave couldn't open the departments window (${opened.error}). Please run \`/intro admin departments\` again.`,
      );
    }
    return { response_type: 'ephemeral', text: 'Opened the departments.' };
  }

  /** Plain `@name`s → user ids through the names Weave knows; refused clearly when unknown or ambiguous. */
  async function resolveNames(workspaceId: string, names: string[]): Promise<Resolved> {
    const r = await deps.introCommand.resolveNames(workspaceId, names);
    if (r.ok) return r;
    const said = `\`@${echo(r.name)}\``;
    return {
      ok: false,
      reply: buildErrorReply(
        r.code === 'ambiguous'
          ? `More than one person goes by ${said}. ${AUTOCOMPLETE_HINT}`
          : `I couldn't find ${said} in this workspace. ${AUTOCOMPLETE_HINT}`,
      ),
    };
  }

  async function openModal(input: CommandInput, view: unknown, what: string): Promise<CommandReply> {
    if (!input.triggerId) return buildErrorReply(`Slack did not let Weave open ${what}. Please try again.`);
    const r = await deps.slack.openView(input.workspaceId, input.triggerId, view);
    if (!r.ok) {
      log.warn({ workspaceId: input.workspaceId, error: r.error }, 'could not open a modal');
      return buildErrorReply(`Weave couldn't open ${what} (${r.error}). Please try again.`);
    }
    return { response_type: 'ephemeral', text: `Opened ${what}.` };
  }

  async function roundCommand(input: CommandInput, which: 'preview' | 'round_now'): Promise<CommandReply> {
    return adminOnly(input, async () => {
      const program = await deps.programs.forChannel(input.workspaceId, input.channelId);
      if (!program) return buildErrorReply(NO_PROGRAM(input.channelId));
      if (which === 'round_now') return buildRoundNowReply(await deps.rounds.runNow(program));
      const preview = await deps.rounds.preview(program);
      if (!preview.ok) {
        return buildErrorReply(
          `Weave could not read the members of <#${program.channelId}> (${preview.error}). Is Weave still in the channel?`,
        );
      }
      return buildPreviewReply({
        plan: preview.plan,
        excluded: preview.excluded.map((e) => ({ userId: e.member.userId, reason: e.reason })),
        roundAt: preview.roundAt,
      });
    });
  }

  async function run(input: CommandInput, cmd: Extract<IntroCommand, { ok: true }>): Promise<CommandReply> {
    const { workspaceId, userId } = input;
    switch (cmd.type) {
      case 'help':
        return buildIntroHelp(buildStatusLine(await deps.profile.status(workspaceId, userId)));
      case 'introduce': {
        const names = await resolveNames(workspaceId, cmd.unresolvedNames);
        if (!names.ok) return names.reply;
        const [a, b] = [...new Set([...cmd.userIds, ...names.ids])];
        if (a === undefined || b === undefined) {
          return buildErrorReply(
            'Introduce two different people, e.g. `/intro @maria @sam you both work on onboarding`.',
          );
        }
        const r = await deps.intros.introduce({
          workspaceId,
          introducerId: userId,
          userIds: [a, b],
          reason: cmd.reason ?? '',
        });
        return r.ok ? buildIntroSentReply(r.userIds, r.expiresAt) : buildErrorReply(r.message);
      }
      case 'introduce_modal': {
        const names = await resolveNames(workspaceId, cmd.unresolvedName ? [cmd.unresolvedName] : []);
        if (!names.ok) return names.reply;
        const ids = cmd.userId ? [cmd.userId] : names.ids;
        return openModal(
          input,
          buildIntroduceModal({
            userIds: ids,
            ...(cmd.reason ? { reason: cmd.reason } : {}),
            channelId: input.channelId,
          }),
          'the intro form',
        );
      }
      case 'find':
        return buildFindResults({
          topic: cmd.topic,
          people: await deps.intros.find(workspaceId, userId, cmd.topic),
        });
      case 'me': {
        const r = await deps.intros.me(workspaceId, userId);
        return r.ok ? buildIntroRequestedReply(r.otherId, 'me') : buildErrorReply(r.message);
      }
      case 'profile': {
        if (!input.triggerId)
          return buildErrorReply('Slack did not let Weave open your profile. Please try again.');
        const r = await deps.profile.openModal({
          workspaceId,
          userId,
          triggerId: input.triggerId,
          channelId: input.channelId,
        });
        return r.ok
          ? { response_type: 'ephemeral', text: 'Opened your profile.' }
          : buildErrorReply(`Weave couldn't open your profile (${r.error}). Please try again.`);
      }
      case 'pause':
        return buildMemberControlReply(await deps.profile.pause(workspaceId, userId, cmd.until));
      case 'resume':
        return buildMemberControlReply(await deps.profile.resume(workspaceId, userId));
      case 'skip':
        return buildMemberControlReply(await deps.profile.skip(workspaceId, userId));
      case 'leave':
        return buildMemberControlReply(await deps.profile.leave(workspaceId, userId));
      case 'data':
        return buildExportReply((await deps.privacy.exportData(workspaceId, userId)).parts);
      case 'forget':
        return buildForgetConfirm();
      case 'admin':
        return adminOnly(input, () => deps.adminSettings.open(input));
      case 'admin_departments':
        return adminOnly(input, () => openDepartments(input));
      case 'preview':
      case 'round_now':
        return roundCommand(input, cmd.type);
    }
  }

  return {
    /** Answers one `/intro` command; rejected commands change nothing. */
    async handle(input: CommandInput): Promise<CommandReply> {
      const now = deps.clock.now();
      const stored = await deps.introCommand.storedTimeZone(input.workspaceId, input.userId);
      let cmd = parseIntroCommand(input.text, { now, tz: stored ?? 'UTC' });
      if (cmd.ok && cmd.type === 'pause' && stored === null) {
        // Pause dates end at the caller's local midnight: read their time zone from Slack first.
        const tz = await deps.introCommand.slackTimeZone(input.workspaceId, input.userId);
        cmd = parseIntroCommand(input.text, { now, tz: tz ?? 'UTC' });
      }
      if (!cmd.ok) return buildErrorReply(cmd.message);
      return run(input, cmd);
    },
  };
}
