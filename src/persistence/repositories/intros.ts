// On-demand intros on Prisma (see src/services/intros-repository.ts). `db` is the client or one
// transaction's client (the intro service's unit of work).
import type { IntroRepository } from '../../services/intros-repository.ts';
import type { Prisma, TransactionClient } from '../database.ts';
import { promptRow } from './prompts.ts';

export function createIntroRepository(db: Prisma | TransactionClient): IntroRepository {
  return {
    members: (workspaceId, userIds) =>
      db.member.findMany({ where: { workspaceId, userId: { in: userIds } } }),

    candidates: (workspaceId, userId, filter) =>
      db.member.findMany({
        where: {
          workspaceId,
          userId: { not: userId },
          isBot: false,
          isDeleted: false,
          isGuest: false,
          status: { not: 'opted_out' },
          ...(filter === 'with_expertise'
            ? { NOT: { expertise: { isEmpty: true } } }
            : { status: { in: ['active', 'paused'] }, userId: { not: userId } }),
        },
      }),

    async inActivePrograms(workspaceId, userIds) {
      const rows = await db.programMember.findMany({
        where: { workspaceId, leftAt: null, userId: { in: userIds }, program: { active: true } },
        select: { userId: true },
      });
      return rows.map((p) => p.userId);
    },

    find: (workspaceId, introId) => db.intro.findFirst({ where: { id: introId, workspaceId } }),

    current: (introId) => db.intro.findUniqueOrThrow({ where: { id: introId } }),

    pendingBetween: (workspaceId, a, b) =>
      db.intro.findFirst({
        where: {
          workspaceId,
          status: 'pending',
          OR: [
            { userAId: a, userBId: b },
            { userAId: b, userBId: a },
          ],
        },
      }),

    pendingExtra: (workspaceId, userId) =>
      db.intro.findFirst({ where: { workspaceId, introducerId: userId, source: 'me', status: 'pending' } }),

    pendingPairsOf: (workspaceId, userId) =>
      db.intro.findMany({
        where: { workspaceId, status: 'pending', OR: [{ userAId: userId }, { userBId: userId }] },
        select: { userAId: true, userBId: true },
      }),

    expiredPending: (now, take) =>
      db.intro.findMany({
        where: { status: 'pending', expiresAt: { lte: now } },
        orderBy: { expiresAt: 'asc' },
        take,
      }),

    create: (intro) => db.intro.create({ data: intro }),

    async accept(introId, side, at) {
      await db.intro.updateMany({
        where:
          side === 'A'
            ? { id: introId, status: 'pending', acceptedA: null }
            : { id: introId, status: 'pending', acceptedB: null },
        data: side === 'A' ? { acceptedA: at } : { acceptedB: at },
      });
    },

    async markAccepted(intro, at) {
      const r = await db.intro.updateMany({
        where: {
          id: intro.id,
          workspaceId: intro.workspaceId,
          status: 'pending',
          acceptedA: { not: null },
          acceptedB: { not: null },
        },
        data: { status: 'accepted', closedAt: at },
      });
      return r.count === 1;
    },

    async close(intro, outcome, at) {
      const r = await db.intro.updateMany({
        where: { id: intro.id, workspaceId: intro.workspaceId, status: 'pending' },
        data: { status: outcome, closedAt: at },
      });
      return r.count === 1;
    },

    createGroup: (group) =>
      db.group.create({
        data: {
          workspaceId: group.workspaceId,
          kind: group.kind,
          reasons: group.reasons,
          createdAt: group.createdAt,
          members: {
            create: group.userIds.map((userId) => ({ workspaceId: group.workspaceId, userId })),
          },
        },
      }),

    async setGroup(introId, groupId) {
      await db.intro.update({ where: { id: introId }, data: { groupId } });
    },

    async recordGives(gives) {
      await db.give.createMany({ data: gives, skipDuplicates: true });
    },

    async schedule(prompts) {
      if (prompts.length === 0) return;
      await db.prompt.createMany({ data: prompts.map(promptRow), skipDuplicates: true });
    },

    async markInviteAnswered(workspaceId, key) {
      const invite = await db.prompt.findUnique({
        where: { workspaceId_key: { workspaceId, key } },
        select: { id: true, result: true },
      });
      if (!invite) return;
      const result =
        invite.result && typeof invite.result === 'object' && !Array.isArray(invite.result)
          ? invite.result
          : {};
      await db.prompt.update({ where: { id: invite.id }, data: { result: { ...result, answered: true } } });
    },

    async groupIdsOf(workspaceId, userId) {
      const mine = await db.groupMember.findMany({
        where: { workspaceId, userId },
        select: { groupId: true },
      });
      return mine.map((g) => g.groupId);
    },

    async groupMembersAmong(workspaceId, groupIds, userIds) {
      const shared = await db.groupMember.findMany({
        where: { workspaceId, groupId: { in: groupIds }, userId: { in: userIds } },
        select: { userId: true },
      });
      return shared.map((g) => g.userId);
    },

    givesBetween: (workspaceId, userId, others) =>
      db.give.findMany({
        where: {
          workspaceId,
          OR: [
            { giverId: userId, receiverId: { in: others } },
            { receiverId: userId, giverId: { in: others } },
          ],
        },
        select: { giverId: true, receiverId: true },
      }),

    openIntrosBetween: (workspaceId, userId, others) =>
      db.intro.findMany({
        where: {
          workspaceId,
          status: { in: ['pending', 'accepted'] },
          groupId: null,
          OR: [
            { userAId: userId, userBId: { in: others } },
            { userBId: userId, userAId: { in: others } },
          ],
        },
        select: { userAId: true, userBId: true },
      }),
  };
}
