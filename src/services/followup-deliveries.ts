import type { Prisma } from '../persistence/database.ts';
import {
  buildCheckIn,
  buildGhostPaused,
  buildHeadsUp,
  buildReconnectOffer,
  buildThankYouOffer,
  buildWelcome,
} from '../slack/views/followups.ts';
import { dmOnce, outcomeOf, postOnce } from './deliveries.ts';
import type { FollowUpService } from './followups.ts';
import { departmentOf, loadDepartments } from './members.ts';
import type { PromptHandler } from './outbox.ts';
import type { Clock, SlackGateway } from './ports.ts';
import { nextRoundAtFor } from './rounds.ts';

const DAY_MS = 86_400_000;

/** Prompt handlers for follow-ups; each re-checks that the message is still wanted when it is due. */
export function createFollowUpDeliveryHandlers(deps: {
  prisma: Prisma;
  slack: SlackGateway;
  followups: FollowUpService;
  clock: Clock;
}): Record<string, PromptHandler> {
  const groupOf = (workspaceId: string, groupId: string | null) =>
    groupId
      ? deps.prisma.group.findFirst({ where: { id: groupId, workspaceId }, include: { members: true } })
      : null;

  const checkIn =
    (reminder: boolean): PromptHandler =>
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
      const intro = await deps.prisma.intro.findFirst({
        where: { workspaceId: prompt.workspaceId, groupId: group.id },
      });
      const connector = intro?.source === 'command' ? intro.introducerId : null;
      const partnerIds = group.members
        .map((m) => m.userId)
        .filter((id) => id !== prompt.userId && id !== connector);
      // Only an /intro made by a third person has a connector to thank (find/me requests do not).
      const connectorId =
        intro && intro.source === 'command' && intro.introducerId !== prompt.userId
          ? intro.introducerId
          : null;
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
      const people = await deps.prisma.member.findMany({
        where: { workspaceId: prompt.workspaceId, userId: { in: group.members.map((m) => m.userId) } },
      });
      if (people.some((p) => p.isDeleted || p.status === 'opted_out'))
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
      const p = prompt.payload as { programId?: string; channelId?: string; periodKey?: string };
      const member = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId: prompt.workspaceId, userId: prompt.userId } },
      });
      if (member?.status !== 'active' || member.skipPeriodKey === p.periodKey)
        return { status: 'skipped', reason: 'not taking part' };
      if (!(await deps.followups.withinBudget(prompt.workspaceId, [prompt.userId])))
        return { status: 'skipped', reason: 'politeness budget' };
      return dmOnce(
        deps.slack,
        prompt,
        prompt.userId,
        buildHeadsUp({
          channelId: p.channelId ?? '',
          programId: p.programId ?? '',
          periodKey: p.periodKey ?? '',
        }),
      );
    },

    async welcome(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'welcome without user' };
      const channelId = (prompt.payload as { channelId?: string | null }).channelId ?? null;
      return dmOnce(deps.slack, prompt, prompt.userId, buildWelcome({ channelId }));
    },

    async ghost_paused(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'ghost_paused without user' };
      return dmOnce(deps.slack, prompt, prompt.userId, buildGhostPaused());
    },

    /** A newcomer's first intro within 2 working days, unless the next round comes sooner. */
    async onboarding_match(prompt) {
      const userId = prompt.userId;
      const { programId, deadline } = prompt.payload as { programId?: string; deadline?: string };
      if (!userId || !programId)
        return { status: 'failed', error: 'onboarding_match without user or program' };
      const program = await deps.prisma.program.findFirst({
        where: { id: programId, workspaceId: prompt.workspaceId },
      });
      if (!program) return { status: 'skipped', reason: 'program gone' };
      const now = deps.clock.now();
      const already = await deps.prisma.groupMember.count({
        where: { workspaceId: prompt.workspaceId, userId },
      });
      if (already > 0) return { status: 'skipped', reason: 'already introduced' };
      if (deadline && nextRoundAtFor(program, now).getTime() <= new Date(deadline).getTime()) {
        return { status: 'skipped', reason: 'the next round comes first' };
      }
      const me = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId: prompt.workspaceId, userId } },
      });
      if (me?.status !== 'active') return { status: 'skipped', reason: 'not active' };
      const departments = await loadDepartments(deps.prisma, prompt.workspaceId);
      const mine = departments.name(departmentOf(me));
      const candidates = await deps.prisma.programMember.findMany({
        where: { programId, leftAt: null, userId: { not: userId } },
        select: { userId: true },
      });
      const rows = await deps.prisma.member.findMany({
        where: {
          workspaceId: prompt.workspaceId,
          userId: { in: candidates.map((c) => c.userId) },
          status: 'active',
          isBot: false,
          isDeleted: false,
          isGuest: false,
        },
      });
      const other = rows.filter((r) => !me.doNotPair.includes(r.userId) && !r.doNotPair.includes(userId));
      const departmentOfRow = (r: (typeof other)[number]) => departments.name(departmentOf(r));
      const partner =
        other.find((r) => departmentOfRow(r) !== null && departmentOfRow(r) !== mine) ??
        other.find((r) => departmentOfRow(r) !== mine) ??
        other[0];
      if (!partner) return { status: 'skipped', reason: 'nobody to pair with yet' };
      // Group and its intro prompt together, so a crash cannot leave a group without its intro.
      const group = await deps.prisma.$transaction(async (tx) => {
        const g = await tx.group.create({
          data: {
            workspaceId: prompt.workspaceId,
            kind: 'extra',
            reasons: [
              'a first intro for someone new',
              departmentOfRow(partner) && departmentOfRow(partner) !== mine
                ? `${mine ?? 'a new team'} meets ${departmentOfRow(partner)}`
                : 'a friendly face',
            ],
            members: {
              create: [userId, partner.userId].map((id) => ({ workspaceId: prompt.workspaceId, userId: id })),
            },
          },
        });
        await tx.prompt.createMany({
          data: [
            {
              workspaceId: prompt.workspaceId,
              kind: 'group_intro',
              key: `group_intro:${g.id}`,
              groupId: g.id,
              payload: {},
              dueAt: now,
            },
          ],
          skipDuplicates: true,
        });
        return g;
      });
      return { status: 'sent', result: { groupId: group.id } };
    },
  };
}
