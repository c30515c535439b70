import { isValidTimeZone } from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock, SlackGateway } from './ports.ts';
import type { ProgramRow } from './rounds.ts';

/** A program's schedule and options as an admin sets them in the settings modal. */
export interface ProgramSettings {
  cadence: string;
  weekday: number;
  hour: number;
  tz: string;
  groupSize: number;
  repeatWindow: number;
  headsUp: boolean;
  /** Left as it is when absent (an older modal without it). */
  recap?: boolean;
}

/** The persistence programs need (src/persistence/repositories/programs.ts). */
export interface ProgramRepository {
  byChannel(workspaceId: string, channelId: string): Promise<ProgramRow | null>;
  byId(workspaceId: string, programId: string): Promise<ProgramRow | null>;
  /** The workspace's programs, oldest first. */
  list(workspaceId: string): Promise<ProgramRow[]>;
  /** Creates the channel's program unless it has one (safe under concurrent starts); true when created. */
  create(input: {
    workspaceId: string;
    channelId: string;
    createdBy: string | null;
    tz: string;
    anchor: Date;
  }): Promise<boolean>;
  updateSettings(workspaceId: string, programId: string, settings: ProgramSettings): Promise<void>;
}

/** Programs: a pairing channel and its schedule. */
export function createProgramService(deps: {
  repo: Pick<ProgramRepository, 'byChannel' | 'list' | 'create'>;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
}) {
  return {
    async forChannel(workspaceId: string, channelId: string): Promise<ProgramRow | null> {
      return deps.repo.byChannel(workspaceId, channelId);
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
      const created = await deps.repo.create({
        workspaceId,
        channelId,
        createdBy: startedBy,
        tz: isValidTimeZone(tz) ? tz : 'UTC',
        anchor: deps.clock.now(),
      });
      const program = await this.forChannel(workspaceId, channelId);
      if (!program) throw new Error(`program for ${channelId} vanished after creation`);
      if (created) deps.log.info({ workspaceId, channelId, programId: program.id }, 'program started');
      return { program, created };
    },

    async list(workspaceId: string): Promise<ProgramRow[]> {
      return deps.repo.list(workspaceId);
    },
  };
}
export type ProgramService = ReturnType<typeof createProgramService>;
