// A member's own controls: their stored participation (Member.status, pausedUntil, skipPeriodKey), the
// profile fields they edit, and the programs (and their latest rounds) a skip is judged against.
import type { ProfileRepository } from '../../services/profile.ts';
import type { Prisma } from '../database.ts';

export function createProfileRepository(prisma: Prisma): ProfileRepository {
  return {
    async participation(workspaceId, userId) {
      const m = await prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
      return m ? { status: m.status, pausedUntil: m.pausedUntil, skipPeriodKey: m.skipPeriodKey } : null;
    },

    async update(workspaceId, userId, data) {
      await prisma.member.update({ where: { workspaceId_userId: { workspaceId, userId } }, data });
    },

    async activePrograms(workspaceId, userId) {
      const rows = await prisma.programMember.findMany({
        where: { workspaceId, userId, leftAt: null, program: { active: true } },
        include: { program: true },
      });
      return rows.map((r) => r.program);
    },

    async lastPeriodKey(programId) {
      const last = await prisma.round.findFirst({
        where: { programId },
        orderBy: { createdAt: 'desc' },
        select: { periodKey: true },
      });
      return last?.periodKey ?? null;
    },
  };
}
