import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GiveNoticeRepository } from '../../services/give-notices.ts';
import type { GiveAttempt, GiveRepository, MessageMark, NewGive } from '../../services/gives.ts';
import { type Prisma, type Sql, sqlOverPrisma } from '../database.ts';

export type { GiveAttempt, GiveRepository, MessageMark, NewGive };

/** Marks live in JobRun rows (unique per workspace, job and key), one per edited or deleted message. */
const MESSAGE_MARK_JOB = 'message-gives';
const messageMarkSchema = z.object({
  editedTs: z.string().nullable().catch(null),
  deleted: z.boolean().catch(false),
});

/** `$from, $from+1, …` for `n` values. */
const placeholders = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

/**
 * Gives, one row per giver → receiver, idempotent on their source key. What every give runs (who the
 * people are, recording under the cap, the pair count) goes through `sql`, the driver's plain SQL.
 */
export function createGiveRepository(
  prisma: Prisma,
  sql: Sql = sqlOverPrisma(prisma),
): GiveRepository & GiveNoticeRepository {
  return {
    async people(workspaceId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await sql.query<{
        userId: string;
        tz: string;
        isBot: boolean;
        isDeleted: boolean;
        giveDmsOff: boolean;
        syncedMs: number | null;
      }>(
        `SELECT "userId", tz, "isBot", "isDeleted", "giveDmsOff",
           (extract(epoch from "profileSyncedAt") * 1000)::float8 AS "syncedMs"
         FROM "Member" WHERE "workspaceId" = $1 AND "userId" IN (${placeholders(2, userIds.length)})`,
        [workspaceId, ...userIds],
      );
      return rows.map(({ syncedMs, ...r }) => ({
        ...r,
        profileSyncedAt: syncedMs === null ? null : new Date(Math.round(syncedMs)),
      }));
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
      return sql.transaction(async (tx) => {
        // A per-giver lock makes two concurrent gives see each other's count (the lock comes first, in
        // its own statement: the count's snapshot is taken after it).
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `${first.workspaceId}:${first.giverId}`,
        ]);
        const [counted] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Give"
           WHERE "workspaceId" = $1 AND "giverId" = $2
             AND "createdAt" >= CAST($3 AS timestamp) AND "createdAt" < CAST($4 AS timestamp)`,
          [first.workspaceId, first.giverId, day.start.toISOString(), day.end.toISOString()],
        );
        let today = Number(counted?.n ?? 0);
        const results: GiveAttempt[] = [];
        for (const g of gives) {
          if (today >= cap) {
            const existing = await tx.query(
              `SELECT 1 FROM "Give" WHERE "workspaceId" = $1 AND "sourceKey" = $2`,
              [g.workspaceId, g.sourceKey],
            );
            results.push(
              existing.length > 0 ? { status: 'duplicate' } : { status: 'cap_reached', givenToday: today },
            );
            continue;
          }
          // A source key already recorded (a retried input) inserts nothing: a duplicate, not counted.
          const [row] = await tx.query<{ id: string }>(
            `INSERT INTO "Give" (id, "workspaceId", "giverId", "receiverId", kind, reason, source, "channelId",
               "messageTs", "sourceKey", "createdAt")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CAST($11 AS timestamp))
             ON CONFLICT ("workspaceId", "sourceKey") DO NOTHING
             RETURNING id`,
            [
              randomUUID(),
              g.workspaceId,
              g.giverId,
              g.receiverId,
              g.kind,
              g.reason,
              g.source,
              g.channelId ?? null,
              g.messageTs ?? null,
              g.sourceKey,
              g.createdAt.toISOString(),
            ],
          );
          if (!row) {
            results.push({ status: 'duplicate' });
            continue;
          }
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
      const [r] = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Give"
         WHERE "workspaceId" = $1 AND "giverId" = $2 AND "receiverId" = $3 AND "createdAt" >= CAST($4 AS timestamp)`,
        [workspaceId, giverId, receiverId, since.toISOString()],
      );
      return Number(r?.n ?? 0);
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
