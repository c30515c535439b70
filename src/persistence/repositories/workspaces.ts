import { parseWorkspaceSettings, type WorkspaceSettings } from '../../domain/settings.ts';
import type { WorkspaceStore } from '../../services/ports.ts';
import type { Prisma } from '../database.ts';

/** Workspaces (Slack teams) Weave has seen. */
export function createWorkspaceRepository(prisma: Prisma): WorkspaceStore {
  const known = new Set<string>();
  return {
    /** Creates the workspace row the first time a team is seen (cached in memory afterwards). */
    async ensure(workspaceId: string, enterpriseId?: string | null): Promise<void> {
      if (known.has(workspaceId)) return;
      // INSERT … ON CONFLICT DO NOTHING: concurrent first events of a team must not collide.
      await prisma.workspace.createMany({
        data: [{ id: workspaceId, enterpriseId: enterpriseId ?? null }],
        skipDuplicates: true,
      });
      known.add(workspaceId);
    },
    async listActive(): Promise<string[]> {
      const rows = await prisma.workspace.findMany({ where: { uninstalledAt: null }, select: { id: true } });
      return rows.map((r) => r.id);
    },
    /** The workspace's settings, defaults filled in. */
    async settings(workspaceId: string): Promise<WorkspaceSettings> {
      const row = await prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { settings: true },
      });
      return parseWorkspaceSettings(row?.settings);
    },
    async updateSettings(workspaceId: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
      const current = await this.settings(workspaceId);
      const next = parseWorkspaceSettings({ ...current, ...patch });
      await prisma.workspace.update({ where: { id: workspaceId }, data: { settings: next as object } });
      return next;
    },
    forgetCache(workspaceId: string): void {
      known.delete(workspaceId);
    },
  };
}
export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
