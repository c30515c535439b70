import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock } from './ports.ts';

const DAY_MS = 86_400_000;

/** A workspace's install lifecycle as stored (src/persistence/repositories/workspace-lifecycle.ts). */
export interface WorkspaceLifecycleRepository {
  settings(workspaceId: string): Promise<WorkspaceSettings>;
  /**
   * At once: the workspace's tokens deleted, the workspace marked uninstalled with its data due for
   * deletion at `purgeAfter`, and its pending outbox messages cancelled.
   */
  markUninstalled(workspaceId: string, now: Date, purgeAfter: Date): Promise<void>;
  /** Uninstalled workspaces whose data is due for deletion at `now`. */
  purgeDue(now: Date): Promise<string[]>;
  /** Deletes every row of the workspace, at once. */
  purge(workspaceId: string): Promise<void>;
}

/** Install lifecycle: uninstalls and revoked tokens stop all work at once and schedule data deletion. */
export function createLifecycleService(deps: {
  repo: WorkspaceLifecycleRepository;
  log: Logger;
  clock: Clock;
  onUninstalled?: (workspaceId: string) => void;
}) {
  return {
    /** Deletes stored tokens now; the workspace's data goes after the grace period (purge job). */
    async uninstalled(workspaceId: string, reason: 'app_uninstalled' | 'tokens_revoked'): Promise<void> {
      const now = deps.clock.now();
      const grace = (await deps.repo.settings(workspaceId)).purgeGraceDays;
      await deps.repo.markUninstalled(workspaceId, now, new Date(now.getTime() + grace * DAY_MS));
      deps.onUninstalled?.(workspaceId);
      deps.log.info(
        { workspaceId, reason, graceDays: grace },
        'workspace uninstalled: tokens deleted, data deletion scheduled',
      );
    },

    /** Deletes every row of workspaces whose grace period is over. */
    async purgeDue(): Promise<string[]> {
      const due = await deps.repo.purgeDue(deps.clock.now());
      for (const workspaceId of due) {
        await deps.repo.purge(workspaceId);
        deps.log.info({ workspaceId }, 'workspace data deleted after the grace period');
      }
      return due;
    },
  };
}
export type LifecycleService = ReturnType<typeof createLifecycleService>;
