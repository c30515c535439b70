import { randomUUID } from 'node:crypto';
import type { ClaimedPrompt, NewPrompt, PostingJournal, PromptQueue } from '../../services/ports.ts';
import { type Prisma, type Sql, sqlOverPrisma } from '../database.ts';

export type { ClaimedPrompt, NewPrompt, PostingJournal };

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

/** Rows per insert statement when scheduling outside a transaction (9 parameters a row). */
const INSERT_CHUNK = 500;

/** A timestamp column as epoch milliseconds (a number, whatever the driver makes of `timestamp`). */
const epochMs = (column: string) => `(extract(epoch from "${column}") * 1000)::float8`;
const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(Math.round(ms)));

interface ClaimedRow {
  id: string;
  workspaceId: string;
  kind: string;
  key: string;
  userId: string | null;
  groupId: string | null;
  payload: unknown;
  attempts: number;
  dueAtMs: number;
  createdAtMs: number;
  postingSinceMs: number | null;
}

/**
 * The outbox: stored messages with a due time, claimed by one worker at a time. The statements every
 * delivery runs (claim, posting mark, sent) go through `sql`, the driver's plain SQL.
 */
export function createPromptRepository(
  prisma: Prisma,
  sql: Sql = sqlOverPrisma(prisma),
): PromptQueue & { schedule(prompts: NewPrompt[], tx?: Tx): Promise<number> } {
  /**
   * One attempt's journal. The mark is cleared after a post Slack certainly did not make, unless an
   * earlier attempt left it (its post is still unaccounted for) or an earlier post of this attempt
   * (a prompt may post several parts) was made or may have been.
   */
  function journal(id: string, workerId: string, claimedSince: Date | null): PostingJournal {
    let since = claimedSince;
    let posted = false;
    const mark = (value: Date | null) =>
      sql.execute(
        `UPDATE "Prompt" SET "postingSince" = CAST($3 AS timestamp)
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, value?.toISOString() ?? null],
      );
    return {
      async begin(at) {
        since ??= at;
        return (await mark(since)) === 1;
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
    async schedule(prompts: NewPrompt[], tx?: Tx): Promise<number> {
      if (prompts.length === 0) return 0;
      if (tx) {
        const r = await tx.prompt.createMany({ data: prompts.map(promptRow), skipDuplicates: true });
        return r.count;
      }
      let stored = 0;
      for (let i = 0; i < prompts.length; i += INSERT_CHUNK) {
        const chunk = prompts.slice(i, i + INSERT_CHUNK);
        const createdAt = new Date().toISOString();
        const params: unknown[] = [];
        const rows = chunk.map((p) => {
          const r = promptRow(p);
          const n = params.push(
            randomUUID(),
            r.workspaceId,
            r.kind,
            r.key,
            r.userId,
            r.groupId,
            JSON.stringify(r.payload),
            r.dueAt.toISOString(),
            createdAt,
          );
          const at = (k: number) => `$${n - 9 + k}`;
          return `(${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, CAST(${at(7)} AS jsonb), CAST(${at(8)} AS timestamp), CAST(${at(9)} AS timestamp))`;
        });
        stored += await sql.execute(
          `INSERT INTO "Prompt" (id, "workspaceId", kind, key, "userId", "groupId", payload, "dueAt", "createdAt")
           VALUES ${rows.join(', ')}
           ON CONFLICT ("workspaceId", key) DO NOTHING`,
          params,
        );
      }
      return stored;
    },

    /**
     * Claims up to `limit` due prompts for this worker (pending and due, or left "sending" by a worker
     * whose lease ran out). SKIP LOCKED lets replicas claim disjoint sets.
     */
    async claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<ClaimedPrompt[]> {
      const nowIso = now.toISOString();
      const leaseIso = new Date(now.getTime() + leaseMs).toISOString();
      // One statement: the claim returns the rows it took.
      const rows = await sql.query<ClaimedRow>(
        `UPDATE "Prompt" SET status = 'sending', "lockedBy" = $1,
           "lockedUntil" = CAST($2 AS timestamp), attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM "Prompt"
           WHERE (status = 'pending' AND "dueAt" <= CAST($3 AS timestamp))
              OR (status = 'sending' AND "lockedUntil" < CAST($3 AS timestamp))
           ORDER BY "dueAt", "createdAt"
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         )
         RETURNING id, "workspaceId", kind, key, "userId", "groupId", payload, attempts,
           ${epochMs('dueAt')} AS "dueAtMs", ${epochMs('createdAt')} AS "createdAtMs",
           ${epochMs('postingSince')} AS "postingSinceMs"`,
        [workerId, leaseIso, nowIso, limit],
      );
      rows.sort((a, b) => a.dueAtMs - b.dueAtMs || a.createdAtMs - b.createdAtMs);
      return rows.map((r) => {
        const postingSince = dateOrNull(r.postingSinceMs);
        return {
          id: r.id,
          postingSince,
          posting: journal(r.id, workerId, postingSince),
          workspaceId: r.workspaceId,
          kind: r.kind,
          key: r.key,
          userId: r.userId,
          groupId: r.groupId,
          payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {})) as Record<
            string,
            unknown
          >,
          dueAt: new Date(Math.round(r.dueAtMs)),
          attempts: Number(r.attempts),
        };
      });
    },

    /** Marks a claimed prompt sent; only the worker holding the claim can. */
    async markSent(
      id: string,
      workerId: string,
      now: Date,
      result: Record<string, unknown> = {},
    ): Promise<boolean> {
      const n = await sql.execute(
        `UPDATE "Prompt" SET status = 'sent', "sentAt" = CAST($3 AS timestamp), result = CAST($4 AS jsonb),
           "lockedBy" = NULL, "lockedUntil" = NULL, "postingSince" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, now.toISOString(), JSON.stringify(result)],
      );
      return n === 1;
    },

    /** Puts a claimed prompt back for a later attempt. */
    async retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void> {
      await sql.execute(
        `UPDATE "Prompt" SET status = 'pending', "dueAt" = CAST($3 AS timestamp), "lastError" = $4,
           "lockedBy" = NULL, "lockedUntil" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, dueAt.toISOString(), error],
      );
    },

    /** Records a permanent failure (once). */
    async markFailed(id: string, workerId: string, error: string): Promise<void> {
      await sql.execute(
        `UPDATE "Prompt" SET status = 'failed', "lastError" = $3, "lockedBy" = NULL, "lockedUntil" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, error],
      );
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
