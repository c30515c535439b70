// The outbox handler posting a queued weekly recap: the service says what and where, this renders it.
import { outcomeOf, postOnce } from '../../services/deliveries.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { SlackGateway } from '../../services/ports.ts';
import { RECAP_PROMPT, type RecapService } from '../../services/recap.ts';
import { buildRecapMessage } from '../views/recap.ts';

export function createRecapDeliveryHandlers(deps: {
  recap: Pick<RecapService, 'toPost'>;
  slack: SlackGateway;
}): Pick<NotificationHandlers, typeof RECAP_PROMPT> {
  return {
    async [RECAP_PROMPT](prompt) {
      const r = await deps.recap.toPost(prompt);
      if (!r.ready) return r.outcome;
      const posted = await postOnce(deps.slack, prompt, r.channelId, buildRecapMessage(r.recap));
      return posted.ok
        ? { status: 'sent', result: { channelId: r.channelId, ts: posted.ts } }
        : outcomeOf(posted);
    },
  };
}
