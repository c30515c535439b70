import type { Prisma } from '../database.ts';

export interface NewGive {
  workspaceId: string;
  giverId: string;
  receiverId: string;
  kind: string;
  reason: string;
  source: 'command' | 'message' | 'reaction' | 'intro' | 'thanks';
  channelId?: string | null;
  messageTs?: string | null;
  /** Where the give came from; unique per workspace, so a retried event can't record it twice. */
  sourceKey: string;
  createdAt: Date;
}

export type GiveAttempt =
  | { status: 'recorded'; id: string }
  | { status: 'duplicate' }
  | { status: 'cap_reached'; givenToday: number };

/** Gives, one row per giver → receiver, idempotent on their source key. */
export function createGiveRepository(prisma: Prisma) {
  return {
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
  };
}
export type GiveRepository = ReturnType<typeof createGiveRepository>;
