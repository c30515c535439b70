import { isWeaveAdmin, namedInConfig } from '../domain/admins.ts';
import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock, SlackGateway } from './ports.ts';

/** What dashboard access reads and records (src/persistence/repositories/dashboard-access.ts). */
export interface DashboardAccessRepository {
  /**
   * Records the link `nonce` as used at `now`, first dropping uses of links expired by then; false when
   * it was used before.
   */
  claimLink(workspaceId: string, nonce: string, now: Date, expiresAt: Date): Promise<boolean>;
  settings(workspaceId: string): Promise<WorkspaceSettings>;
  /** Whether the member is stored as deleted (false when not stored). */
  memberDeleted(workspaceId: string, userId: string): Promise<boolean>;
  /** Stores what Slack said of the member's admin rights (when stored). */
  recordAdmin(
    workspaceId: string,
    userId: string,
    user: { isAdmin: boolean; isDeleted: boolean },
  ): Promise<void>;
}

/** How long a "still an admin?" answer from Slack is reused before asking again. */
export const ADMIN_RECHECK_MS = 3 * 60_000;

export type DashboardAdmin = 'admin' | 'not_admin' | 'unknown';

/** Who may see the dashboard, asked of Slack when the page opens; and single use of dashboard links. */
export function createDashboardAccess(deps: {
  repo: DashboardAccessRepository;
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
      return deps.repo.claimLink(workspaceId, nonce, deps.clock.now(), expiresAt);
    },

    /**
     * Whether the user is an admin now: named in the config or in the workspace settings, or a Slack
     * admin/owner according to users.info (asked again after ADMIN_RECHECK_MS, and stored on the member).
     * `unknown` when Slack could not be asked: the page is then refused, not shown on old information.
     */
    async adminNow(workspaceId: string, userId: string): Promise<DashboardAdmin> {
      if (namedInConfig(deps.adminIds, workspaceId, userId)) return 'admin';
      const settings = await deps.repo.settings(workspaceId);
      if (await deps.repo.memberDeleted(workspaceId, userId)) return 'not_admin';
      if (settings.adminIds.includes(userId)) return 'admin';
      const key = `${workspaceId}:${userId}`;
      const now = deps.clock.now().getTime();
      const known = cache.get(key);
      if (known && now - known.at < ADMIN_RECHECK_MS) return known.admin ? 'admin' : 'not_admin';
      const r = await deps.slack.user(workspaceId, userId);
      if (!r.ok) {
        log.warn({ workspaceId, error: r.error }, 'could not confirm dashboard admin rights with Slack');
        return 'unknown';
      }
      const admin = isWeaveAdmin({ namedInConfig: false, namedInSettings: false, member: r.user });
      cache.set(key, { admin, at: now });
      await deps.repo.recordAdmin(workspaceId, userId, r.user);
      return admin ? 'admin' : 'not_admin';
    },
  };
}
export type DashboardAccess = ReturnType<typeof createDashboardAccess>;
