import { parseWorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { Clock } from './ports.ts';

const DAY_MS = 86_400_000;

/** Install lifecycle: uninstalls and revoked tokens stop all work at once and schedule data deletion. */
export function createLifecycleService(deps: {
  prisma: Prisma;
  log: Logger;
  clock: Clock;
  onUninstalled?: (workspaceId: string) => void;
}) {
  return {
    /** Deletes stored tokens now; the workspace's data goes after the grace period (purge job). */
    async uninstalled(workspaceId: string, reason: 'app_uninstalled' | 'tokens_revoked'): Promise<void> {
      const now = deps.clock.now();
      const ws = await deps.prisma.workspace.findUnique({ where: { id: workspaceId } });
      const grace = parseWorkspaceSettings(ws?.settings).purgeGraceDays;
      await deps.prisma.$transaction([
        deps.prisma.installation.updateMany({
          where: { OR: [{ workspaceId }, { teamId: workspaceId }] },
          data: { tokenCiphertext: null, dataCiphertext: null, revokedAt: now },
        }),
        deps.prisma.workspace.updateMany({
          where: { id: workspaceId },
          data: { uninstalledAt: now, purgeAfter: new Date(now.getTime() + grace * DAY_MS) },
        }),
        deps.prisma.prompt.updateMany({
          where: { workspaceId, status: 'pending' },
          data: { status: 'cancelled' },
        }),
      ]);
      deps.onUninstalled?.(workspaceId);
      deps.log.info(
        { workspaceId, reason, graceDays: grace },
        'workspace uninstalled: tokens deleted, data deletion scheduled',
      );
    },

    /** Deletes every row of workspaces whose grace period is over. */
    async purgeDue(): Promise<string[]> {
      const now = deps.clock.now();
      const due = await deps.prisma.workspace.findMany({
        where: { purgeAfter: { lte: now }, uninstalledAt: { not: null } },
      });
      for (const ws of due) {
        const where = { workspaceId: ws.id };
        await deps.prisma.$transaction([
          deps.prisma.give.deleteMany({ where }),
          deps.prisma.intro.deleteMany({ where }),
          deps.prisma.prompt.deleteMany({ where }),
          deps.prisma.processedEvent.deleteMany({ where }),
          deps.prisma.jobRun.deleteMany({ where }),
          deps.prisma.groupMember.deleteMany({ where }),
          deps.prisma.group.deleteMany({ where }),
          deps.prisma.workspace.delete({ where: { id: ws.id } }), // cascades members, programs, rounds, installations
        ]);
        deps.log.info({ workspaceId: ws.id }, 'workspace data deleted after the grace period');
      }
      return due.map((w) => w.id);
    },
  };
}
export type LifecycleService = ReturnType<typeof createLifecycleService>;
