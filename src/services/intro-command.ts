import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { CommandInput } from '../slack/listeners/deps.ts';
import { buildErrorReply, buildIntroHelp, type CommandReply } from '../slack/views/help.ts';
import { buildPreviewReply, buildRoundNowReply } from '../slack/views/rounds.ts';
import type { MemberService } from './members.ts';
import type { Clock } from './ports.ts';
import type { ProgramService } from './programs.ts';
import type { RoundService } from './rounds.ts';

const NO_PROGRAM = (channelId: string) =>
  `There is no Weave program in <#${channelId}> yet. Invite Weave to the channel (\`/invite @Weave\`) or have an admin run \`/intro admin\` here to start one.`;

/** `/intro` subcommands: parse, run the use case, describe the outcome. */
export function createIntroCommandService(deps: {
  prisma: Prisma;
  programs: ProgramService;
  rounds: RoundService;
  members: MemberService;
  log: Logger;
  clock: Clock;
  adminIds: string[];
}) {
  async function isAdmin(workspaceId: string, userId: string): Promise<boolean> {
    if (deps.adminIds.includes(userId)) return true;
    const m = await deps.members.get(workspaceId, userId);
    return Boolean(m?.isAdmin);
  }

  async function adminOnly(input: CommandInput, run: () => Promise<CommandReply>): Promise<CommandReply> {
    if (!(await isAdmin(input.workspaceId, input.userId))) {
      return buildErrorReply(
        'Only workspace admins (or people an admin named in Weave settings) can do that. Try `/intro help` for what you can do.',
      );
    }
    return run();
  }

  return {
    async handle(input: CommandInput): Promise<CommandReply> {
      const words = input.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const sub = words.join(' ');
      if (sub === '' || sub === 'help') return buildIntroHelp();
      if (sub === 'preview' || sub === 'round now') {
        return adminOnly(input, async () => {
          const program = await deps.programs.forChannel(input.workspaceId, input.channelId);
          if (!program) return buildErrorReply(NO_PROGRAM(input.channelId));
          if (sub === 'preview') {
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
          }
          return buildRoundNowReply(await deps.rounds.runNow(program));
        });
      }
      return buildErrorReply(
        `\`/intro ${input.text.trim().slice(0, 50)}\` isn't available yet. Try \`/intro help\`.`,
      );
    },
  };
}
