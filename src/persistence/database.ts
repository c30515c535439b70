import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../config/config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../observability/logger.ts';
import type { ExclusiveRunner } from '../services/ports.ts';
import { applyMigrations, type SqlSession } from './migrate.ts';
import { type HostedPglite, startPgliteHost } from './pglite-process.ts';
import { pgliteStartParams } from './pglite-wire.ts';
import { guardCheckouts } from './pool-guard.ts';

export type Prisma = PrismaClient;
/** The client a transaction callback gets: a repository built on it runs inside that transaction. */
export type TransactionClient = Omit<
  PrismaClient,
  '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'
>;

/**
 * Plain SQL on the driver, for the few statements on every Slack input's path (the inbox and the
 * outbox): no query planning in Prisma's engine and no transaction around a single write, which Prisma
 * adds to each (BEGIN, the write, COMMIT: three round trips). Timestamps go in as ISO strings cast to
 * `timestamp` (UTC, as Prisma stores them) and come back as epoch milliseconds.
 */
export interface SqlStatements {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; the number of rows it affected. */
  execute(text: string, params?: unknown[]): Promise<number>;
}
export interface Sql extends SqlStatements {
  /** Runs `fn`'s statements in one transaction (committed when it returns, rolled back when it throws). */
  transaction<T>(fn: (tx: SqlStatements) => Promise<T>): Promise<T>;
}

/** The same statements through Prisma's raw queries (for a client built without its driver at hand). */
export function sqlOverPrisma(prisma: Prisma): Sql {
  return {
    query: <T>(text: string, params: unknown[] = []) => prisma.$queryRawUnsafe<T[]>(text, ...params),
    execute: (text, params = []) => prisma.$executeRawUnsafe(text, ...params),
    transaction: (fn) =>
      prisma.$transaction((tx) =>
        fn({
          query: <T>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...params),
          execute: (text, params = []) => tx.$executeRawUnsafe(text, ...params),
        }),
      ),
  };
}

/** An open database: the Prisma client plus lifecycle and health. */
export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  sql: Sql;
  exclusive: ExclusiveRunner;
  /** True when a trivial query answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens PostgreSQL when configured, else an embedded PGlite under DATA_DIR; applies migrations first. */
export async function openDatabase(db: Config['database'], log: Logger): Promise<Database> {
  return db.kind === 'postgres' ? openPostgres(db.url, log) : openPglite(db.dataDir, db.process, log);
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The part of PGlite Weave and the Prisma adapter use: PGlite itself, or its own process (pglite-process.ts). */
type PgliteClient = Pick<HostedPglite, 'query' | 'exec' | 'transaction' | 'close' | 'closed'>;

async function openPglite(dataDir: string, where: 'inline' | 'separate', log: Logger): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  let pglite: PgliteClient;
  if (where === 'separate') {
    // PGlite in a process of its own (PGLITE_PROCESS=separate): its queries no longer hold up the
    // thread that acks Slack and paces deliveries, and its ~150 MB heap is not Weave's.
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      // Creating the database (initdb) grows PGlite's heap to ~700 MB, and a heap never shrinks: the
      // process that created it closes, and a fresh one opens it at ~200 MB.
      log.info({ dataDir }, 'creating the embedded database');
      await (await startPgliteHost(dataDir, log)).close();
    }
    pglite = await startPgliteHost(dataDir, log);
  } else {
    const inline = new PGlite(dataDir, { startParams: pgliteStartParams(PGlite.defaultStartParams) });
    await inline.waitReady;
    pglite = yieldingBeforeEachQuery(inline) as unknown as PgliteClient;
  }
  const session: SqlSession = {
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
  };
  try {
    // One Weave process owns a PGlite directory, so no lock is needed (or possible) here.
    await applyMigrations(session, log, { lock: false });
  } catch (error) {
    await pglite.close();
    throw error;
  }
  // pglite-prisma-adapter 0.6 is typed against driver-adapter-utils 6.10 and takes a PGlite; it calls
  // only what the host offers (query with parsers, exec, transaction and rollback), and the runtime
  // protocol is the one Prisma 6.19 speaks (checked by the integration tests).
  const adapter = new PrismaPGlite(pglite as unknown as PGlite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  return {
    kind: 'pglite',
    prisma,
    exclusive: inProcessExclusive(),
    // PGlite's query waits for any open transaction (one connection), as Prisma's queries do.
    sql: {
      query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
      execute: async (text, params) => (await pglite.query(text, params)).affectedRows ?? 0,
      transaction: (fn) =>
        pglite.transaction((tx) =>
          fn({
            query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
            execute: async (text, params) => (await tx.query(text, params)).affectedRows ?? 0,
          }),
        ),
    },
    ping: async (timeoutMs = 1000) => {
      try {
        await withTimeout(pglite.query('SELECT 1'), timeoutMs);
        return !pglite.closed;
      } catch {
        return false;
      }
    },
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * PGlite runs each query synchronously on this thread and answers through promises, so a chain of
 * queries (the inbox worker recording a give) would keep the event loop from reading new requests until
 * it ends. One macrotask turn before each query lets requests already received (acks) in between.
 */
function yieldingBeforeEachQuery(pglite: PGlite): PGlite {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return new Proxy(pglite, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== 'query' && prop !== 'transaction')
        return typeof value === 'function' ? value.bind(target) : value;
      const run = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await nextTurn();
        return run.apply(target, args);
      };
    },
  });
}

/** PGlite has one process: a key held in this process is held everywhere. */
function inProcessExclusive(): ExclusiveRunner {
  const held = new Set<string>();
  return {
    async tryExclusive(key, fn) {
      if (held.has(key)) return { ran: false };
      held.add(key);
      try {
        return { ran: true, value: await fn() };
      } finally {
        held.delete(key);
      }
    },
  };
}

/**
 * PostgreSQL session advisory locks on a connection kept for the work: PostgreSQL drops the lock with
 * the connection, so a replica that dies mid-way frees the key at once (no lease to wait out).
 */
function sessionLocks(pool: pg.Pool, log: Logger): ExclusiveRunner {
  return {
    async tryExclusive(key, fn) {
      const client = await pool.connect();
      let locked = false;
      try {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
          key,
        ]);
        locked = r.rows[0]?.ok === true;
        if (!locked) return { ran: false };
        return { ran: true, value: await fn() };
      } finally {
        if (locked) {
          await client
            .query('SELECT pg_advisory_unlock(hashtext($1))', [key])
            .catch((error: unknown) => log.warn({ err: error, key }, 'could not release an advisory lock'));
        }
        client.release();
      }
    },
  };
}

async function openPostgres(url: string, log: Logger): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (e.g. PostgreSQL restarting) must not crash the process.
  pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
  guardCheckouts(pool, log);
  const client = await pool.connect();
  try {
    const session: SqlSession = {
      query: async <T>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params as unknown[])).rows as T[],
      exec: async (sql) => {
        await client.query(sql);
      },
    };
    await applyMigrations(session, log, { lock: true });
  } finally {
    client.release();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    kind: 'postgres',
    prisma,
    exclusive: sessionLocks(pool, log),
    sql: {
      query: async <T>(text: string, params?: unknown[]) =>
        (await pool.query(text, params as unknown[])).rows as T[],
      execute: async (text, params) => (await pool.query(text, params as unknown[])).rowCount ?? 0,
      transaction: async (fn) => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const value = await fn({
            query: async <T>(text: string, params?: unknown[]) =>
              (await client.query(text, params as unknown[])).rows as T[],
            execute: async (text, params) => (await client.query(text, params as unknown[])).rowCount ?? 0,
          });
          await client.query('COMMIT');
          return value;
        } catch (error) {
          // A connection that cannot even roll back is dropped from the pool, not reused.
          await client.query('ROLLBACK').catch((e: unknown) => {
            broken = e instanceof Error ? e : new Error(String(e));
          });
          throw error;
        } finally {
          client.release(broken);
        }
      },
    },
    ping: async (timeoutMs = 1000) => {
      try {
        await withTimeout(pool.query('SELECT 1'), timeoutMs);
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
