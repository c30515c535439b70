// Follow-ups' rows: members' zones and answers, groups and their statuses, reconnect offers, job claims.
import type { FollowUpRepository } from '../../services/followup-repository.ts';
import type { Prisma } from '../database.ts';
import type { createPromptRepository } from './prompts.ts';

export function createFollowUpRepository(
  prisma: Prisma,
  prompts: Pick<ReturnType<typeof createPromptRepository>, 'schedule'>,
): FollowUpRepository {
  return {
    zones: (workspaceId, userIds) =>
      prisma.member.findMany({
        where: { workspaceId, userId: { in: userIds } },
        select: { userId: true, tz: true, workingHours: true },
      }),

    group: (workspaceId, groupId) =>
      prisma.group.findFirst({ where: { id: groupId, workspaceId }, include: { members: true } }),

    // One statement (every delivered round intro asks): the program that has this round.
    programOfRound: (workspaceId, roundId) =>
      prisma.program.findFirst({ where: { workspaceId, rounds: { some: { id: roundId } } } }),

    async recordResponse(groupId, userId, response, at) {
      await prisma.groupMember.update({
        where: { groupId_userId: { groupId, userId } },
        data: { response, respondedAt: at },
      });
    },

    async resetSilence(workspaceId, userId) {
      await prisma.member.updateMany({ where: { workspaceId, userId }, data: { silentRounds: 0 } });
    },

    async setGroupStatus(groupId, status, metAt) {
      await prisma.group.update({
        where: { id: groupId },
        data: metAt ? { status, metAt } : { status },
      });
    },

    answers: (groupId) =>
      prisma.groupMember.findMany({ where: { groupId }, select: { userId: true, response: true } }),

    answerReconnect(input) {
      return prisma.$transaction(async (tx) => {
        const prompt = await tx.prompt.findFirst({
          where: {
            id: input.promptId,
            workspaceId: input.workspaceId,
            kind: 'reconnect',
            userId: input.userId,
          },
        });
        if (!prompt?.groupId) return { ok: false };
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reconnect:${input.workspaceId}:${prompt.groupId}`}))`;
        const current = await tx.prompt.findUniqueOrThrow({ where: { id: prompt.id } });
        await tx.prompt.update({
          where: { id: prompt.id },
          data: { result: { ...(current.result as object), answer: input.answer } },
        });
        if (input.answer !== 'yes') return { ok: true, reconnected: false };
        const offers = await tx.prompt.findMany({
          where: { workspaceId: input.workspaceId, kind: 'reconnect', groupId: prompt.groupId },
        });
        const allYes =
          offers.length > 1 &&
          offers.every((o) => (o.result as { answer?: string } | null)?.answer === 'yes');
        if (!allYes) return { ok: true, reconnected: false };
        const original = await tx.group.findFirst({
          where: { id: prompt.groupId, workspaceId: input.workspaceId },
          include: { members: true },
        });
        if (!original) return { ok: true, reconnected: false };
        const key = `reconnect_group:${original.id}`;
        if (
          await tx.prompt.findUnique({ where: { workspaceId_key: { workspaceId: input.workspaceId, key } } })
        ) {
          return { ok: true, reconnected: true, scheduled: false };
        }
        const group = await tx.group.create({
          data: {
            workspaceId: input.workspaceId,
            kind: 'reconnect',
            reasons: ['you met before and both wanted to reconnect'],
            members: {
              create: original.members.map((m) => ({ workspaceId: input.workspaceId, userId: m.userId })),
            },
          },
        });
        await prompts.schedule(
          [
            {
              workspaceId: input.workspaceId,
              kind: 'group_intro',
              key,
              groupId: group.id,
              payload: { reconnect: true },
              dueAt: input.now,
            },
          ],
          tx,
        );
        return { ok: true, reconnected: true, scheduled: true };
      });
    },

    async claimJobRun(workspaceId, job, runKey) {
      const claimed = await prisma.jobRun.createMany({
        data: [{ workspaceId, job, runKey }],
        skipDuplicates: true,
      });
      return claimed.count > 0;
    },

    async programChannel(workspaceId, programId) {
      const p = await prisma.program.findFirst({
        where: { id: programId, workspaceId },
        select: { channelId: true },
      });
      return p?.channelId ?? null;
    },

    async setSkipPeriod(workspaceId, userId, periodKey) {
      await prisma.member.updateMany({ where: { workspaceId, userId }, data: { skipPeriodKey: periodKey } });
    },

    async recentRoundResponses(workspaceId, userIds, limit) {
      // One statement for a whole roster (a round of 10,000 asks about everyone), not one per person.
      const rows = await prisma.$queryRawUnsafe<Array<{ userId: string; response: string | null }>>(
        `SELECT "userId", response FROM (
           SELECT gm."userId", gm.response,
                  row_number() OVER (PARTITION BY gm."userId" ORDER BY g."createdAt" DESC, g.id) AS n
             FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" AND g."workspaceId" = gm."workspaceId"
            WHERE gm."workspaceId" = $1 AND gm."userId" = ANY($2::text[])
              AND g.kind = 'round' AND g."deliveredAt" IS NOT NULL
         ) recent
         WHERE n <= $3
         ORDER BY "userId", n`,
        workspaceId,
        userIds,
        limit,
      );
      const byUser = new Map<string, Array<string | null>>();
      for (const r of rows) {
        const list = byUser.get(r.userId);
        if (list) list.push(r.response);
        else byUser.set(r.userId, [r.response]);
      }
      return byUser;
    },

    async autoPause(workspaceId, userId) {
      const updated = await prisma.member.updateMany({
        where: { workspaceId, userId, status: 'active' },
        data: { status: 'auto_paused' },
      });
      return updated.count > 0;
    },

    memberships: (workspaceId, userIds) =>
      prisma.groupMember.findMany({
        where: { workspaceId, userId: { in: userIds } },
        select: { groupId: true, userId: true },
      }),

    sentSince: (workspaceId, q) =>
      prisma.prompt.findMany({
        where: {
          workspaceId,
          status: 'sent',
          kind: { in: q.kinds },
          sentAt: { gte: q.since },
          OR: [{ userId: { in: q.userIds } }, { groupId: { in: q.groupIds } }],
        },
        select: { userId: true, groupId: true, result: true },
      }),

    async introOfGroup(workspaceId, groupId) {
      const intro = await prisma.intro.findFirst({ where: { workspaceId, groupId } });
      return intro ? { source: intro.source, introducerId: intro.introducerId } : null;
    },

    async anyoneGone(workspaceId, userIds) {
      const people = await prisma.member.findMany({ where: { workspaceId, userId: { in: userIds } } });
      return people.some((p) => p.isDeleted || p.status === 'opted_out');
    },

    participation: (workspaceId, userId) =>
      prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } }),

    program: (workspaceId, programId) => prisma.program.findFirst({ where: { id: programId, workspaceId } }),

    groupCount: (workspaceId, userId) => prisma.groupMember.count({ where: { workspaceId, userId } }),

    pairingMember: (workspaceId, userId) =>
      prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } }),

    async pairingCandidates(workspaceId, programId, userId) {
      const candidates = await prisma.programMember.findMany({
        where: { programId, leftAt: null, userId: { not: userId } },
        select: { userId: true },
      });
      return prisma.member.findMany({
        where: {
          workspaceId,
          userId: { in: candidates.map((c) => c.userId) },
          status: 'active',
          isBot: false,
          isDeleted: false,
          isGuest: false,
        },
      });
    },

    createGroupWithIntro(input) {
      // Group and its intro prompt together, so a crash cannot leave a group without its intro.
      return prisma.$transaction(async (tx) => {
        const g = await tx.group.create({
          data: {
            workspaceId: input.workspaceId,
            kind: input.kind,
            reasons: input.reasons,
            members: {
              create: input.memberIds.map((id) => ({ workspaceId: input.workspaceId, userId: id })),
            },
          },
        });
        await prompts.schedule(
          [
            {
              workspaceId: input.workspaceId,
              kind: 'group_intro',
              key: `group_intro:${g.id}`,
              groupId: g.id,
              payload: {},
              dueAt: input.now,
            },
          ],
          tx,
        );
        return g.id;
      });
    },
  };
}
