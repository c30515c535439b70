import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeave, type Weave, type WeaveOverrides } from '../../src/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type Database, openDatabase } from '../../src/persistence/database.ts';
import { TestClock } from '../support/clock.ts';
import { createTestDatabase, type TestDatabase, testDbKind } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  generateUsers,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
} from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { createSlackClient, slackEvents } from '../support/signer.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { FAST_RATE_LIMITS, SIGNING_SECRET, testConfig } from '../support/test-app.ts';

// PostgreSQL going away in the middle of a round (a restart, a failover) without restarting the shared
// test server: the app reaches its database through a TCP proxy, and "restarting PostgreSQL" means the
// proxy refusing connections and cutting the open ones, then listening again. The app must not crash,
// must say it is not ready meanwhile, and must finish the round — every intro once — when it is back.

const PEOPLE = 16;
const GROUPS = PEOPLE / 2;

/** Log lines the app writes (warnings and errors), to show failures happened and were handled. */
class LogSink {
  lines: Array<{ level: number; msg: string }> = [];
  write(line: string): void {
    this.lines.push(JSON.parse(line) as { level: number; msg: string });
  }
}

interface Setup {
  fake: FakeSlack;
  testDb: TestDatabase;
  proxy: TcpProxy;
  /** The same database, not through the proxy: what the test reads while the app's is "down". */
  direct: Database;
  sink: LogSink;
  app: Weave;
  url: string;
}

let setup: Setup | null = null;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function start(env: Record<string, string>, overrides: WeaveOverrides): Promise<Setup> {
  const fake = await startFakeSlack();
  const users = generateUsers(PEOPLE, {
    idPrefix: 'U5D',
    departments: ['Engineering', 'Sales', 'Design', 'Finance'],
  });
  fake.addUser(...users);
  fake.setChannelMembers(PAIRS_CHANNEL_ID, [...users.map((u) => u.id), BOT_USER_ID]);
  const testDb = await createTestDatabase('postgres');
  if (testDb.config.kind !== 'postgres') throw new Error('PostgreSQL only');
  const real = new URL(testDb.config.url);
  const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const viaProxy = new URL(real);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const config = testConfig(fake, { kind: 'postgres', url: viaProxy.toString() }, env);
  const sink = new LogSink();
  const app = await createWeave(config, createLogger('warn', sink), {
    rateLimits: FAST_RATE_LIMITS,
    ...overrides,
  });
  const direct = await openDatabase(testDb.config, createLogger('silent'));
  const s: Setup = { fake, testDb, proxy, direct, sink, app, url: '' };
  setup = s;
  return s;
}

async function listen(s: Setup): Promise<void> {
  const { port } = await s.app.start();
  s.url = `http://127.0.0.1:${port}`;
}

/** The app on a fixed clock with the scheduler run by hand, listening, and a signed Slack client for it. */
async function startManual() {
  const clock = new TestClock('2026-11-25T12:00:00Z');
  const s = await start({}, { clock, manualScheduler: true });
  await listen(s);
  const slack = createSlackClient({
    appUrl: s.url,
    signingSecret: SIGNING_SECRET,
    teamId: TEAM_ID,
    fake: s.fake,
  });
  return { s, slack, clock };
}

const readiness = async (s: Setup) => {
  const res = await fetch(`${s.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { database?: boolean } };
};
const health = async (s: Setup) => (await fetch(`${s.url}/healthz`)).status;

function introsByConversation(fake: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.messagesIn().filter((x) => x.text.includes('Weave match'))) {
    counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  }
  return counts;
}

describe.runIf(testDbKind() === 'postgres')('PostgreSQL restarting during a round', () => {
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  beforeEach(() => {
    unhandled.length = 0;
  });
  afterEach(async () => {
    const s = setup;
    setup = null;
    if (!s) return;
    await s.proxy.up();
    await s.app.stop();
    await s.direct.close();
    await s.proxy.close();
    await s.fake.close();
    await s.testDb.drop();
  });

  it('down when the round is due: /readyz 503 and the jobs fail without a crash; back up, the round runs and every intro goes out once', async () => {
    const { s, slack, clock } = await startManual();
    await slack.event(slackEvents.memberJoinedChannel(BOT_USER_ID, PAIRS_CHANNEL_ID, ADMIN_USER_ID));
    await waitUntil(async () => (await s.direct.prisma.program.count()) === 1);
    expect((await s.app.scheduler.run('deliver')).ok).toBe(true);
    expect(await readiness(s)).toEqual({ status: 200, body: expect.objectContaining({ database: true }) });

    clock.set('2026-11-30T09:00:00Z'); // the first round is due
    await s.proxy.down();
    expect(await readiness(s)).toEqual({ status: 503, body: expect.objectContaining({ database: false }) });
    expect(await health(s)).toBe(200);
    for (const job of ['rounds', 'deliver', 'rounds']) {
      const r = await s.app.scheduler.run(job);
      expect(r.ok).toBe(false);
    }
    expect(await s.direct.prisma.round.count()).toBe(0);

    await s.proxy.up();
    await waitUntil(async () => (await readiness(s)).status === 200);
    expect(await s.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    expect((await s.app.scheduler.run('deliver')).ok).toBe(true);
    expect([...introsByConversation(s.fake).values()]).toEqual(Array(GROUPS).fill(1));
    expect((await s.direct.prisma.round.findFirstOrThrow()).status).toBe('delivered');
    // The three runs above, plus at times the outbox's own drain that was in flight when it went down.
    expect(s.sink.lines.filter((l) => l.msg === 'job failed').length).toBeGreaterThanOrEqual(3);
    expect(unhandled).toEqual([]);
  });

  it('an event arriving while it is down is refused with 503 (so Slack redelivers it) and processed once on the retry', async () => {
    const { s, slack } = await startManual();
    const joined = slackEvents.memberJoinedChannel(BOT_USER_ID, PAIRS_CHANNEL_ID, ADMIN_USER_ID);
    await s.proxy.down();
    const first = await slack.event(joined);
    expect(first.status).toBe(503);
    const eventId = first.eventId;
    expect(await s.direct.prisma.program.count()).toBe(0);

    await s.proxy.up();
    await waitUntil(async () => (await readiness(s)).status === 200);
    // Slack's retries of the same event: processed once, the next one skipped as a duplicate.
    await new Promise((r) => setTimeout(r, 1100)); // past the cached readiness answer
    for (const retryNum of [1, 2]) {
      const again = await slack.event(joined, { eventId, retryNum });
      expect(again.status).toBe(200);
    }
    await waitUntil(async () => (await s.direct.prisma.program.count()) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await s.direct.prisma.program.count()).toBe(1);
    expect(await s.direct.prisma.prompt.count({ where: { kind: 'program_welcome' } })).toBe(1);
    expect(s.sink.lines.some((l) => l.msg.includes('event refused while the database is unreachable'))).toBe(
      true,
    );
    expect(unhandled).toEqual([]);
  });

  it('down in the middle of delivery, with the scheduler ticking: /readyz 503 meanwhile, then the round completes by itself — no intro lost, none twice', async () => {
    // Real time here: the scheduler ticks every 200 ms, a claim's lease is 1 s.
    const s = await start({ SCHEDULER_TICK_SECONDS: '0.2', OUTBOX_LEASE_SECONDS: '1' }, {});
    // The program's round is due now (anchored 8 days ago, weekly on Mondays 00:00 UTC).
    await s.direct.prisma.workspace.create({ data: { id: TEAM_ID, name: 'Acme' } });
    await s.direct.prisma.program.create({
      data: {
        workspaceId: TEAM_ID,
        channelId: PAIRS_CHANNEL_ID,
        tz: 'UTC',
        weekday: 1,
        hour: 0,
        anchor: new Date(Date.now() - 8 * 86_400_000),
      },
    });
    // Slow posts, so the outage lands while intros are being sent.
    s.fake.failNext('chat.postMessage', { delayMs: 150 }, 10_000);
    await listen(s);

    await waitUntil(() => introsByConversation(s.fake).size >= 2, 20_000);
    await s.proxy.down();
    const postedBefore = introsByConversation(s.fake).size;
    expect(postedBefore).toBeLessThan(GROUPS);
    await waitUntil(async () => (await readiness(s)).status === 503);
    expect(await health(s)).toBe(200);
    // Several ticks fail while it is down.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await readiness(s)).toMatchObject({ status: 503 });

    await s.proxy.up();
    await waitUntil(() => introsByConversation(s.fake).size === GROUPS, 30_000);
    await waitUntil(
      async () => (await s.direct.prisma.round.count({ where: { status: 'delivered' } })) === 1,
      10_000,
    );
    // Past a lease and a few ticks: a late duplicate would show now.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await readiness(s)).status).toBe(200);

    expect([...introsByConversation(s.fake).values()]).toEqual(Array(GROUPS).fill(1));
    const groups = await s.direct.prisma.group.findMany();
    expect(groups).toHaveLength(GROUPS);
    expect(groups.every((g) => g.deliveredAt && !g.failedAt)).toBe(true);
    const prompts = await s.direct.prisma.prompt.findMany({ where: { kind: 'group_intro' } });
    expect(prompts.every((p) => p.status === 'sent')).toBe(true);
    // Some intros were mid-delivery when the connection went: their claims ran out and were taken again.
    expect(prompts.some((p) => p.attempts > 1)).toBe(true);
    // The outage was noticed (failed job runs logged), and nothing escaped as an unhandled rejection.
    expect(s.sink.lines.filter((l) => l.level >= 50).length).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  });
});
