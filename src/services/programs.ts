import { isValidTimeZone } from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { Clock, SlackGateway } from './ports.ts';
import type { ProgramRow } from './rounds.ts';

/** Programs: a pairing channel and its schedule. */
export function createProgramService(deps: {
  prisma: Prisma;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
}) {
  return {
    async forChannel(workspaceId: string, channelId: string): Promise<ProgramRow | null> {
      return deps.prisma.program.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } });
    },

    /**
     * Starts a program in a channel (idempotent): weekly, Monday 10:00 in the starter's time zone.
     * Returns whether it was created now.
     */
    async start(
      workspaceId: string,
      channelId: string,
      startedBy: string | null,
      tz: string,
    ): Promise<{ program: ProgramRow; created: boolean }> {
      const existing = await this.forChannel(workspaceId, channelId);
      if (existing) return { program: existing, created: false };
      const created = await deps.prisma.program.createMany({
        data: [
          {
            workspaceId,
            channelId,
            createdBy: startedBy,
            tz: isValidTimeZone(tz) ? tz : 'UTC',
            anchor: deps.clock.now(),
          },
        ],
        skipDuplicates: true,
      });
      const program = await this.forChannel(workspaceId, channelId);
      if (!program) throw new Error(`program for ${channelId} vanished after creation`);
      if (created.count === 1)
        deps.log.info({ workspaceId, channelId, programId: program.id }, 'program started');
      return { program, created: created.count === 1 };
    },

    async list(workspaceId: string): Promise<ProgramRow[]> {
      return deps.prisma.program.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
    },
  };
}
export type ProgramService = ReturnType<typeof createProgramService>;
