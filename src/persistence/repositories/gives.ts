import { z } from 'zod';
import type { GiveNoticeRepository } from '../../services/give-notices.ts';
import type { GiveAttempt, GiveRepository, MessageMark, NewGive } from '../../services/gives.ts';
import type { Prisma } from '../database.ts';

export type { GiveAttempt, GiveRepository, MessageMark, NewGive };

/** Marks live in JobRun rows (unique per workspace, job and key), one per edited or deleted message. */
const MESSAGE_MARK_JOB = 'message-gives';
const messageMarkSchema = z.object({
  editedTs: z.string().nullable().catch(null),
  deleted: z.boolean().catch(false),
});

/** Gives, one row per giver → receiver, idempotent on their source key. */
export function createGiveRepository(prisma: Prisma): GiveRepository & GiveNoticeRepository {
  return {
    async people(workspaceId, userIds) {
      return prisma.member.findMany({ where: { workspaceId, userId: { in: userIds } } });
    },

    async namedMembers(workspaceId, name) {
      return prisma.member.findMany({
        where: {
          workspaceId,
          isDeleted: false,
          OR: [
            { name: { equals: name, mode: 'insensitive' } },
            { realName: { equals: name, mode: 'insensitive' } },
          ],
        },
        take: 2,
      });
    },

    async removeGivesTo(workspaceId, userId) {
      const r = await prisma.give.deleteMany({ where: { workspaceId, receiverId: userId } });
      return r.count;
    },

    async setReason(workspaceId, giveId, reason) {
      await prisma.give.updateMany({ where: { id: giveId, workspaceId }, data: { reason } });
    },

    async isKnownMember(workspaceId, userId) {
      return (await prisma.member.count({ where: { workspaceId, userId } })) > 0;
    },

    async markMemberDeleted(workspaceId, userId) {
      await prisma.member.updateMany({ where: { workspaceId, userId }, data: { isDeleted: true } });
    },

    /**
     * Records gives of one giver atomically under the daily cap: a per-giver transaction lock makes two
     * concurrent gives see each other's count. Duplicates (same source key) are reported, not counted.
     */
    async recordWithinCap(
      gives: NewGive[],
      cap: number,
      day: { start: Date; end: Date },
    ): Promise<GiveAttempt[]> {
      const first = gives[0];
      if (!first) return [];
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${first.workspaceId}:${first.giverId}`}))`;
        let today = await tx.give.count({
          where: {
            workspaceId: first.workspaceId,
            giverId: first.giverId,
            createdAt: { gte: day.start, lt: day.end },
          },
        });
        const results: GiveAttempt[] = [];
        for (const g of gives) {
          const existing = await tx.give.findUnique({
            where: { workspaceId_sourceKey: { workspaceId: g.workspaceId, sourceKey: g.sourceKey } },
            select: { id: true },
          });
          if (existing) {
            results.push({ status: 'duplicate' });
            continue;
          }
          if (today >= cap) {
            results.push({ status: 'cap_reached', givenToday: today });
            continue;
          }
          const row = await tx.give.create({
            data: { ...g, channelId: g.channelId ?? null, messageTs: g.messageTs ?? null },
          });
          today += 1;
          results.push({ status: 'recorded', id: row.id });
        }
        return results;
      });
    },

    /** How many gives went from `giverId` to `receiverId` since `since`. */
    async pairCountSince(
      workspaceId: string,
      giverId: string,
      receiverId: string,
      since: Date,
    ): Promise<number> {
      return prisma.give.count({ where: { workspaceId, giverId, receiverId, createdAt: { gte: since } } });
    },

    /** Gives recorded from one message (by the message or by reactions to it). */
    async forMessage(workspaceId: string, channelId: string, messageTs: string, source?: NewGive['source']) {
      return prisma.give.findMany({
        where: { workspaceId, channelId, messageTs, ...(source ? { source } : {}) },
      });
    },

    async removeByKeys(workspaceId: string, sourceKeys: string[]): Promise<number> {
      if (sourceKeys.length === 0) return 0;
      const r = await prisma.give.deleteMany({ where: { workspaceId, sourceKey: { in: sourceKeys } } });
      return r.count;
    },

    async removeForMessage(workspaceId: string, channelId: string, messageTs: string): Promise<number> {
      const r = await prisma.give.deleteMany({ where: { workspaceId, channelId, messageTs } });
      return r.count;
    },

    /** The message's mark, or null when only the message itself has been seen (or nothing). */
    async messageMark(
      workspaceId: string,
      channelId: string,
      messageTs: string,
    ): Promise<MessageMark | null> {
      const row = await prisma.jobRun.findUnique({
        where: {
          workspaceId_job_runKey: { workspaceId, job: MESSAGE_MARK_JOB, runKey: `${channelId}:${messageTs}` },
        },
        select: { result: true },
      });
      if (!row) return null;
      const mark = messageMarkSchema.safeParse(row.result ?? {});
      return mark.success ? mark.data : { editedTs: null, deleted: false };
    },

    /** Records a message's latest applied edit or its deletion (replacing its previous mark). */
    async markMessage(
      workspaceId: string,
      channelId: string,
      messageTs: string,
      mark: MessageMark,
      now: Date,
    ): Promise<void> {
      const runKey = `${channelId}:${messageTs}`;
      await prisma.jobRun.upsert({
        where: { workspaceId_job_runKey: { workspaceId, job: MESSAGE_MARK_JOB, runKey } },
        create: {
          workspaceId,
          job: MESSAGE_MARK_JOB,
          runKey,
          startedAt: now,
          finishedAt: now,
          result: { ...mark },
        },
        update: { finishedAt: now, result: { ...mark } },
      });
    },
  };
}
