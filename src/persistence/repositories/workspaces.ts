import type { Prisma } from '../database.ts';

/** Workspaces (Slack teams) Weave has seen. */
export function createWorkspaceRepository(prisma: Prisma) {
  const known = new Set<string>();
  return {
    /** Creates the workspace row the first time a team is seen (cached in memory afterwards). */
    async ensure(workspaceId: string, enterpriseId?: string | null): Promise<void> {
      if (known.has(workspaceId)) return;
      await prisma.workspace.upsert({
        where: { id: workspaceId },
        create: { id: workspaceId, enterpriseId: enterpriseId ?? null },
        update: {},
      });
      known.add(workspaceId);
    },
    async listActive(): Promise<string[]> {
      const rows = await prisma.workspace.findMany({ where: { uninstalledAt: null }, select: { id: true } });
      return rows.map((r) => r.id);
    },
    forgetCache(workspaceId: string): void {
      known.delete(workspaceId);
    },
  };
}
export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
