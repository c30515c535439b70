// The outbox handler posting a queued weekly digest: the service says what and where, this renders and
// posts it (joining the channel when Weave is not in it yet).
import type { Logger } from '../../observability/logger.ts';
import { outcomeOf, postOnce } from '../../services/deliveries.ts';
import { DIGEST_PROMPT, type DigestService } from '../../services/digest.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { ClaimedNotification, SlackGateway } from '../../services/ports.ts';
import { buildDigestMessage } from '../views/digest.ts';

export function createDigestDeliveryHandlers(deps: {
  digest: Pick<DigestService, 'toPost'>;
  slack: SlackGateway;
  log: Logger;
}): Pick<NotificationHandlers, typeof DIGEST_PROMPT> {
  const log = deps.log.child({ component: 'digest' });

  async function post(
    prompt: ClaimedNotification<typeof DIGEST_PROMPT>,
    channelId: string,
    content: ReturnType<typeof buildDigestMessage>,
  ) {
    const posted = await postOnce(deps.slack, prompt, channelId, content);
    if (posted.ok || posted.error !== 'not_in_channel') return posted;
    // Public channels can be joined; a private one needs an invite (the failure is recorded on the prompt).
    const joined = await deps.slack.joinChannel(prompt.workspaceId, channelId);
    if (!joined.ok) {
      log.warn({ workspaceId: prompt.workspaceId, channelId, error: joined.error }, 'cannot post the digest');
      return posted;
    }
    return postOnce(deps.slack, prompt, channelId, content);
  }

  return {
    async [DIGEST_PROMPT](prompt) {
      const r = await deps.digest.toPost(prompt);
      if (!r.ready) return r.outcome;
      const posted = await post(prompt, r.channelId, buildDigestMessage(r.digest));
      if (!posted.ok) return outcomeOf(posted);
      log.info(
        { workspaceId: prompt.workspaceId, week: r.week, gives: r.digest.total },
        'weekly digest posted',
      );
      return { status: 'sent', result: { channelId: r.channelId, ts: posted.ts } };
    },
  };
}
