import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { guardCheckouts } from '../../src/persistence/pool-guard.ts';
import { createTestDatabase, type TestDatabase, testDbKind } from '../support/database.ts';
import { waitUntil } from '../support/scenarios.ts';

// A connection that dies while checked out (PostgreSQL restarted mid-transaction) and is never released
// by its holder must not stay counted in the pool forever.

class Lines {
  messages: string[] = [];
  write(line: string): void {
    this.messages.push((JSON.parse(line) as { msg: string }).msg);
  }
}

describe.runIf(testDbKind() === 'postgres')('database pool guard', () => {
  let testDb: TestDatabase | null = null;
  let pool: pg.Pool | null = null;
  afterEach(async () => {
    await testDb?.drop();
    testDb = null;
    pool = null;
  });

  async function setUp(guard: boolean) {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('PostgreSQL only');
    const lines = new Lines();
    pool = new pg.Pool({ connectionString: testDb.config.url, max: 2 });
    pool.on('error', () => {});
    if (guard) guardCheckouts(pool, createLogger('warn', lines), 100);
    const admin = new pg.Client({ connectionString: testDb.config.url });
    await admin.connect();
    return { pool, lines, admin };
  }

  async function loseCheckedOutClient(p: pg.Pool, admin: pg.Client): Promise<pg.PoolClient> {
    const client = await p.connect();
    client.on('error', () => {});
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    return client;
  }

  it('discards a checked-out client whose connection died and was never released', async () => {
    const { pool: p, lines, admin } = await setUp(true);
    const abandoned = await loseCheckedOutClient(p, admin);
    expect(p.totalCount).toBe(1);
    await waitUntil(() => p.totalCount === 0, 5000);
    expect(lines.messages).toContain(
      'a database connection was lost while in use and never given back; discarding it',
    );
    // The holder releasing it late changes nothing (no double-release error), and the pool works.
    abandoned.release();
    expect((await p.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    // Both slots are usable again: two clients checked out at once.
    const [a, b] = await Promise.all([p.connect(), p.connect()]);
    a.release();
    b.release();
    await p.end(); // would wait forever for the abandoned client
    await admin.end();
  });

  it('leaves alone a healthy client held longer than the grace period, and one released normally', async () => {
    const { pool: p, lines, admin } = await setUp(true);
    const held = await p.connect();
    await new Promise((r) => setTimeout(r, 300));
    expect(p.totalCount).toBe(1);
    expect(p.idleCount).toBe(0);
    expect((await held.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    held.release();
    expect(p.idleCount).toBe(1);
    const lost = await loseCheckedOutClient(p, admin);
    lost.release(new Error('holder saw the error')); // released by its holder: nothing to do
    await new Promise((r) => setTimeout(r, 300));
    expect(lines.messages).toEqual([]);
    await p.end();
    await admin.end();
  });

  it('without the guard the dead client stays checked out (what the guard is for)', async () => {
    const { pool: p, admin } = await setUp(false);
    const abandoned = await loseCheckedOutClient(p, admin);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.totalCount).toBe(1);
    expect(p.idleCount).toBe(0);
    abandoned.release(new Error('cleanup'));
    await p.end();
    await admin.end();
  });
});
