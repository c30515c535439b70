import { randomUUID } from 'node:crypto';
import type { ClaimedInboxItem, InboxKind, InboxStore, NewInboxItem } from '../../services/ports.ts';
import { type Prisma, type Sql, sqlOverPrisma } from '../database.ts';

export type { ClaimedInboxItem, InboxKind, NewInboxItem };

/** NUL, and surrogate halves without their other half. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what jsonb refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A body PostgreSQL's jsonb accepts: no NUL characters and no lone surrogates (random or hostile input
 * can carry both; they become U+FFFD, as they would in any text Slack shows).
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableJson(k) as string, storableJson(v)]),
    );
  return value;
}

/**
 * The inbox: Slack inputs stored before they are acknowledged, then claimed by one worker at a time
 * (the same lease and SKIP LOCKED claim as the outbox's prompts).
 */
/** Rows per group insert (a burst's acks share statements; the statement stays small). */
const MAX_GROUP_INSERT = 100;

export function createInboxRepository(
  prisma: Prisma,
  /** Insert statements at once: 1 on PGlite (one query at a time anyway), a few on a connection pool. */
  parallelInserts = 1,
  /** The driver's plain SQL for the statements every input runs (store, claim, done). */
  sql: Sql = sqlOverPrisma(prisma),
): InboxStore {
  /**
   * Group insert: a store that arrives while `parallelInserts` inserts are running waits for one of them,
   * then goes in with every other store that waited, as one statement. Alone it is one insert, as before; under a burst the
   * acks share statements instead of queueing one by one behind each other.
   */
  type Waiting = {
    item: NewInboxItem;
    done: (r: 'stored' | 'duplicate') => void;
    fail: (e: unknown) => void;
  };
  const queued: Waiting[] = [];
  let inserting = 0;

  async function insertAll(batch: Waiting[]): Promise<void> {
    const params: unknown[] = [];
    const values = batch.map(({ item }) => {
      const at = item.receivedAt.toISOString();
      const n = params.push(
        randomUUID(),
        item.workspaceId,
        item.key,
        item.kind,
        JSON.stringify(storableJson(item.body)),
        at,
      );
      const p = (k: number) => `$${n - 6 + k}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, CAST(${p(5)} AS jsonb), CAST(${p(6)} AS timestamp), CAST(${p(6)} AS timestamp))`;
    });
    const rows = await sql.query<{ workspaceId: string; key: string }>(
      `INSERT INTO "InboxItem" (id, "workspaceId", key, kind, body, "dueAt", "createdAt")
       VALUES ${values.join(', ')}
       ON CONFLICT ("workspaceId", key) DO NOTHING
       RETURNING "workspaceId", key`,
      params,
    );
    // A key twice in one batch (a retry racing its original) is stored once: the first caller has it.
    const fresh = new Set(rows.map((r) => `${r.workspaceId}\u0000${r.key}`));
    for (const w of batch)
      w.done(fresh.delete(`${w.item.workspaceId}\u0000${w.item.key}`) ? 'stored' : 'duplicate');
  }

  async function flush(): Promise<void> {
    inserting += 1;
    while (queued.length > 0) {
      const batch = queued.splice(0, MAX_GROUP_INSERT);
      try {
        await insertAll(batch);
      } catch (error) {
        for (const w of batch) w.fail(error);
      }
    }
    inserting -= 1;
  }

  return {
    /** One row; a key already stored (Slack's retry of an input) is left as it is. */
    store(item: NewInboxItem): Promise<'stored' | 'duplicate'> {
      return new Promise((done, fail) => {
        queued.push({ item, done, fail });
        if (inserting < parallelInserts) void flush();
      });
    },

    /** Claims up to `limit` due items (pending, or left "sending" by a worker whose lease ran out). */
    async claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<ClaimedInboxItem[]> {
      const nowIso = now.toISOString();
      const leaseIso = new Date(now.getTime() + leaseMs).toISOString();
      // One statement: the claim returns the rows it took (the worker's queries compete with the acks).
      const rows = await sql.query<{
        id: string;
        workspaceId: string;
        kind: string;
        key: string;
        body: unknown;
        attempts: number;
      }>(
        `UPDATE "InboxItem" SET status = 'sending', "lockedBy" = $1,
           "lockedUntil" = CAST($2 AS timestamp), attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM "InboxItem"
           WHERE (status = 'pending' AND "dueAt" <= CAST($3 AS timestamp))
              OR (status = 'sending' AND "lockedUntil" < CAST($3 AS timestamp))
           ORDER BY "dueAt", "createdAt"
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         )
         RETURNING id, "workspaceId", kind, key, body, attempts`,
        [workerId, leaseIso, nowIso, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspaceId,
        kind: r.kind,
        key: r.key,
        body: (typeof r.body === 'string' ? JSON.parse(r.body) : (r.body ?? {})) as Record<string, unknown>,
        attempts: Number(r.attempts),
      }));
    },

    /** Marks a claimed item processed and drops its body (the key alone keeps redeliveries out). */
    async markSent(id: string, workerId: string, now: Date): Promise<boolean> {
      const n = await sql.execute(
        `UPDATE "InboxItem" SET status = 'sent', "sentAt" = CAST($3 AS timestamp), body = '{}'::jsonb,
           "lockedBy" = NULL, "lockedUntil" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, now.toISOString()],
      );
      return n === 1;
    },

    async retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void> {
      await sql.execute(
        `UPDATE "InboxItem" SET status = 'pending', "dueAt" = CAST($3 AS timestamp), "lastError" = $4,
           "lockedBy" = NULL, "lockedUntil" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, dueAt.toISOString(), error],
      );
    },

    /** Records a permanent failure (once); the body stays for whoever looks into it. */
    async markFailed(id: string, workerId: string, error: string): Promise<void> {
      await sql.execute(
        `UPDATE "InboxItem" SET status = 'failed', "lastError" = $3, "lockedBy" = NULL, "lockedUntil" = NULL
         WHERE id = $1 AND status = 'sending' AND "lockedBy" = $2`,
        [id, workerId, error],
      );
    },

    /** Items stored and not yet processed, across workspaces (the back-pressure and /readyz figure). */
    async backlog(): Promise<number> {
      return prisma.inboxItem.count({ where: { status: { in: ['pending', 'sending'] } } });
    },

    /** Forgets processed and failed items older than `before` (Slack retries only within minutes). */
    async prune(before: Date): Promise<number> {
      const r = await prisma.inboxItem.deleteMany({
        where: { status: { in: ['sent', 'failed'] }, createdAt: { lt: before } },
      });
      return r.count;
    },
  };
}
export type InboxRepository = ReturnType<typeof createInboxRepository>;
