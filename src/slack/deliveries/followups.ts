// Outbox handlers for follow-ups (check-ins, thank-yous, reconnects, heads-ups, welcomes, quiet members,
// a newcomer's first intro): rendered here, the Slack adapter, from what the follow-up service reads.
import { dmOnce, outcomeOf, postOnce } from '../../services/deliveries.ts';
import type { FollowUpService } from '../../services/followups.ts';
import type { NotificationHandlers, PromptHandler } from '../../services/outbox.ts';
import type { Clock, SlackGateway } from '../../services/ports.ts';
import {
  buildCheckIn,
  buildGhostPaused,
  buildHeadsUp,
  buildReconnectOffer,
  buildThankYouOffer,
  buildWelcome,
} from '../views/followups.ts';

const DAY_MS = 86_400_000;

/** Prompt handlers for follow-ups; each re-checks that the message is still wanted when it is due. */
export function createFollowUpDeliveryHandlers(deps: {
  slack: SlackGateway;
  followups: Pick<
    FollowUpService,
    'group' | 'withinBudget' | 'introducerOf' | 'anyoneGone' | 'takingPart' | 'onboardingMatch'
  >;
  clock: Clock;
}): Pick<
  NotificationHandlers,
  | 'checkin'
  | 'checkin_reminder'
  | 'thank_you'
  | 'reconnect'
  | 'heads_up'
  | 'welcome'
  | 'ghost_paused'
  | 'onboarding_match'
> {
  const groupOf = (workspaceId: string, groupId: string | null) =>
    groupId ? deps.followups.group(workspaceId, groupId) : null;

  const checkIn =
    (reminder: boolean): PromptHandler<'checkin' | 'checkin_reminder'> =>
    async (prompt) => {
      const group = await groupOf(prompt.workspaceId, prompt.groupId);
      if (!group?.conversationId) return { status: 'skipped', reason: 'group not delivered' };
      if (group.status === 'met' || group.status === 'not_happening')
        return { status: 'skipped', reason: `group ${group.status}` };
      if (
        reminder &&
        !(await deps.followups.withinBudget(
          prompt.workspaceId,
          group.members.map((m) => m.userId),
        ))
      ) {
        return { status: 'skipped', reason: 'politeness budget' };
      }
      const message = buildCheckIn({
        groupId: group.id,
        answers: group.members.map((m) => ({ userId: m.userId, response: m.response })),
        reminder,
      });
      const posted = await postOnce(deps.slack, prompt, group.conversationId, message);
      return posted.ok ? { status: 'sent', result: { ts: posted.ts } } : outcomeOf(posted);
    };

  return {
    checkin: checkIn(false),
    checkin_reminder: checkIn(true),

    async thank_you(prompt) {
      const group = await groupOf(prompt.workspaceId, prompt.groupId);
      if (!group || !prompt.userId) return { status: 'skipped', reason: 'group gone' };
      const connector = await deps.followups.introducerOf(prompt.workspaceId, group.id);
      const partnerIds = group.members
        .map((m) => m.userId)
        .filter((id) => id !== prompt.userId && id !== connector);
      // Only an /intro made by a third person has a connector to thank (find/me requests do not).
      const connectorId = connector !== null && connector !== prompt.userId ? connector : null;
      return dmOnce(
        deps.slack,
        prompt,
        prompt.userId,
        buildThankYouOffer({ groupId: group.id, partnerIds, connectorId }),
      );
    },

    async reconnect(prompt) {
      const group = await groupOf(prompt.workspaceId, prompt.groupId);
      if (!group || !prompt.userId || !group.metAt) return { status: 'skipped', reason: 'group gone' };
      if (
        await deps.followups.anyoneGone(
          prompt.workspaceId,
          group.members.map((m) => m.userId),
        )
      )
        return { status: 'skipped', reason: 'someone left' };
      if (!(await deps.followups.withinBudget(prompt.workspaceId, [prompt.userId])))
        return { status: 'skipped', reason: 'politeness budget' };
      const months = Math.max(
        1,
        Math.round((deps.clock.now().getTime() - group.metAt.getTime()) / (30 * DAY_MS)),
      );
      return dmOnce(
        deps.slack,
        prompt,
        prompt.userId,
        buildReconnectOffer({
          promptId: prompt.id,
          partnerIds: group.members.map((m) => m.userId).filter((id) => id !== prompt.userId),
          monthsAgo: months,
        }),
      );
    },

    async heads_up(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'heads_up without user' };
      const p = prompt.payload;
      if (!(await deps.followups.takingPart(prompt.workspaceId, prompt.userId, p.periodKey)))
        return { status: 'skipped', reason: 'not taking part' };
      if (!(await deps.followups.withinBudget(prompt.workspaceId, [prompt.userId])))
        return { status: 'skipped', reason: 'politeness budget' };
      return dmOnce(
        deps.slack,
        prompt,
        prompt.userId,
        buildHeadsUp({ channelId: p.channelId, programId: p.programId, periodKey: p.periodKey ?? '' }),
      );
    },

    async welcome(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'welcome without user' };
      return dmOnce(deps.slack, prompt, prompt.userId, buildWelcome({ channelId: prompt.payload.channelId }));
    },

    async ghost_paused(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'ghost_paused without user' };
      return dmOnce(deps.slack, prompt, prompt.userId, buildGhostPaused());
    },

    /** A newcomer's first intro within 2 working days, unless the next round comes sooner. */
    async onboarding_match(prompt) {
      const userId = prompt.userId;
      const { programId, deadline } = prompt.payload;
      if (!userId || !programId)
        return { status: 'failed', error: 'onboarding_match without user or program' };
      const r = await deps.followups.onboardingMatch({
        workspaceId: prompt.workspaceId,
        userId,
        programId,
        deadline,
      });
      if (r.kind === 'skipped') return { status: 'skipped', reason: r.reason };
      return { status: 'sent', result: { groupId: r.groupId } };
    },
  };
}
