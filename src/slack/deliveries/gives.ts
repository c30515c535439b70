// Outbox handler for the DM a receiver gets for a give, rendered here (the Slack adapter).
import { isGiveKind } from '../../domain/gives/kinds.ts';
import { type DeliveryRepository, dmOnce } from '../../services/deliveries.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { SlackGateway } from '../../services/ports.ts';
import { buildGiveDm } from '../views/gives.ts';

/** How long a channel's privacy (conversations.info) is remembered for give DMs. */
export const CHANNEL_INFO_TTL_MS = 5 * 60_000;

/** The DM a receiver gets for a give (queued so retries and restarts send it once). */
export function createGiveDeliveryHandlers(deps: {
  deliveries: Pick<DeliveryRepository, 'give' | 'member'>;
  slack: SlackGateway;
  /** How long a channel's privacy is remembered (a channel can be made private, keeping its id). */
  channelInfoTtlMs?: number;
}): Pick<NotificationHandlers, 'give_dm'> {
  const known = new Map<string, { isPublic: boolean; at: number }>();
  const ttlMs = deps.channelInfoTtlMs ?? CHANNEL_INFO_TTL_MS;
  /**
   * Whether a give's channel may be named in the DM. Slack says not to rely on id prefixes (a channel
   * made private keeps its `C` id), so conversations.info decides, remembered a few minutes per
   * workspace and channel. Anything Slack won't confirm as public is treated as private.
   */
  async function isPublic(workspaceId: string, channelId: string): Promise<boolean> {
    if (!/^[CG]/.test(channelId)) return false;
    const key = `${workspaceId}:${channelId}`;
    const cached = known.get(key);
    if (cached && Date.now() - cached.at < ttlMs) return cached.isPublic;
    const info = await deps.slack.channelInfo(workspaceId, channelId);
    if (!info.ok) return false;
    known.set(key, { isPublic: info.isPublic, at: Date.now() });
    return info.isPublic;
  }
  return {
    async give_dm(prompt) {
      const give = await deps.deliveries.give(prompt.workspaceId, prompt.payload.giveId);
      if (!give?.receiverId) return { status: 'skipped', reason: 'give removed' };
      const receiver = await deps.deliveries.member(prompt.workspaceId, give.receiverId);
      if (receiver?.giveDmsOff) return { status: 'skipped', reason: 'receiver turned give DMs off' };
      return dmOnce(
        deps.slack,
        prompt,
        give.receiverId,
        buildGiveDm({
          giverId: give.giverId,
          kind: isGiveKind(give.kind) ? give.kind : 'help',
          reason: give.reason,
          channelId: give.channelId,
          channelIsPublic: give.channelId ? await isPublic(prompt.workspaceId, give.channelId) : false,
        }),
      );
    },
  };
}
