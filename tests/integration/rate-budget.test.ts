import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { type Database, openDatabase } from '../../src/persistence/database.ts';
import { createRateBudgetRepository } from '../../src/persistence/repositories/rate-budget.ts';
import type { RateBudgetStore } from '../../src/services/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The rate budget replicas share (weave_rate_take / weave_rate_done): a window after a completed call is
// counted from its completion with little headroom, after a call in flight from its start with more.
const WINDOW = 1000;
const IN_FLIGHT_WINDOW = 1100;

let testDb: TestDatabase;
let db: Database;
let budget: RateBudgetStore;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.config, createLogger('silent'));
  budget = createRateBudgetRepository(db.prisma);
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function row(method: string): Promise<{ starts: number[]; pending: number[] }> {
  const [r] = await db.sql.query<{ starts: string[]; pending: string[] }>(
    `SELECT "starts"::text[] AS starts, "pending"::text[] AS pending FROM "RateBudget"
      WHERE "workspaceId" = 'T1' AND "method" = $1`,
    [method],
  );
  if (!r) throw new Error(`no budget row for ${method}`);
  return { starts: r.starts.map(Number), pending: r.pending.map(Number) };
}

describe('the shared rate budget', () => {
  it('spaces the next call a window from the completion of a completed one', async () => {
    const first = await budget.reserve('T1', 'conversations.open', 1, WINDOW, IN_FLIGHT_WINDOW);
    expect(first.startMs).toBe(first.nowMs);
    expect(await row('conversations.open')).toEqual({ starts: [first.startMs], pending: [first.startMs] });
    await budget.complete('T1', 'conversations.open', first.startMs);
    const settled = await row('conversations.open');
    expect(settled.pending).toEqual([]);
    const completedAt = settled.starts[0] as number;
    expect(completedAt).toBeGreaterThanOrEqual(first.startMs);
    const next = await budget.reserve('T1', 'conversations.open', 1, WINDOW, IN_FLIGHT_WINDOW);
    expect(next.startMs).toBe(completedAt + WINDOW);
  });

  it('keeps the in-flight headroom after a call not yet completed, and settles one call per completion', async () => {
    const a = await budget.reserve('T1', 'users.info', 2, WINDOW, IN_FLIGHT_WINDOW);
    const b = await budget.reserve('T1', 'users.info', 2, WINDOW, IN_FLIGHT_WINDOW);
    expect((await row('users.info')).pending).toEqual([a.startMs, b.startMs]);
    // The later of the two completes; the earlier (maybe in the same millisecond) is still in flight.
    await budget.complete('T1', 'users.info', b.startMs);
    const r = await row('users.info');
    expect(r.pending).toEqual([a.startMs]);
    expect(r.starts).toHaveLength(2);
    expect(r.starts).toContain(a.startMs);
    const c = await budget.reserve('T1', 'users.info', 2, WINDOW, IN_FLIGHT_WINDOW);
    expect(c.startMs).toBe(a.startMs + IN_FLIGHT_WINDOW);
  });
});
