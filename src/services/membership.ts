import type { Logger } from '../observability/logger.ts';
import type { MemberService } from './members.ts';
import type { Clock, PromptToSchedule, SlackGateway, SlackUser } from './ports.ts';
import type { ProgramService } from './programs.ts';

/** Who is in which program (src/persistence/repositories/programs.ts). */
export interface ProgramMemberRepository {
  /** Adds the person to the program; false when they were in it already (then nothing changes). */
  add(workspaceId: string, programId: string, userId: string, at: Date): Promise<boolean>;
  /** Someone who had left the program is in it again. */
  rejoin(workspaceId: string, programId: string, userId: string): Promise<void>;
  leave(workspaceId: string, programId: string, userId: string, at: Date): Promise<void>;
}

/** Where use cases queue outbox messages (the same key twice keeps the first): how many were new. */
export interface PromptScheduler {
  schedule(prompts: PromptToSchedule[]): Promise<number>;
}

/** Channel and workspace membership events: programs start, members join and leave, profiles change. */
export function createMembershipService(deps: {
  programMembers: ProgramMemberRepository;
  slack: SlackGateway;
  programs: ProgramService;
  members: MemberService;
  prompts: PromptScheduler;
  log: Logger;
  clock: Clock;
  botUserId: (workspaceId: string) => Promise<string | null>;
  onScheduled?: () => void;
  /** A person newly joined a program (or, when enabled, the workspace): welcome and first intro. */
  onboard?: (
    workspaceId: string,
    userId: string,
    programId: string | null,
    channelId: string | null,
  ) => Promise<void>;
  onboardOnWorkspaceJoin?: (workspaceId: string) => Promise<boolean>;
}) {
  return {
    /** Someone joined a channel: Weave itself (start a program there) or a person (join its program). */
    async joinedChannel(input: {
      workspaceId: string;
      channelId: string;
      userId: string;
      inviterId?: string | null;
    }) {
      const bot = await deps.botUserId(input.workspaceId);
      const now = deps.clock.now();
      if (input.userId === bot) {
        const inviter = input.inviterId ? await deps.members.get(input.workspaceId, input.inviterId) : null;
        const { program, created } = await deps.programs.start(
          input.workspaceId,
          input.channelId,
          input.inviterId ?? null,
          inviter?.tz ?? 'UTC',
        );
        // Queued whether or not this call created the program: the key is the program's, so a retry after
        // a crash between the two writes still welcomes the channel, and a second invite adds nothing.
        const queued = await deps.prompts.schedule([
          {
            workspaceId: input.workspaceId,
            kind: 'program_welcome',
            key: `program_welcome:${program.id}`,
            payload: { channelId: input.channelId, programId: program.id },
            dueAt: now,
          },
        ]);
        if (queued > 0) deps.onScheduled?.();
        return { kind: 'program' as const, created };
      }
      const program = await deps.programs.forChannel(input.workspaceId, input.channelId);
      if (!program) return { kind: 'ignored' as const };
      const joined = await deps.programMembers.add(input.workspaceId, program.id, input.userId, now);
      if (!joined) {
        await deps.programMembers.rejoin(input.workspaceId, program.id, input.userId);
      } else if (deps.onboard) {
        const member = await deps.members.get(input.workspaceId, input.userId);
        if (member && !member.isBot && !member.isDeleted) {
          await deps.onboard(input.workspaceId, input.userId, program.id, input.channelId);
        }
      }
      return { kind: 'member' as const, programId: program.id };
    },

    /** Leaving the channel leaves the program. */
    async leftChannel(input: { workspaceId: string; channelId: string; userId: string }) {
      const program = await deps.programs.forChannel(input.workspaceId, input.channelId);
      if (!program) return;
      await deps.programMembers.leave(input.workspaceId, program.id, input.userId, deps.clock.now());
    },

    /** A Slack profile changed (or a user joined the workspace): refresh what Weave stores. */
    async profileChanged(workspaceId: string, user: SlackUser) {
      const field = await deps.members.departmentField(workspaceId);
      await deps.members.saveFromSlack(workspaceId, user, field);
    },

    /**
     * Someone joined the workspace: stored, and welcomed when the admin enabled that. The setting is
     * read before the person is stored, so the welcome follows the setting as it was when the join was
     * handled, not a change an admin makes once the person shows up in Weave.
     */
    async joinedWorkspace(workspaceId: string, user: SlackUser) {
      const welcome =
        !user.isBot &&
        !user.isDeleted &&
        deps.onboard !== undefined &&
        (await deps.onboardOnWorkspaceJoin?.(workspaceId)) === true;
      await this.profileChanged(workspaceId, user);
      if (welcome) await deps.onboard?.(workspaceId, user.id, null, null);
    },
  };
}
export type MembershipService = ReturnType<typeof createMembershipService>;
