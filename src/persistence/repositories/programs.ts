// Programs (a pairing channel and its schedule) and who is in them (ProgramMember).
import type { ProgramMemberRepository } from '../../services/membership.ts';
import type { ProgramRepository, ProgramSettings } from '../../services/programs.ts';
import type { Prisma, TransactionClient } from '../database.ts';

export function createProgramRepository(
  db: Prisma | TransactionClient,
): ProgramRepository & ProgramMemberRepository {
  return {
    byChannel: (workspaceId, channelId) =>
      db.program.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } }),

    byId: (workspaceId, programId) => db.program.findFirst({ where: { id: programId, workspaceId } }),

    list: (workspaceId) => db.program.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } }),

    async create(input) {
      const r = await db.program.createMany({ data: [input], skipDuplicates: true });
      return r.count === 1;
    },

    async updateSettings(workspaceId: string, programId: string, s: ProgramSettings) {
      await db.program.update({
        where: { id: programId, workspaceId },
        data: {
          cadence: s.cadence,
          weekday: s.weekday,
          hour: s.hour,
          tz: s.tz,
          groupSize: s.groupSize,
          repeatWindow: s.repeatWindow,
          headsUp: s.headsUp,
          ...(s.recap === undefined ? {} : { recap: s.recap }),
        },
      });
    },

    // INSERT … ON CONFLICT DO NOTHING (Prisma's upsert races under concurrent events on PostgreSQL).
    async add(workspaceId, programId, userId, at) {
      const r = await db.programMember.createMany({
        data: [{ workspaceId, programId, userId, joinedAt: at }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },

    async rejoin(workspaceId, programId, userId) {
      await db.programMember.updateMany({
        where: { workspaceId, programId, userId, leftAt: { not: null } },
        data: { leftAt: null },
      });
    },

    async leave(workspaceId, programId, userId, at) {
      await db.programMember.updateMany({ where: { workspaceId, programId, userId }, data: { leftAt: at } });
    },
  };
}
