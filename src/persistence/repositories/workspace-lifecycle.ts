// A workspace's install lifecycle: uninstall (tokens gone, work stopped) and the purge of its data.
import { parseWorkspaceSettings } from '../../domain/settings.ts';
import type { WorkspaceLifecycleRepository } from '../../services/lifecycle.ts';
import type { Prisma } from '../database.ts';

export function createWorkspaceLifecycleRepository(prisma: Prisma): WorkspaceLifecycleRepository {
  return {
    async settings(workspaceId) {
      const ws = await prisma.workspace.findUnique({ where: { id: workspaceId } });
      return parseWorkspaceSettings(ws?.settings);
    },

    async markUninstalled(workspaceId, now, purgeAfter) {
      await prisma.$transaction([
        prisma.installation.updateMany({
          where: { OR: [{ workspaceId }, { teamId: workspaceId }] },
          data: { tokenCiphertext: null, dataCiphertext: null, revokedAt: now },
        }),
        prisma.workspace.updateMany({
          where: { id: workspaceId },
          data: { uninstalledAt: now, purgeAfter },
        }),
        prisma.prompt.updateMany({
          where: { workspaceId, status: 'pending' },
          data: { status: 'cancelled' },
        }),
      ]);
    },

    async purgeDue(now) {
      const due = await prisma.workspace.findMany({
        where: { purgeAfter: { lte: now }, uninstalledAt: { not: null } },
      });
      return due.map((w) => w.id);
    },

    async purge(workspaceId) {
      const where = { workspaceId };
      await prisma.$transaction([
        prisma.give.deleteMany({ where }),
        prisma.intro.deleteMany({ where }),
        prisma.prompt.deleteMany({ where }),
        prisma.processedEvent.deleteMany({ where }),
        prisma.jobRun.deleteMany({ where }),
        prisma.groupMember.deleteMany({ where }),
        prisma.group.deleteMany({ where }),
        prisma.workspace.delete({ where: { id: workspaceId } }), // cascades members, programs, rounds, installations
      ]);
    },
  };
}
