import { parseWorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import { namedInConfig } from './admin-settings.ts';
import type { Clock, SlackGateway } from './ports.ts';

/** How long a "still an admin?" answer from Slack is reused before asking again. */
export const ADMIN_RECHECK_MS = 3 * 60_000;

export type DashboardAdmin = 'admin' | 'not_admin' | 'unknown';

/** Who may see the dashboard, asked of Slack when the page opens; and single use of dashboard links. */
export function createDashboardAccess(deps: {
  prisma: Prisma;
  slack: Pick<SlackGateway, 'user'>;
  clock: Clock;
  adminIds: string[];
  log: Logger;
}) {
  const log = deps.log.child({ component: 'dashboard-access' });
  const cache = new Map<string, { admin: boolean; at: number }>();

  return {
    /**
     * Records that the link with `nonce` was opened; false when it had been opened before (a link works
     * once). Rows of links past their expiry are dropped on the way.
     */
    async claimLink(workspaceId: string, nonce: string, expiresAt: Date): Promise<boolean> {
      const now = deps.clock.now();
      await deps.prisma.dashboardLinkUse.deleteMany({ where: { expiresAt: { lt: now } } });
      const r = await deps.prisma.dashboardLinkUse.createMany({
        data: [{ workspaceId, nonce, usedAt: now, expiresAt }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },

    /**
     * Whether the user is an admin now: named in the config or in the workspace settings, or a Slack
     * admin/owner according to users.info (asked again after ADMIN_RECHECK_MS, and stored on the member).
     * `unknown` when Slack could not be asked: the page is then refused, not shown on old information.
     */
    async adminNow(workspaceId: string, userId: string): Promise<DashboardAdmin> {
      if (namedInConfig(deps.adminIds, workspaceId, userId)) return 'admin';
      const ws = await deps.prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { settings: true },
      });
      const member = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
        select: { isDeleted: true },
      });
      if (member?.isDeleted) return 'not_admin';
      if (parseWorkspaceSettings(ws?.settings).adminIds.includes(userId)) return 'admin';
      const key = `${workspaceId}:${userId}`;
      const now = deps.clock.now().getTime();
      const known = cache.get(key);
      if (known && now - known.at < ADMIN_RECHECK_MS) return known.admin ? 'admin' : 'not_admin';
      const r = await deps.slack.user(workspaceId, userId);
      if (!r.ok) {
        log.warn({ workspaceId, error: r.error }, 'could not confirm dashboard admin rights with Slack');
        return 'unknown';
      }
      const admin = r.user.isAdmin && !r.user.isDeleted;
      cache.set(key, { admin, at: now });
      await deps.prisma.member.updateMany({
        where: { workspaceId, userId },
        data: { isAdmin: r.user.isAdmin, isDeleted: r.user.isDeleted },
      });
      return admin ? 'admin' : 'not_admin';
    },
  };
}
export type DashboardAccess = ReturnType<typeof createDashboardAccess>;
