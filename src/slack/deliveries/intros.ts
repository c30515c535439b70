// Outbox handlers for on-demand intros (invites, the group DM, the closing notice), rendered here (the
// Slack adapter) from what the delivery repository reads.
import type { IntroPerson } from '../../domain/intro/starters.ts';
import type { Logger } from '../../observability/logger.ts';
import { type DeliveryRepository, deliverToGroup, dmOnce } from '../../services/deliveries.ts';
import type { MeetingOffer } from '../../services/meetings.ts';
import { departmentOf, type MemberRow } from '../../services/members.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { Clock, SlackGateway } from '../../services/ports.ts';
import {
  buildIntroEndedNotice,
  buildIntroInvite,
  buildInviteAnswered,
  buildRequestedIntroMessage,
  type IntroSource,
  type InvitePerson,
  type InviteState,
} from '../views/intro-invite.ts';
import { buildGroupIntroMessage } from '../views/intro-message.ts';
import { buildMeetingBlocks } from '../views/meetings.ts';

/** A requested intro's message with the suggested meeting times added. */
function withMeeting<M extends { text: string; blocks?: unknown[] }>(
  message: M,
  meeting: MeetingOffer | null,
): M {
  if (!meeting) return message;
  return { ...message, blocks: [...(message.blocks ?? []), ...buildMeetingBlocks(meeting)] };
}

const sourceOf = (s: string): IntroSource => (s === 'find' || s === 'me' ? s : 'command');

function person(id: string, m: MemberRow | undefined): InvitePerson & IntroPerson {
  return {
    id,
    name: m?.realName || m?.name || id,
    department: m ? departmentOf(m) : null,
    title: m?.title ?? '',
    expertise: m?.expertise ?? [],
    interests: m?.interests ?? [],
  };
}

/** Prompt handlers for on-demand intros: invites, the group DM once both accept, and the closing notice. */
export function createIntroDeliveryHandlers(deps: {
  deliveries: DeliveryRepository;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
  /** Suggested meeting times for the intro's group (computed once, kept with the group). */
  meetingOffer?: (workspaceId: string, groupId: string) => Promise<MeetingOffer | null>;
  /** Runs after an intro's group DM is delivered (e.g. to schedule its check-in). */
  onGroupDelivered?: (
    group: { id: string; workspaceId: string; roundId: string | null; kind: string },
    at: Date,
  ) => Promise<void>;
}): Pick<NotificationHandlers, 'intro_invite' | 'intro_group' | 'intro_closed'> {
  const log = deps.log.child({ component: 'intro-deliveries' });
  const groupDeps = { groups: deps.deliveries, slack: deps.slack, clock: deps.clock };

  async function introOf(prompt: { workspaceId: string; payload: { introId: string } }) {
    const { introId } = prompt.payload;
    return introId ? deps.deliveries.intro(prompt.workspaceId, introId) : null;
  }

  async function membersOf(workspaceId: string, ids: string[]) {
    const rows = await deps.deliveries.members(workspaceId, ids);
    return new Map(rows.map((r) => [r.userId, r]));
  }

  /** Replaces the buttons of invites already delivered with how the intro ended (best effort). */
  async function settleInvites(
    workspaceId: string,
    introId: string,
    userIds: string[],
    stateFor: (userId: string) => InviteState | null,
  ): Promise<void> {
    const sent = await deps.deliveries.sentInvites(
      workspaceId,
      userIds.map((u) => `intro_invite:${introId}:${u}`),
    );
    for (const p of sent) {
      const state = p.userId ? stateFor(p.userId) : null;
      const where = (p.result ?? {}) as { channelId?: unknown; ts?: unknown; answered?: unknown };
      // An invite its person declined already shows their answer (see services/intros.ts, markInviteAnswered).
      if (where.answered === true) continue;
      if (!state || typeof where.channelId !== 'string' || typeof where.ts !== 'string') continue;
      const r = await deps.slack.updateMessage(
        workspaceId,
        where.channelId,
        where.ts,
        buildInviteAnswered(state),
      );
      if (!r.ok) log.warn({ workspaceId, introId, error: r.error }, 'could not update an intro invite');
    }
  }

  return {
    async intro_invite(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'intro_invite without user' };
      const intro = await introOf(prompt);
      if (!intro) return { status: 'skipped', reason: 'intro deleted' };
      if (intro.status !== 'pending') return { status: 'skipped', reason: `intro ${intro.status}` };
      const otherId = intro.userAId === prompt.userId ? intro.userBId : intro.userAId;
      const byId = await membersOf(prompt.workspaceId, [otherId]);
      const source = sourceOf(intro.source);
      return dmOnce(
        deps.slack,
        prompt,
        prompt.userId,
        buildIntroInvite({
          introId: intro.id,
          source,
          introducerId: intro.introducerId,
          other: person(otherId, byId.get(otherId)),
          reason: intro.reason,
          topic: intro.reason,
          expiresAt: intro.expiresAt,
        }),
      );
    },

    async intro_group(prompt) {
      const intro = await introOf(prompt);
      const groupId = prompt.groupId ?? intro?.groupId ?? null;
      if (!intro || !groupId) return { status: 'skipped', reason: 'intro or group deleted' };
      const group = await deps.deliveries.group(prompt.workspaceId, groupId);
      if (!group) return { status: 'skipped', reason: 'group deleted' };
      const pair = [intro.userAId, intro.userBId];
      const source = sourceOf(intro.source);
      if (!group.deliveredAt) {
        const everyone = source === 'command' ? [...pair, intro.introducerId] : pair;
        const byId = await membersOf(prompt.workspaceId, pair);
        const [a, b] = pair.map((id) => person(id, byId.get(id))) as [
          IntroPerson & InvitePerson,
          IntroPerson & InvitePerson,
        ];
        const meeting = (await deps.meetingOffer?.(prompt.workspaceId, group.id)) ?? null;
        const message =
          source === 'command'
            ? buildGroupIntroMessage({
                people: [a, b],
                reasons: [],
                seed: Number.parseInt(intro.id.slice(0, 8), 16) || 0,
                introducer: { id: intro.introducerId, reason: intro.reason },
                meeting,
              })
            : withMeeting(
                buildRequestedIntroMessage({
                  requesterId: intro.introducerId,
                  requester: a,
                  other: b,
                  source,
                  topic: intro.reason,
                }),
                meeting,
              );
        const delivered = await deliverToGroup(groupDeps, prompt, group, everyone, message);
        if (!delivered.ok) return delivered.outcome;
        await deps.onGroupDelivered?.(group, delivered.deliveredAt);
      }
      await settleInvites(prompt.workspaceId, intro.id, pair, () => ({ kind: 'accepted_done' }));
      const fresh = await deps.deliveries.groupNow(group.id);
      return { status: 'sent', result: { channelId: fresh.conversationId, ts: fresh.messageTs } };
    },

    async intro_closed(prompt) {
      const intro = await introOf(prompt);
      if (!intro) return { status: 'skipped', reason: 'intro deleted' };
      const outcome = intro.status === 'expired' ? 'expired' : 'declined';
      await settleInvites(prompt.workspaceId, intro.id, [intro.userAId, intro.userBId], () => ({
        kind: outcome === 'expired' ? 'expired' : 'ended',
      }));
      return dmOnce(
        deps.slack,
        prompt,
        intro.introducerId,
        buildIntroEndedNotice({
          source: sourceOf(intro.source),
          outcome,
          userIds: [intro.userAId, intro.userBId],
          requesterId: intro.introducerId,
        }),
      );
    },
  };
}
