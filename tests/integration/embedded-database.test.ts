// The embedded database's own process (src/persistence/pglite-host.ts): PGlite runs beside Weave, not in
// it. What Weave relies on: values and PostgreSQL's errors cross as they would in-process, a transaction
// commits or rolls back whole, and the database process never outlives Weave's (killed or not) nor lets
// a second one open the same directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { openDatabase } from '../../src/persistence/database.ts';
import { type HostedPglite, startPgliteHost } from '../../src/persistence/pglite-process.ts';
import { createTestDatabase } from '../support/database.ts';

const ONLY_PGLITE = process.env.WEAVE_TEST_DB !== 'pglite';
const log = createLogger('silent');
const drops: Array<() => Promise<void>> = [];

/** A data directory of its own: a copy of the run's migrated template (creating one costs ~3 s). */
async function freshDir(opts: { empty?: boolean } = {}): Promise<string> {
  const db = await createTestDatabase('pglite', opts);
  if (db.config.kind !== 'pglite') throw new Error('expected a PGlite directory');
  const dir = db.config.dataDir;
  drops.push(async () => {
    await db.drop();
    await rm(`${dir}.lock`, { force: true });
  });
  return dir;
}

afterAll(async () => {
  for (const drop of drops) await drop();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(ONLY_PGLITE)('the embedded database process (runs on the PGlite project only)', () => {
  let db: HostedPglite;
  beforeAll(async () => {
    db = await startPgliteHost(await freshDir(), log);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs in a process of its own and answers with values parsed as PGlite would', async () => {
    expect(db.pid).toBeGreaterThan(0);
    expect(db.pid).not.toBe(process.pid);
    const r = await db.query<{
      n: number;
      big: number;
      at: Date;
      doc: unknown;
      ok: boolean;
      tags: string;
      none: null;
    }>(
      `SELECT 42::int AS n, 9007199254740::bigint AS big, '2026-12-06T01:02:03Z'::timestamptz AS at,
              '{"a":[1,"x"]}'::jsonb AS doc, true AS ok, ARRAY['a','b'] AS tags, NULL AS none`,
    );
    expect(r.rows).toEqual([
      {
        n: 42,
        big: 9007199254740,
        at: new Date('2026-12-06T01:02:03Z'),
        doc: { a: [1, 'x'] },
        ok: true,
        tags: ['a', 'b'],
        none: null,
      },
    ]);
    // A caller's own parsers win (Prisma's adapter passes its own), and rows come as arrays when asked.
    const custom = await db.query<unknown[]>('SELECT 7::int AS n, $1::text AS t', ['héllo'], {
      rowMode: 'array',
      parsers: { 23: (v: string) => `int:${v}` },
    });
    expect(custom.rows).toEqual([['int:7', 'héllo']]);
    // A caller's parser for an array type gets the array's text, as in-process.
    const arrays = await db.query<unknown[]>("SELECT ARRAY['2026-01-01'::date] AS d, ARRAY['x'] AS t", [], {
      rowMode: 'array',
      parsers: { 1182: (v: string) => `raw:${v}` },
    });
    expect(arrays.rows).toEqual([['raw:{2026-01-01}', ['x']]]);
    // Parameters cross with their types: bytes and dates.
    const bytes = await db.query<{ b: Uint8Array; d: Date }>('SELECT $1::bytea AS b, $2::timestamptz AS d', [
      Uint8Array.of(1, 2, 255),
      new Date('2026-01-02T03:04:05Z'),
    ]);
    expect([...(bytes.rows[0]?.b ?? [])]).toEqual([1, 2, 255]);
    expect(bytes.rows[0]?.d).toEqual(new Date('2026-01-02T03:04:05Z'));
  });

  it("brings PostgreSQL's errors back as PGlite's DatabaseError, code and constraint included", async () => {
    await db.exec('CREATE TABLE t (k text PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES ($1)', ['one']);
    const error = await db.query('INSERT INTO t VALUES ($1)', ['one']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(messages.DatabaseError);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect(String((error as Error).message)).toContain('duplicate key');
  });

  it('commits a transaction whole, rolls it back whole when its work throws, and on rollback()', async () => {
    await db.exec('CREATE TABLE u (k text PRIMARY KEY)');
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO u VALUES ($1)', ['kept-1']);
      await tx.query('INSERT INTO u VALUES ($1)', ['kept-2']);
      return 'done';
    });
    expect(value).toBe('done');
    const thrown = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO u VALUES ($1)', ['gone-1']);
        throw new Error('changed my mind');
      })
      .catch((e: unknown) => e);
    expect((thrown as Error).message).toBe('changed my mind');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO u VALUES ($1)', ['gone-2']);
      await tx.rollback();
    });
    // Prisma's adapter rolls back without waiting, then ends the transaction: the rollback still wins.
    let unawaited: Promise<void> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO u VALUES ($1)', ['gone-4']);
      unawaited = tx.rollback();
    });
    await expect(unawaited).resolves.toBeUndefined();
    const failing = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO u VALUES ($1)', ['gone-3']);
        await tx.query('INSERT INTO u VALUES ($1)', ['kept-1']);
      })
      .catch((e: unknown) => e);
    expect(failing).toMatchObject({ code: '23505' });
    const rows = await db.query<{ k: string }>('SELECT k FROM u ORDER BY k');
    expect(rows.rows.map((r) => r.k)).toEqual(['kept-1', 'kept-2']);
    // Statements outside a transaction wait for it, as on PGlite's one connection.
    const order: string[] = [];
    await Promise.all([
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO u VALUES ($1)', ['in-tx']);
        await new Promise((r) => setTimeout(r, 100));
        order.push('tx');
      }),
      (async () => {
        await new Promise((r) => setTimeout(r, 20));
        await db.query('SELECT 1');
        order.push('outside');
      })(),
    ]);
    expect(order).toEqual(['tx', 'outside']);
  });

  it('goes when Weave is killed, and Weave restarted finds every committed row', async () => {
    const data = await freshDir();
    // A Weave-like process opens the database, commits a row, reports its host's pid, and is killed.
    const script = `
      import { startPgliteHost } from ${JSON.stringify(join(import.meta.dirname, '../../src/persistence/pglite-process.ts'))};
      import { createLogger } from ${JSON.stringify(join(import.meta.dirname, '../../src/observability/logger.ts'))};
      const db = await startPgliteHost(${JSON.stringify(data)}, createLogger('silent'));
      await db.exec('CREATE TABLE v (k text PRIMARY KEY)');
      await db.query("INSERT INTO v VALUES ('before-kill')");
      process.stdout.write(String(db.pid) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    await until(() => out.includes('\n'), 60_000);
    const hostPid = Number(out.trim());
    expect(alive(hostPid)).toBe(true);
    expect(existsSync(`${data}.lock`)).toBe(true);
    child.kill('SIGKILL');
    // The host sees its channel close, closes the database and exits, letting go of the lock.
    await until(() => !alive(hostPid));
    expect(existsSync(`${data}.lock`)).toBe(false);
    const again = await startPgliteHost(data, log);
    try {
      expect((await again.query<{ k: string }>('SELECT k FROM v')).rows).toEqual([{ k: 'before-kill' }]);
    } finally {
      await again.close();
    }
    expect(again.closed).toBe(true);
  });

  it('serves Weave with PGLITE_PROCESS=separate: migrations, Prisma (writes, interactive transactions), plain SQL', async () => {
    const weave = await openDatabase(
      // An empty directory: the database is created (in a process then restarted) and migrated.
      { kind: 'pglite', dataDir: await freshDir({ empty: true }), process: 'separate' },
      log,
    );
    try {
      expect(await weave.ping()).toBe(true);
      await weave.prisma.workspace.create({ data: { id: 'T1', name: 'one' } });
      await weave.prisma.$transaction(async (tx) => {
        await tx.workspace.update({ where: { id: 'T1' }, data: { name: 'two' } });
        await tx.workspace.create({ data: { id: 'T2' } });
      });
      const failed = await weave.prisma
        .$transaction(async (tx) => {
          await tx.workspace.create({ data: { id: 'T3' } });
          await tx.workspace.create({ data: { id: 'T1' } });
        })
        .catch((e: unknown) => e);
      expect(String((failed as Error).message)).toContain('duplicate key');
      await weave.sql.transaction(async (tx) => {
        await tx.execute('UPDATE "Workspace" SET name = $1 WHERE id = $2', ['three', 'T2']);
      });
      const rows = await weave.prisma.workspace.findMany({
        orderBy: { id: 'asc' },
        select: { id: true, name: true },
      });
      expect(rows).toEqual([
        { id: 'T1', name: 'two' },
        { id: 'T2', name: 'three' },
      ]);
    } finally {
      await weave.close();
    }
    expect(await weave.ping()).toBe(false);
  });

  it('lets one process at a time open a directory: a second waits for the first to close', async () => {
    const data = await freshDir();
    const first = await startPgliteHost(data, log);
    await first.exec('CREATE TABLE w (k text)');
    let secondOpen = false;
    const second = startPgliteHost(data, log).then((db) => {
      secondOpen = true;
      return db;
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(secondOpen).toBe(false);
    await first.close();
    const db = await second;
    try {
      expect((await db.query('SELECT count(*)::int AS n FROM w')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
