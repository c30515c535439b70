// The prefilled give modal of a thank-you, opened in Slack for the follow-ups (their ThankYouModalOpener).
import type { ThankYouModalOpener } from '../services/followups.ts';
import type { SlackGateway } from '../services/ports.ts';
import { buildGiveModal } from './views/followups.ts';

export function createThankYouModalOpener(slack: Pick<SlackGateway, 'openView'>): ThankYouModalOpener {
  return {
    async open(workspaceId, triggerId, input) {
      const view = buildGiveModal({
        receiverId: input.receiverId,
        kind: input.connector ? 'intro' : 'help',
        metadata: JSON.stringify({
          groupId: input.groupId,
          receiverId: input.receiverId,
          connector: input.connector,
        }),
      });
      const r = await slack.openView(workspaceId, triggerId, view);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  };
}
