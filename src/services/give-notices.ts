import type { Logger } from '../observability/logger.ts';
import { outcomeOf } from './deliveries.ts';
import type { MemberService } from './members.ts';
import type { NotificationKind } from './notifications.ts';
import type { NotificationHandlers } from './outbox.ts';
import type { SlackGateway } from './ports.ts';

/**
 * The outbox prompt kinds a recorded give leaves behind: Slack work done after recording, never before.
 * Their payloads: src/services/notifications.ts.
 */
export const GIVE_REACTION_KIND = 'give_reaction' satisfies NotificationKind;
export const GIVE_NOTE_KIND = 'give_note' satisfies NotificationKind;
export const MEMBER_SYNC_KIND = 'member_sync' satisfies NotificationKind;
export const GIVE_LINK_KIND = 'give_link' satisfies NotificationKind;

/** What the notices change in storage: src/persistence/repositories/gives.ts. */
export interface GiveNoticeRepository {
  /** Removes every give to `userId`; how many went. */
  removeGivesTo(workspaceId: string, userId: string): Promise<number>;
  /** Replaces a give's reason (the channel named until the permalink was read). */
  setReason(workspaceId: string, giveId: string, reason: string): Promise<void>;
  /** Whether the member has a row (was known before this read). */
  isKnownMember(workspaceId: string, userId: string): Promise<boolean>;
  markMemberDeleted(workspaceId: string, userId: string): Promise<void>;
}

/**
 * Handlers for the confirming reaction, the giver's private note, and the profile read of people
 * first seen in a give (name, department, time zone). People Slack does not know (`user_not_found`) get
 * no member row, and gives recorded to them (or to a bot) are removed, as the guards would have refused
 * them had the profile been known when recording.
 */
export function createGiveNoticeHandlers(deps: {
  gives: GiveNoticeRepository;
  slack: SlackGateway;
  members: Pick<MemberService, 'saveFromSlack' | 'departmentField'>;
  log: Logger;
}): Pick<
  NotificationHandlers,
  typeof GIVE_REACTION_KIND | typeof GIVE_NOTE_KIND | typeof GIVE_LINK_KIND | typeof MEMBER_SYNC_KIND
> {
  const log = deps.log.child({ component: 'give-notices' });

  /** Gives to someone who cannot receive them: not in Slack, or a bot. */
  async function removeGivesTo(workspaceId: string, userId: string, why: string): Promise<void> {
    const removed = await deps.gives.removeGivesTo(workspaceId, userId);
    if (removed > 0) log.info({ workspaceId, removed, why }, 'removed gives to a non-person');
  }

  return {
    async [GIVE_REACTION_KIND](p) {
      const { channelId, ts, emoji } = p.payload;
      const r = await deps.slack.addReaction(p.workspaceId, channelId, ts, emoji);
      if (r.ok || r.error === 'already_reacted') return { status: 'sent' };
      if (r.kind === 'permanent') return { status: 'skipped', reason: r.error };
      return outcomeOf(r);
    },

    async [GIVE_NOTE_KIND](p) {
      if (!p.userId) return { status: 'failed', error: 'give_note without user' };
      const r = await deps.slack.postEphemeral(p.workspaceId, p.payload.channelId, p.userId, {
        text: p.payload.text,
      });
      if (r.ok) return { status: 'sent' };
      return outcomeOf(r);
    },

    async [GIVE_LINK_KIND](p) {
      const { giveId, channelId, ts } = p.payload;
      const r = await deps.slack.permalink(p.workspaceId, channelId, ts);
      if (!r.ok) return r.kind === 'permanent' ? { status: 'skipped', reason: r.error } : outcomeOf(r);
      if (!r.url) return { status: 'skipped', reason: 'no permalink' };
      await deps.gives.setReason(p.workspaceId, giveId, r.url);
      return { status: 'sent' };
    },

    async [MEMBER_SYNC_KIND](p) {
      const { userId, firstSeen } = p.payload;
      const r = await deps.slack.user(p.workspaceId, userId);
      // Known before the give: a row then. Another input may have stored one since (a deactivated
      // account read by /intro, say), which must not save a give the guards would have refused.
      const known = firstSeen !== true && (await deps.gives.isKnownMember(p.workspaceId, userId));
      if (r.ok) {
        const field = await deps.members.departmentField(p.workspaceId);
        await deps.members.saveFromSlack(p.workspaceId, r.user, field);
        // Someone first seen in a give who turns out to be a bot or a deactivated account: the guards
        // would have refused the give, so it goes (people known before keep what they received).
        if (r.user.isBot || (r.user.isDeleted && !known))
          await removeGivesTo(p.workspaceId, userId, r.user.isBot ? 'bot' : 'deactivated');
        return { status: 'sent' };
      }
      if (r.kind === 'permanent' && r.error === 'user_not_found') {
        // Someone known before who is gone now keeps their row, marked deleted; a stranger gets none.
        await deps.gives.markMemberDeleted(p.workspaceId, userId);
        if (!known) await removeGivesTo(p.workspaceId, userId, 'user_not_found');
        return { status: 'skipped', reason: 'user_not_found' };
      }
      return outcomeOf(r);
    },
  };
}
