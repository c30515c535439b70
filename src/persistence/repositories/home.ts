// What a member's App Home reads: their programs, groups, partners' departments, gives and intros made.
import type { HomeRepository } from '../../services/home.ts';
import type { Prisma } from '../database.ts';

export function createHomeRepository(prisma: Prisma): HomeRepository {
  return {
    async programsOf(workspaceId, userId) {
      const memberships = await prisma.programMember.findMany({
        where: { workspaceId, userId, leftAt: null },
        include: { program: true },
      });
      return memberships.map((pm) => pm.program);
    },

    async groupsOf(workspaceId, userId, limit) {
      const rows = await prisma.groupMember.findMany({
        where: { workspaceId, userId },
        include: { group: { include: { members: true } } },
        orderBy: { group: { createdAt: 'desc' } },
        take: limit,
      });
      return rows.map(({ group: g }) => ({
        id: g.id,
        status: g.status,
        conversationId: g.conversationId,
        deliveredAt: g.deliveredAt,
        memberIds: g.members.map((m) => m.userId),
      }));
    },

    async departmentsOf(workspaceId, userIds) {
      const rows = await prisma.member.findMany({ where: { workspaceId, userId: { in: userIds } } });
      return rows.map((r) => ({ department: r.department, slackDepartment: r.slackDepartment }));
    },

    givesReceived: (workspaceId, userId, limit) =>
      prisma.give.findMany({
        where: { workspaceId, receiverId: userId },
        orderBy: { createdAt: 'desc' },
        take: limit,
      }),

    givesSent: (workspaceId, userId, limit) =>
      prisma.give.findMany({
        where: { workspaceId, giverId: userId },
        orderBy: { createdAt: 'desc' },
        take: limit,
      }),

    introsMade: (workspaceId, userId) =>
      prisma.intro.findMany({
        // Requests made with /intro find or /intro me are asks, not introductions made.
        where: { workspaceId, introducerId: userId, source: 'command' },
        select: { groupId: true, status: true },
      }),

    metCount: (groupIds) => prisma.group.count({ where: { id: { in: groupIds }, status: 'met' } }),
  };
}
