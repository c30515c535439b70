import type { PromptToSchedule } from '../../services/ports.ts';
import type { Prisma } from '../database.ts';

/** Scheduling the same key twice keeps the first. */
export type NewPrompt = PromptToSchedule;

export interface ClaimedPrompt {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  userId: string | null;
  groupId: string | null;
  payload: Record<string, unknown>;
  dueAt: Date;
  attempts: number;
  /**
   * When set, an earlier attempt sent a post whose outcome is unknown (its answer was lost, or the
   * process died meanwhile): the message may be in Slack, posted at or after this time.
   */
  postingSince: Date | null;
  /** Records posts in flight on the prompt (see `PostingJournal`). */
  posting: PostingJournal;
}

/**
 * What an attempt tells the outbox row about its posts, so only a post whose outcome is genuinely
 * unknown makes the next attempt look in the conversation.
 */
export interface PostingJournal {
  /**
   * Before a post: stored durably, so a crash mid-post leaves it set. False when this claim no longer
   * holds the prompt (its lease ran out and another claim took it): then nothing may be posted.
   */
  begin(at: Date): Promise<boolean>;
  /** After a post Slack certainly did not make (refused, rate-limited, an error answer). */
  notPosted(): Promise<void>;
  /** After a post that was made, or may have been (lost answer): the mark stays until the prompt is sent. */
  mayHavePosted(): void;
}

type Tx = Pick<Prisma, 'prompt'>;

/** The row a new prompt is stored as (one shape for single scheduling and a round's bulk insert). */
export function promptRow(p: NewPrompt) {
  return {
    workspaceId: p.workspaceId,
    kind: p.kind,
    key: p.key,
    userId: p.userId ?? null,
    groupId: p.groupId ?? null,
    payload: (p.payload ?? {}) as object,
    dueAt: p.dueAt,
  };
}

/** The outbox: stored messages with a due time, claimed by one worker at a time. */
export function createPromptRepository(prisma: Prisma) {
  /**
   * One attempt's journal. The mark is cleared after a post Slack certainly did not make, unless an
   * earlier attempt left it (its post is still unaccounted for) or an earlier post of this attempt
   * (a prompt may post several parts) was made or may have been.
   */
  function journal(id: string, workerId: string, claimedSince: Date | null): PostingJournal {
    let since = claimedSince;
    let posted = false;
    const mark = (value: Date | null) =>
      prisma.prompt.updateMany({
        where: { id, status: 'sending', lockedBy: workerId },
        data: { postingSince: value },
      });
    return {
      async begin(at) {
        since ??= at;
        return (await mark(since)).count === 1;
      },
      async notPosted() {
        if (claimedSince || posted || !since) return;
        since = null;
        await mark(null);
      },
      mayHavePosted() {
        posted = true;
      },
    };
  }

  return {
    /** Stores prompts; keys already present are left as they are (idempotent scheduling). */
    async schedule(prompts: NewPrompt[], tx: Tx = prisma): Promise<number> {
      if (prompts.length === 0) return 0;
      const r = await tx.prompt.createMany({
        data: prompts.map(promptRow),
        skipDuplicates: true,
      });
      return r.count;
    },

    /**
     * Claims up to `limit` due prompts for this worker (pending and due, or left "sending" by a worker
     * whose lease ran out). SKIP LOCKED lets replicas claim disjoint sets.
     */
    async claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<ClaimedPrompt[]> {
      const nowIso = now.toISOString();
      const leaseIso = new Date(now.getTime() + leaseMs).toISOString();
      const ids = await prisma.$queryRaw<Array<{ id: string }>>`
        UPDATE "Prompt" SET status = 'sending', "lockedBy" = ${workerId},
          "lockedUntil" = CAST(${leaseIso} AS timestamp), attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM "Prompt"
          WHERE (status = 'pending' AND "dueAt" <= CAST(${nowIso} AS timestamp))
             OR (status = 'sending' AND "lockedUntil" < CAST(${nowIso} AS timestamp))
          ORDER BY "dueAt", "createdAt"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id`;
      if (ids.length === 0) return [];
      const rows = await prisma.prompt.findMany({
        where: { id: { in: ids.map((r) => r.id) }, lockedBy: workerId },
        orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }],
      });
      return rows.map((r) => ({
        id: r.id,
        postingSince: r.postingSince,
        posting: journal(r.id, workerId, r.postingSince),
        workspaceId: r.workspaceId,
        kind: r.kind,
        key: r.key,
        userId: r.userId,
        groupId: r.groupId,
        payload: (r.payload ?? {}) as Record<string, unknown>,
        dueAt: r.dueAt,
        attempts: r.attempts,
      }));
    },

    /** Marks a claimed prompt sent; only the worker holding the claim can. */
    async markSent(
      id: string,
      workerId: string,
      now: Date,
      result: Record<string, unknown> = {},
    ): Promise<boolean> {
      const r = await prisma.prompt.updateMany({
        where: { id, status: 'sending', lockedBy: workerId },
        data: {
          status: 'sent',
          sentAt: now,
          result: result as object,
          lockedBy: null,
          lockedUntil: null,
          postingSince: null,
        },
      });
      return r.count === 1;
    },

    /** Puts a claimed prompt back for a later attempt. */
    async retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void> {
      await prisma.prompt.updateMany({
        where: { id, status: 'sending', lockedBy: workerId },
        data: { status: 'pending', dueAt, lastError: error, lockedBy: null, lockedUntil: null },
      });
    },

    /** Records a permanent failure (once). */
    async markFailed(id: string, workerId: string, error: string): Promise<void> {
      await prisma.prompt.updateMany({
        where: { id, status: 'sending', lockedBy: workerId },
        data: { status: 'failed', lastError: error, lockedBy: null, lockedUntil: null },
      });
    },

    /** Cancels pending prompts of a group (e.g. "Not happening" ends every later ping). */
    async cancelForGroup(workspaceId: string, groupId: string, kinds: string[]): Promise<number> {
      const r = await prisma.prompt.updateMany({
        where: { workspaceId, groupId, kind: { in: kinds }, status: 'pending' },
        data: { status: 'cancelled' },
      });
      return r.count;
    },

    async countPending(workspaceId?: string): Promise<number> {
      return prisma.prompt.count({
        where: { status: { in: ['pending', 'sending'] }, ...(workspaceId ? { workspaceId } : {}) },
      });
    },
  };
}
export type PromptRepository = ReturnType<typeof createPromptRepository>;
