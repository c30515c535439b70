import type { Prisma } from '../database.ts';

/** Slack event ids already handled, per workspace: the fast path of retry dedupe. */
export function createEventRepository(prisma: Prisma) {
  return {
    async seen(workspaceId: string, eventId: string): Promise<boolean> {
      const row = await prisma.processedEvent.findUnique({
        where: { workspaceId_eventId: { workspaceId, eventId } },
      });
      return row !== null;
    },
    /** Marks an event handled; a concurrent duplicate marking is harmless. */
    async markSeen(workspaceId: string, eventId: string): Promise<void> {
      await prisma.processedEvent.createMany({ data: [{ workspaceId, eventId }], skipDuplicates: true });
    },
    /** Forgets event ids older than `before` (Slack retries only within minutes). */
    async prune(before: Date): Promise<number> {
      const r = await prisma.processedEvent.deleteMany({ where: { receivedAt: { lt: before } } });
      return r.count;
    },
  };
}
export type EventRepository = ReturnType<typeof createEventRepository>;
