import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { CommandInput } from '../slack/listeners/deps.ts';
import { type IntroCommand, parseIntroCommand } from '../slack/parsers/intro-command.ts';
import { echo } from '../slack/parsers/tokens.ts';
import { buildDepartmentsModal } from '../slack/views/departments.ts';
import { buildFindResults } from '../slack/views/find-results.ts';
import { buildErrorReply, buildIntroHelp, type CommandReply } from '../slack/views/help.ts';
import {
  buildIntroduceModal,
  buildIntroRequestedReply,
  buildIntroSentReply,
} from '../slack/views/intro-invite.ts';
import { buildExportReply, buildForgetConfirm } from '../slack/views/privacy.ts';
import { buildPreviewReply, buildRoundNowReply } from '../slack/views/rounds.ts';
import { ADMINS_ONLY, type AdminCheck, type AdminSettingsService } from './admin-settings.ts';
import type { DepartmentsService } from './departments.ts';
import type { IntroService } from './intros.ts';
import type { MemberService } from './members.ts';
import type { Clock, SlackGateway } from './ports.ts';
import type { PrivacyService } from './privacy.ts';
import type { ProfileService } from './profile.ts';
import type { ProgramService } from './programs.ts';
import type { RoundService } from './rounds.ts';

const NO_PROGRAM = (channelId: string) =>
  `There is no Weave program in <#${channelId}> yet. Invite Weave to the channel (\`/invite @Weave\`) or have an admin run \`/intro admin\` here to start one.`;

const AUTOCOMPLETE_HINT =
  "Pick people from Slack's autocomplete as you type @, e.g. `/intro @maria @sam you both work on onboarding`.";

type Resolved = { ok: true; ids: string[] } | { ok: false; reply: CommandReply };

/** `/intro` subcommands: parse, run the use case, describe the outcome. */
export function createIntroCommandService(deps: {
  prisma: Prisma;
  programs: ProgramService;
  rounds: RoundService;
  members: MemberService;
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
    const ids: string[] = [];
    for (const name of names) {
      const found = await deps.prisma.member.findMany({
        where: {
          workspaceId,
          isDeleted: false,
          OR: [
            { name: { equals: name, mode: 'insensitive' } },
            { realName: { equals: name, mode: 'insensitive' } },
          ],
        },
        select: { userId: true },
        take: 2,
      });
      const [only] = found;
      if (found.length === 1 && only) {
        ids.push(only.userId);
        continue;
      }
      const said = `\`@${echo(name)}\``;
      return {
        ok: false,
        reply: buildErrorReply(
          found.length > 1
            ? `More than one person goes by ${said}. ${AUTOCOMPLETE_HINT}`
            : `I couldn't find ${said} in this workspace. ${AUTOCOMPLETE_HINT}`,
        ),
      };
    }
    return { ok: true, ids };
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
        return buildIntroHelp(await deps.profile.status(workspaceId, userId));
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
        return deps.profile.pause(workspaceId, userId, cmd.until);
      case 'resume':
        return deps.profile.resume(workspaceId, userId);
      case 'skip':
        return deps.profile.skip(workspaceId, userId);
      case 'leave':
        return deps.profile.leave(workspaceId, userId);
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
      const stored = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId: input.workspaceId, userId: input.userId } },
        select: { tz: true },
      });
      let cmd = parseIntroCommand(input.text, { now, tz: stored?.tz ?? 'UTC' });
      if (cmd.ok && cmd.type === 'pause' && !stored) {
        // Pause dates end at the caller's local midnight: read their time zone from Slack first.
        const member = await deps.members.get(input.workspaceId, input.userId);
        cmd = parseIntroCommand(input.text, { now, tz: member?.tz ?? 'UTC' });
      }
      if (!cmd.ok) return buildErrorReply(cmd.message);
      return run(input, cmd);
    },
  };
}
