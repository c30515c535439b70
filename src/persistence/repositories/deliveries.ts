// What the outbox's delivery handlers read (groups, members, programs, gives, intros, sent invites) and
// record about a group's delivery, on Prisma.
import type { DeliveryRepository } from '../../services/deliveries.ts';
import type { Prisma } from '../database.ts';
import { parseSlots } from './meetings.ts';

export function createDeliveryRepository(prisma: Prisma): DeliveryRepository {
  return {
    async markGroupFailed(groupId, at, failure) {
      await prisma.group.update({ where: { id: groupId }, data: { failedAt: at, failure } });
    },

    async markGroupDelivered(groupId, at, messageTs, conversationId) {
      await prisma.group.update({
        where: { id: groupId },
        data: { deliveredAt: at, messageTs, conversationId },
      });
    },

    async groupWithMembers(workspaceId, groupId) {
      const g = await prisma.group.findFirst({
        where: { id: groupId, workspaceId },
        include: { members: true },
      });
      return g ? { ...g, slots: parseSlots(g.slots) } : null;
    },

    group: (workspaceId, groupId) => prisma.group.findFirst({ where: { id: groupId, workspaceId } }),

    groupNow: (groupId) => prisma.group.findUniqueOrThrow({ where: { id: groupId } }),

    members: (workspaceId, userIds) =>
      prisma.member.findMany({ where: { workspaceId, userId: { in: userIds } } }),

    member: (workspaceId, userId) =>
      prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } }),

    program: (workspaceId, programId) => prisma.program.findFirst({ where: { id: programId, workspaceId } }),

    give: (workspaceId, giveId) => prisma.give.findFirst({ where: { id: giveId, workspaceId } }),

    intro: (workspaceId, introId) => prisma.intro.findFirst({ where: { id: introId, workspaceId } }),

    sentInvites: (workspaceId, keys) =>
      prisma.prompt.findMany({
        where: { workspaceId, kind: 'intro_invite', status: 'sent', key: { in: keys } },
      }),

    async finishRoundIfDelivered(roundId, at) {
      // Whether any group still waits, not how many: a count would visit every group of the round after
      // each delivery (quadratic in the round's size); the (roundId, deliveredAt) index finds the first.
      const waiting = await prisma.group.findFirst({
        where: { roundId, deliveredAt: null, failedAt: null },
        select: { id: true },
      });
      if (waiting === null) {
        await prisma.round.updateMany({
          where: { id: roundId, status: 'delivering' },
          data: { status: 'delivered', deliveredAt: at },
        });
      }
    },
  };
}
