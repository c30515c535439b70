// Dashboard access: single use of dashboard links (DashboardLinkUse) and admin rights read from Slack.
import { parseWorkspaceSettings } from '../../domain/settings.ts';
import type { DashboardAccessRepository } from '../../services/dashboard-access.ts';
import type { Prisma } from '../database.ts';

export function createDashboardAccessRepository(prisma: Prisma): DashboardAccessRepository {
  return {
    async claimLink(workspaceId, nonce, now, expiresAt) {
      // Expired links of every workspace: their rows only keep a used link from working twice.
      await prisma.dashboardLinkUse.deleteMany({ where: { expiresAt: { lt: now } } });
      const r = await prisma.dashboardLinkUse.createMany({
        data: [{ workspaceId, nonce, usedAt: now, expiresAt }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },

    async settings(workspaceId) {
      const ws = await prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { settings: true },
      });
      return parseWorkspaceSettings(ws?.settings);
    },

    async memberDeleted(workspaceId, userId) {
      const member = await prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
        select: { isDeleted: true },
      });
      return member?.isDeleted ?? false;
    },

    async recordAdmin(workspaceId, userId, user) {
      await prisma.member.updateMany({
        where: { workspaceId, userId },
        data: { isAdmin: user.isAdmin, isDeleted: user.isDeleted },
      });
    },
  };
}
