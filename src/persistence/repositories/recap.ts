import type { RecapRepository } from '../../services/recap.ts';
import type { Prisma } from '../database.ts';

/** The programs the weekly recap reads. */
export function createRecapRepository(prisma: Prisma): RecapRepository {
  return {
    async recapPrograms() {
      return prisma.program.findMany({
        where: { active: true, recap: true, workspace: { uninstalledAt: null } },
        select: { id: true, workspaceId: true, tz: true, createdAt: true },
      });
    },

    async program(workspaceId, programId) {
      return prisma.program.findFirst({ where: { id: programId, workspaceId } });
    },
  };
}
