import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { FAKE_BOT_TOKEN, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { freePort, startProcess, waitForHttp } from '../support/process.ts';
import { createSlackClient } from '../support/signer.ts';

const SECRET = 'process-test-signing-secret';
let fake: FakeSlack;
let testDb: TestDatabase;

function envFor(port: number, db: TestDatabase['config']): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...(db.kind === 'postgres' ? { DATABASE_URL: db.url } : { DATA_DIR: db.dataDir }),
  };
}

beforeAll(async () => {
  fake = await startFakeSlack();
  testDb = await createTestDatabase(undefined, { empty: true });
});
afterAll(async () => {
  await fake?.close();
  await testDb?.drop();
});

describe('the weave process', () => {
  it('exits 1 with one readable message naming each missing variable when there is no configuration', async () => {
    const proc = startProcess({ DATA_DIR: '/nonexistent-not-used' });
    const code = await proc.exited;
    expect(code).toBe(1);
    const out = proc.output();
    expect(out).toContain('SLACK_BOT_TOKEN');
    expect(out).toContain('SLACK_SIGNING_SECRET');
    expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  });

  it('starts in HTTP mode, applies migrations, serves /healthz and a signed /intro help, and refuses bad signatures', async () => {
    const port = await freePort();
    const proc = startProcess(envFor(port, testDb.config));
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
      expect(proc.output()).toContain('migration applied');
      expect(proc.output()).toContain('"mode":"http"');
      const slack = createSlackClient({
        appUrl: `http://127.0.0.1:${port}`,
        signingSecret: SECRET,
        teamId: TEAM_ID,
        fake,
      });
      const ok = await slack.command('/intro', 'help', { userId: USER_IDS.ben, channelId: PAIRS_CHANNEL_ID });
      expect(ok.status).toBe(200);
      expect(JSON.stringify(ok.body)).toContain('/intro find');
      const forged = createSlackClient({
        appUrl: `http://127.0.0.1:${port}`,
        signingSecret: 'wrong',
        teamId: TEAM_ID,
        fake,
      });
      expect(
        (await forged.command('/intro', 'help', { userId: USER_IDS.ben, channelId: PAIRS_CHANNEL_ID }))
          .status,
      ).toBe(401);
      const stale = await slack.command('/intro', 'help', {
        userId: USER_IDS.ben,
        channelId: PAIRS_CHANNEL_ID,
        timestampSec: Math.floor(Date.now() / 1000) - 301,
      });
      expect(stale.status).toBe(401);
    } finally {
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    }
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const port = await freePort();
    const proc = startProcess(envFor(port, testDb.config));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
    const slack = createSlackClient({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: SECRET,
      teamId: TEAM_ID,
      fake,
    });
    // /intro round now by an admin reads the admin's profile from Slack first: make that slow.
    fake.failNext('users.info', { delayMs: 1500 });
    const inFlight = slack.command('/intro', 'preview', {
      userId: USER_IDS.anna,
      channelId: PAIRS_CHANNEL_ID,
    });
    await fake.waitFor('users.info');
    const started = Date.now();
    proc.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await proc.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proc.output()).toContain('"msg":"stopped"');
  });

  it.runIf(testDb?.kind === 'postgres' || process.env.WEAVE_TEST_DB === 'postgres')(
    'two processes started at once on one PostgreSQL database both come up, migrations applied once',
    async () => {
      const fresh = await createTestDatabase('postgres', { empty: true });
      const [p1, p2] = [await freePort(), await freePort()];
      const a = startProcess(envFor(p1, fresh.config));
      const b = startProcess(envFor(p2, fresh.config));
      try {
        await Promise.all([
          waitForHttp(`http://127.0.0.1:${p1}/readyz`, a),
          waitForHttp(`http://127.0.0.1:${p2}/readyz`, b),
        ]);
        const applied =
          (a.output().match(/migration applied/g) ?? []).length +
          (b.output().match(/migration applied/g) ?? []).length;
        const { readMigrations } = await import('../../src/persistence/migrate.ts');
        expect(applied).toBe((await readMigrations()).length);
        const pg = (await import('pg')).default;
        const client = new pg.Client({
          connectionString: fresh.config.kind === 'postgres' ? fresh.config.url : '',
        });
        await client.connect();
        const rows = await client.query(
          'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1',
        );
        await client.end();
        expect(rows.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
        expect(rows.rows.length).toBe(applied);
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        await Promise.all([a.exited, b.exited]);
        await fresh.drop();
      }
    },
  );
});
