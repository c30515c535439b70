import { createWeave, type Weave, type WeaveOverrides } from '../../src/app.ts';
import { type Config, parseConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type Database, openDatabase } from '../../src/persistence/database.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/slack/pacer.ts';
import { TestClock } from './clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './fake-slack.ts';
import { FAKE_BOT_TOKEN, TEAM_ID } from './fake-workspace.ts';
import { createSlackClient } from './signer.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Pacing that never waits in functional tests (pacing itself is tested with its own limits). */
export const FAST_RATE_LIMITS: Record<string, number> = Object.fromEntries(
  Object.keys(DEFAULT_RATE_LIMITS).map((method) => [method, 600_000]),
);

/** One test file's world: a database, a fake Slack, and the real app between them. */
export interface TestWorld {
  fake: FakeSlack;
  db: Database;
  testDb: TestDatabase;
  clock: TestClock;
  app: Weave;
  url: string;
  slack: ReturnType<typeof createSlackClient>;
  config: Config;
  /** Empties every table (not the migrations) and the fake's call log, between tests. */
  reset(): Promise<void>;
  /** Restarts the app on the same database (a process restart, as far as the app can tell). */
  restart(overrides?: WeaveOverrides): Promise<void>;
  close(): Promise<void>;
}

/** Builds a config exactly as the real process would, from environment variables. */
export function testConfig(
  fake: FakeSlack,
  database: Config['database'],
  env: Record<string, string> = {},
): Config {
  const r = parseConfig({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SCHEDULER_TICK_SECONDS: '3600',
    // The database's own process choice travels too (the test database says inline; see database.ts).
    ...(database.kind === 'postgres'
      ? { DATABASE_URL: database.url }
      : { DATA_DIR: database.dataDir, PGLITE_PROCESS: database.process }),
    ...env,
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.config;
}

/** Starts a fake Slack, a fresh database and the real app (HTTP mode, signed requests). */
export async function startWorld(
  opts: {
    env?: Record<string, string>;
    overrides?: WeaveOverrides;
    clock?: TestClock;
    fake?: FakeSlackOptions;
  } = {},
): Promise<TestWorld> {
  const fake = await startFakeSlack(opts.fake);
  const testDb = await createTestDatabase();
  const clock = opts.clock ?? new TestClock();
  const config = testConfig(fake, testDb.config, opts.env);
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config.database, log);
  const boot = async (overrides: WeaveOverrides = {}) => {
    const app = await createWeave(config, log, {
      db,
      clock,
      manualScheduler: true,
      rateLimits: FAST_RATE_LIMITS,
      ...opts.overrides,
      ...overrides,
    });
    const { port } = await app.start();
    return { app, url: `http://127.0.0.1:${port}` };
  };
  let current = await boot();
  const world: TestWorld = {
    fake,
    db,
    testDb,
    clock,
    config,
    get app() {
      return current.app;
    },
    get url() {
      return current.url;
    },
    get slack() {
      return createSlackClient({ appUrl: current.url, signingSecret: SIGNING_SECRET, teamId: TEAM_ID, fake });
    },
    async reset() {
      // Stop the app first (its in-flight work finishes), then empty the tables, then start afresh so
      // in-memory caches (known workspaces, bot ids) don't outlive the rows they describe.
      await current.app.stop();
      const tables = await db.prisma.$queryRaw<Array<{ tablename: string }>>`
        SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
      if (tables.length > 0) {
        await db.prisma.$executeRawUnsafe(
          `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`,
        );
      }
      fake.reset();
      fake.clearMessages();
      current = await boot();
    },
    async restart(overrides) {
      await current.app.stop();
      current = await boot(overrides);
    },
    async close() {
      await current.app.stop();
      await db.close();
      await fake.close();
      await testDb.drop();
    },
  };
  return world;
}
