// A member's App Home rendered and published in Slack, for the Home service (its HomePublisher port).
import type { KnownBlock } from '@slack/types';
import type { Logger } from '../observability/logger.ts';
import type { AdminHomeSection, HomePublisher } from '../services/home.ts';
import type { SlackGateway } from '../services/ports.ts';
import { buildAdminHome, buildAdminHomeUnavailable, HOME_BLOCK_LIMIT } from './views/admin-home.ts';
import { buildMemberHome } from './views/home.ts';

export function createHomePublisher(slack: Pick<SlackGateway, 'publishHome'>, log: Logger): HomePublisher {
  /** The admin section within the blocks the member part leaves; [] for everyone else. */
  function adminBlocks(workspaceId: string, admin: AdminHomeSection, maxBlocks: number): KnownBlock[] {
    if (admin.kind === 'none') return [];
    if (admin.kind === 'unavailable') return buildAdminHomeUnavailable();
    try {
      return buildAdminHome(admin.data, { dashboardUrl: admin.dashboardUrl, maxBlocks });
    } catch (error) {
      log.error({ err: error, workspaceId }, 'could not build the admin section of the Home tab');
      return buildAdminHomeUnavailable();
    }
  }

  return {
    async publish(workspaceId, userId, { data, admin }) {
      const memberBlocks = buildMemberHome(data).blocks.length;
      const view = buildMemberHome(data, adminBlocks(workspaceId, admin, HOME_BLOCK_LIMIT - memberBlocks));
      const r = await slack.publishHome(workspaceId, userId, view);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  };
}
