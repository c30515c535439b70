// Outbox handlers for a round's messages: the group intro DM, the program's welcome and the "not
// matched" notice. Rendered here (the Slack adapter) from what the delivery repository reads.
import type { IntroPerson } from '../../domain/intro/starters.ts';
import { scheduledPersonOf } from '../../domain/schedule/index.ts';
import type { Logger } from '../../observability/logger.ts';
import {
  type DeliveryRepository,
  deliverToGroup,
  dmOnce,
  outcomeOf,
  postOnce,
} from '../../services/deliveries.ts';
import type { MeetingOffer, OfferGroup } from '../../services/meetings.ts';
import { departmentOf, type MemberRow } from '../../services/members.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { Clock, SlackGateway } from '../../services/ports.ts';
import { buildGroupIntroMessage } from '../views/intro-message.ts';
import { buildProgramWelcome } from '../views/program-welcome.ts';

/** Prompt handlers for round delivery: the group intro DM and the "not matched" notice. */
export function createRoundDeliveryHandlers(deps: {
  deliveries: DeliveryRepository;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
  /** For the welcome: where departments come from and how many of the channel's people have none. */
  channelDepartments?: (
    workspaceId: string,
    channelId: string,
  ) => Promise<{ source: string; unknown: number; people: number } | null>;
  /** Suggested meeting times for a group's intro (computed once, kept with the group). */
  meetingOffer?: (group: OfferGroup) => Promise<MeetingOffer | null>;
  /**
   * Runs after a group's intro is delivered (e.g. to schedule its check-in), with the member rows this
   * delivery read (their zones and working hours).
   */
  onGroupDelivered?: (
    group: { id: string; workspaceId: string; roundId: string | null; kind: string },
    members: MemberRow[],
    at: Date,
    /** The round's check-in time, when the prompt carries it (set when the round was planned). */
    checkInAt?: Date,
  ) => Promise<void>;
}): Pick<NotificationHandlers, 'group_intro' | 'program_welcome' | 'unmatched_notice'> {
  const groupDeps = { groups: deps.deliveries, slack: deps.slack, clock: deps.clock };
  return {
    async group_intro(prompt) {
      if (!prompt.groupId) return { status: 'failed', error: 'group_intro without group' };
      const group = await deps.deliveries.groupWithMembers(prompt.workspaceId, prompt.groupId);
      if (!group) return { status: 'skipped', reason: 'group deleted' };
      if (group.deliveredAt)
        return { status: 'sent', result: { channelId: group.conversationId, ts: group.messageTs } };
      const userIds = group.members.map((m) => m.userId);
      const rows = await deps.deliveries.members(prompt.workspaceId, userIds);
      const byId = new Map(rows.map((r) => [r.userId, r]));
      const people: IntroPerson[] = userIds.map((id) => {
        const m = byId.get(id);
        return {
          id,
          name: m?.realName || m?.name || id,
          department: m ? departmentOf(m) : null,
          title: m?.title ?? '',
          interests: m?.interests ?? [],
          expertise: m?.expertise ?? [],
        };
      });
      // The members' rows serve the message, the meeting offer and the check-in: read once.
      const meeting =
        (await deps.meetingOffer?.({
          id: group.id,
          workspaceId: prompt.workspaceId,
          slots: group.slots,
          moreSlotsOffered: group.moreSlotsOffered,
          people: userIds.map((id) => scheduledPersonOf(byId.get(id))),
        })) ?? null;
      const { payload } = prompt;
      const message = buildGroupIntroMessage({
        people,
        reasons: Array.isArray(group.reasons) ? (group.reasons as string[]) : [],
        trioAddedId: payload.trioAddedId,
        seed: payload.seed,
        introducer: payload.introducerId ? { id: payload.introducerId, reason: payload.reason } : null,
        meeting,
      });
      const delivered = await deliverToGroup(groupDeps, prompt, group, userIds, message);
      if (!delivered.ok) return delivered.outcome;
      if (group.roundId) await deps.deliveries.finishRoundIfDelivered(group.roundId, delivered.deliveredAt);
      const plannedCheckIn = payload.checkInAt ? new Date(payload.checkInAt) : undefined;
      await deps.onGroupDelivered?.(group, rows, delivered.deliveredAt, plannedCheckIn);
      return { status: 'sent', result: { channelId: delivered.channelId, ts: delivered.ts } };
    },

    async program_welcome(prompt) {
      const { programId, channelId } = prompt.payload;
      const program = programId ? await deps.deliveries.program(prompt.workspaceId, programId) : null;
      if (!program || !channelId) return { status: 'skipped', reason: 'program gone' };
      const departments = (await deps.channelDepartments?.(prompt.workspaceId, channelId)) ?? undefined;
      const welcome = buildProgramWelcome(program, departments);
      const posted = await postOnce(deps.slack, prompt, channelId, welcome);
      return posted.ok ? { status: 'sent', result: { ts: posted.ts } } : outcomeOf(posted);
    },

    async unmatched_notice(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'unmatched_notice without user' };
      const { channelId } = prompt.payload;
      return dmOnce(deps.slack, prompt, prompt.userId, {
        text: `There was nobody Weave could pair you with this round${channelId ? ` in <#${channelId}>` : ''} (for example because of your "don't pair me with" list or a very small group). You'll be first in line next round.`,
      });
    },
  };
}
