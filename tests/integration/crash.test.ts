import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDbKind } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { BOT_USER_ID, FAKE_BOT_TOKEN, generateUsers, PAIRS_CHANNEL_ID } from '../support/fake-workspace.ts';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../support/process.ts';
import { waitUntil } from '../support/scenarios.ts';
import { countRows, seedDueProgram } from '../support/seed.ts';

// SIGKILL at random points of a round's delivery, then a restart: every group DM exactly once.
// WEAVE_FAULT_TRIALS raises the number of trials (npm run test:faults runs 20).
const TRIALS = Number(process.env.WEAVE_FAULT_TRIALS ?? 3);
const PEOPLE = 20;
const GROUPS = PEOPLE / 2;
let fake: FakeSlack;

/** Seeded PRNG so a failing trial can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function introCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.messagesIn().filter((x) => x.text.includes('Weave match'))) {
    counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  }
  return counts;
}

async function appProcess(env: Record<string, string>): Promise<{ proc: RunningProcess; port: number }> {
  const port = await freePort();
  const proc = startProcess({ ...env, PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
  return { proc, port };
}

beforeAll(async () => {
  fake = await startFakeSlack();
  const users = generateUsers(PEOPLE, {
    idPrefix: 'U3K',
    departments: ['Engineering', 'Sales', 'Design', 'Finance'],
  });
  fake.addUser(...users);
  fake.setChannelMembers(PAIRS_CHANNEL_ID, [...users.map((u) => u.id), BOT_USER_ID]);
});
afterAll(async () => {
  await fake?.close();
});

describe('crashes during a round', () => {
  it(
    `SIGKILL at random points, then a restart: every group DM exactly once (${TRIALS} trials)`,
    async () => {
      const rng = mulberry32(20261125);
      for (let trial = 0; trial < TRIALS; trial += 1) {
        fake.reset();
        fake.clearMessages();
        fake.failNext('chat.postMessage', { delayMs: 120 }, 10_000);
        const db = await createTestDatabase();
        await seedDueProgram(db);
        const env = {
          SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
          SLACK_SIGNING_SECRET: 'crash-test-secret',
          SLACK_API_URL: fake.apiUrl,
          LOG_LEVEL: 'warn',
          SCHEDULER_TICK_SECONDS: '0.2',
          OUTBOX_LEASE_SECONDS: '1.5',
          // PostgreSQL outlives the killed process (as PGlite's own process does, PGLITE_PROCESS=separate,
          // whose exit with Weave embedded-database.test.ts covers); PGlite inline dies with it, mid-write.
          ...(db.config.kind === 'postgres'
            ? { DATABASE_URL: db.config.url }
            : { DATA_DIR: db.config.dataDir, PGLITE_PROCESS: 'inline' }),
        };
        try {
          const first = await appProcess(env);
          // Kill after a random number of intros (0 … all but one) plus a random slice of the next one.
          const killAfter = Math.floor(rng() * GROUPS);
          await waitUntil(() => fake.callsTo('chat.postMessage').length >= killAfter, 40_000);
          await new Promise((r) => setTimeout(r, Math.floor(rng() * 150)));
          first.proc.child.kill('SIGKILL');
          await first.proc.exited;

          const second = await appProcess(env);
          await waitUntil(() => introCounts().size === GROUPS, 60_000);
          await new Promise((r) => setTimeout(r, 2500)); // past a lease: any late duplicate would show now
          second.proc.child.kill('SIGTERM');
          expect(await second.proc.exited).toBe(0);

          const counts = introCounts();
          expect({ trial, killAfter, conversations: counts.size }).toEqual({
            trial,
            killAfter,
            conversations: GROUPS,
          });
          expect({ trial, duplicates: [...counts.values()].filter((n) => n !== 1).length }).toEqual({
            trial,
            duplicates: 0,
          });
          expect(await countRows(db)).toEqual({ rounds: 1, groups: GROUPS, delivered: GROUPS });
        } finally {
          await db.drop();
        }
      }
    },
    60_000 + TRIALS * 45_000,
  );

  it.runIf(testDbKind() === 'postgres')(
    'two app processes against one PostgreSQL database and one due round: exactly one round, each DM once',
    async () => {
      fake.reset();
      fake.clearMessages();
      const db = await createTestDatabase('postgres');
      await seedDueProgram(db);
      const env = {
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_SIGNING_SECRET: 'replica-test-secret',
        SLACK_API_URL: fake.apiUrl,
        LOG_LEVEL: 'warn',
        SCHEDULER_TICK_SECONDS: '0.2',
        DATABASE_URL: db.config.kind === 'postgres' ? db.config.url : '',
      };
      try {
        const [a, b] = await Promise.all([appProcess(env), appProcess(env)]);
        await waitUntil(() => introCounts().size === GROUPS, 60_000);
        await new Promise((r) => setTimeout(r, 1500));
        a.proc.child.kill('SIGTERM');
        b.proc.child.kill('SIGTERM');
        await Promise.all([a.proc.exited, b.proc.exited]);
        expect([...introCounts().values()]).toEqual(Array(GROUPS).fill(1));
        expect(await countRows(db)).toEqual({ rounds: 1, groups: GROUPS, delivered: GROUPS });
      } finally {
        await db.drop();
      }
    },
    90_000,
  );
});
