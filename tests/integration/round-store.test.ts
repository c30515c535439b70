import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { type Database, openDatabase } from '../../src/persistence/database.ts';
import { createRoundRepository } from '../../src/persistence/repositories/rounds.ts';
import type { NewRound } from '../../src/services/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { PAIRS_CHANNEL_ID, TEAM_ID } from '../support/fake-workspace.ts';

// A round is stored in multi-row statements on the driver's plain SQL, in one transaction: every row with
// its JSON and array values, groups and prompts in the plan's order, and a second attempt at the same
// program and period (another replica) stores nothing.

let testDb: TestDatabase;
let db: Database;
let programId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.config, createLogger('silent'));
  await db.prisma.workspace.create({ data: { id: TEAM_ID } });
  const program = await db.prisma.program.create({
    data: {
      workspaceId: TEAM_ID,
      channelId: PAIRS_CHANNEL_ID,
      weekday: 1,
      hour: 9,
      tz: 'UTC',
      anchor: new Date(),
    },
  });
  programId = program.id;
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

function round(): NewRound {
  const groups = [
    { id: randomUUID(), members: ['U1', 'U2'], reasons: ['Engineering × Sales'] },
    { id: randomUUID(), members: ['U3', 'U4', 'U5'], reasons: [] },
  ];
  return {
    id: randomUUID(),
    workspaceId: TEAM_ID,
    programId,
    periodKey: '2026-W49',
    number: 1,
    seed: 42,
    stats: { coverage: 1, pairs: 1 },
    unmatched: ['U6'],
    groups,
    prompts: [
      ...groups.map((g) => ({
        workspaceId: TEAM_ID,
        kind: 'group_intro' as const,
        key: `group_intro:${g.id}`,
        groupId: g.id,
        payload: { seed: 42, trioAddedId: g.members.length > 2 ? 'U5' : null },
        dueAt: new Date('2026-11-30T09:00:00Z'),
      })),
      {
        workspaceId: TEAM_ID,
        kind: 'unmatched_notice' as const,
        key: 'unmatched:r:U6',
        userId: 'U6',
        payload: { channelId: PAIRS_CHANNEL_ID },
        dueAt: new Date('2026-11-30T09:00:00Z'),
      },
    ],
  };
}

describe('storing a round', () => {
  it('writes the round, its groups, members and prompts once; a second attempt at the period stores nothing', async () => {
    const store = createRoundRepository(db.prisma, db.sql);
    const first = round();
    expect(await store.create(first)).toBe('created');

    const stored = await db.prisma.round.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored).toMatchObject({
      status: 'delivering',
      stats: { coverage: 1, pairs: 1 },
      unmatched: ['U6'],
    });
    const groups = await db.prisma.group.findMany({
      where: { roundId: first.id },
      orderBy: { createdAt: 'asc' },
      include: { members: { orderBy: { userId: 'asc' } } },
    });
    expect(groups.map((g) => g.id)).toEqual(first.groups.map((g) => g.id));
    expect(groups.map((g) => g.reasons)).toEqual([['Engineering × Sales'], []]);
    expect(groups.map((g) => g.members.map((m) => m.userId))).toEqual([
      ['U1', 'U2'],
      ['U3', 'U4', 'U5'],
    ]);
    const prompts = await db.prisma.prompt.findMany({ orderBy: { createdAt: 'asc' } });
    expect(prompts.map((p) => [p.kind, p.status, p.payload])).toEqual([
      ['group_intro', 'pending', { seed: 42, trioAddedId: null }],
      ['group_intro', 'pending', { seed: 42, trioAddedId: 'U5' }],
      ['unmatched_notice', 'pending', { channelId: PAIRS_CHANNEL_ID }],
    ]);
    expect(prompts[0]?.dueAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');

    // Another replica planned the same period: nothing of its plan is kept.
    expect(await store.create(round())).toBe('exists');
    expect(await db.prisma.round.count()).toBe(1);
    expect(await db.prisma.group.count()).toBe(2);
    expect(await db.prisma.groupMember.count()).toBe(5);
    expect(await db.prisma.prompt.count()).toBe(3);
  });
});
