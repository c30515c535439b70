import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { openDatabase, type Prisma } from '../../src/persistence/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { FAKE_BOT_TOKEN, GENERAL_CHANNEL_ID, generateUsers, TEAM_ID } from '../support/fake-workspace.ts';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../support/process.ts';
import { waitUntil } from '../support/scenarios.ts';
import { createSlackClient } from '../support/signer.ts';

// A real process is SIGKILLed while it acknowledges a stream of inputs, then restarted; what Slack would
// deliver again (the events never acknowledged) is sent again. Every acknowledged input must have its
// effect exactly once: an acknowledged input is never sent again, so one that was lost stays lost.
const SECRET = 'inbox-crash-secret';
const COUNT = 300;
const RATE_PER_S = 100;
const KILL_AFTER_MS = 1500;
const KILL_AFTER_ACKS = 40;
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
  // People Slack knows but Weave has never seen.
  fake.addUser(...generateUsers(COUNT, { idPrefix: 'U9GV' }), ...generateUsers(COUNT, { idPrefix: 'U9RC' }));
});
afterAll(async () => {
  await fake?.close();
});

const giver = (i: number) => `U9GV${String(i + 1).padStart(5, '0')}`;
const receiver = (i: number) => `U9RC${String(i + 1).padStart(5, '0')}`;

async function appProcess(db: TestDatabase): Promise<{ proc: RunningProcess; url: string }> {
  const port = await freePort();
  const proc = startProcess({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'warn',
    SCHEDULER_TICK_SECONDS: '0.2',
    OUTBOX_LEASE_SECONDS: '1.5',
    PORT: String(port),
    // PostgreSQL outlives the killed process (as PGlite's own process does, PGLITE_PROCESS=separate,
    // whose exit with Weave embedded-database.test.ts covers); PGlite inline dies with it, mid-write.
    ...(db.config.kind === 'postgres'
      ? { DATABASE_URL: db.config.url }
      : { DATA_DIR: db.config.dataDir, PGLITE_PROCESS: 'inline' }),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, proc);
  return { proc, url };
}

/** The database after the processes are gone (PGlite opens in one process at a time). */
async function withDb<T>(db: TestDatabase, read: (prisma: Prisma) => Promise<T>): Promise<T> {
  const opened = await openDatabase(db.config, createLogger('silent'));
  try {
    return await read(opened.prisma);
  } finally {
    await opened.close();
  }
}

/** Waits until the process reports an empty inbox backlog. */
async function waitForEmptyInbox(url: string): Promise<void> {
  await waitUntil(async () => {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (!r?.ok) return false;
    const body = (await r.json()) as { inbox?: { backlog: number | null } };
    return body.inbox?.backlog === 0;
  }, 120_000);
}

/**
 * Sends `COUNT` inputs at `RATE_PER_S` to a first process and SIGKILLs it after `KILL_AFTER_MS`; starts
 * a second one, lets it empty its inbox, resends with `resend` what was never acknowledged, and stops it.
 * Resolves with which inputs were acknowledged (a 2xx from the first process).
 */
async function crashTrial(
  db: TestDatabase,
  send: (client: ReturnType<typeof createSlackClient>, i: number) => Promise<{ status: number }>,
  resend?: (client: ReturnType<typeof createSlackClient>, i: number) => Promise<{ status: number }>,
): Promise<{ acked: boolean[]; nonOk: number }> {
  const first = await appProcess(db);
  const client = createSlackClient({ appUrl: first.url, signingSecret: SECRET, teamId: TEAM_ID, fake });
  // One request first, not counted: the first one pays for start-up work (query plans, auth.test).
  // A cold process on a busy machine may miss Slack's 3 s with it (Bolt then answers 404): warm up until
  // one is answered 200, as Slack's own retries would.
  let warm = { status: 0 };
  for (let attempt = 1; attempt <= 5 && warm.status !== 200; attempt += 1) {
    warm = await client.event({
      type: 'message',
      channel: GENERAL_CHANNEL_ID,
      user: giver(0),
      ts: '1799999999.000001',
      text: 'good morning',
    });
  }
  expect(warm.status).toBe(200);
  const acked: boolean[] = Array(COUNT).fill(false);
  let nonOk = 0;
  let killed = false;
  // Killed once enough are acknowledged (at least KILL_AFTER_MS in): mid-stream on a slow machine too.
  const kill = () => {
    if (killed) return;
    killed = true;
    first.proc.child.kill('SIGKILL');
  };
  const started = Date.now();
  const sends: Array<Promise<void>> = [];
  for (let i = 0; i < COUNT && !killed; i += 1) {
    const due = started + (i * 1000) / RATE_PER_S;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    sends.push(
      send(client, i).then(
        (r) => {
          if (r.status >= 200 && r.status < 300) acked[i] = true;
          else nonOk += 1;
          if (Date.now() - started >= KILL_AFTER_MS && acked.filter(Boolean).length >= KILL_AFTER_ACKS)
            kill();
        },
        () => undefined, // the connection died with the process: not acknowledged
      ),
    );
  }
  await Promise.all(sends);
  kill(); // everything was answered before the kill (a very fast machine): kill now, nothing pending
  await first.proc.exited;

  const second = await appProcess(db);
  const again = createSlackClient({ appUrl: second.url, signingSecret: SECRET, teamId: TEAM_ID, fake });
  if (resend) {
    for (let i = 0; i < COUNT; i += 1) {
      if (acked[i]) continue;
      const r = await resend(again, i);
      expect(r.status).toBe(200);
    }
  }
  await waitForEmptyInbox(second.url);
  second.proc.child.kill('SIGTERM');
  expect(await second.proc.exited).toBe(0);
  return { acked, nonOk };
}

describe('a crash while inputs are being acknowledged', () => {
  it('SIGKILL while 300 message gives from people Weave never saw are acknowledged: after a restart and Slack’s retries, every give is stored once', async () => {
    const db = await createTestDatabase();
    try {
      await withDb(db, (p) => p.workspace.create({ data: { id: TEAM_ID, name: 'Acme' } }));
      const ts = (i: number) => `1800000000.${String(i).padStart(6, '0')}`;
      const eventIds: string[] = [];
      const message = (i: number) => ({
        type: 'message',
        channel: GENERAL_CHANNEL_ID,
        user: giver(i),
        ts: ts(i),
        text: `:gift: <@${receiver(i)}> thanks for the help with crash trial ${i}`,
      });
      const { acked, nonOk } = await crashTrial(
        db,
        async (client, i) => {
          const r = await client.event(message(i));
          eventIds[i] = r.eventId;
          return r;
        },
        // Slack delivers an unacknowledged event again, with the same event id.
        (client, i) =>
          client.event(message(i), { ...(eventIds[i] ? { eventId: eventIds[i] } : {}), retryNum: 1 }),
      );
      expect(nonOk).toBe(0);
      expect(acked.filter(Boolean).length).toBeGreaterThan(0);
      expect(acked.filter(Boolean).length).toBeLessThan(COUNT); // the kill landed mid-stream
      const gives = await withDb(db, (p) =>
        p.give.findMany({ where: { workspaceId: TEAM_ID, source: 'message' } }),
      );
      const perMessage = new Map<string, number>();
      for (const g of gives) perMessage.set(g.messageTs ?? '', (perMessage.get(g.messageTs ?? '') ?? 0) + 1);
      const lost = acked.flatMap((a, i) => (a && perMessage.get(ts(i)) !== 1 ? [i] : []));
      expect(lost).toEqual([]);
      expect(gives).toHaveLength(COUNT);
      expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await db.drop();
    }
  }, 240_000);

  it('SIGKILL while 300 /give commands from people Weave never saw are acknowledged: each acknowledged one is stored once and answered through its response URL', async () => {
    const db = await createTestDatabase();
    try {
      await withDb(db, (p) => p.workspace.create({ data: { id: TEAM_ID, name: 'Acme' } }));
      const responseUrls: string[] = [];
      const { acked, nonOk } = await crashTrial(db, async (client, i) => {
        const r = await client.command('/give', `<@${receiver(i)}> thanks for the help with trial ${i}`, {
          userId: giver(i),
          channelId: GENERAL_CHANNEL_ID,
        });
        responseUrls[i] = r.responseUrl;
        return r;
      });
      expect(nonOk).toBe(0);
      expect(acked.filter(Boolean).length).toBeGreaterThan(0);
      const gives = await withDb(db, (p) =>
        p.give.findMany({ where: { workspaceId: TEAM_ID, source: 'command' } }),
      );
      const perGiver = new Map<string, number>();
      for (const g of gives) perGiver.set(g.giverId, (perGiver.get(g.giverId) ?? 0) + 1);
      const wrong = acked.flatMap((a, i) => (a && perGiver.get(giver(i)) !== 1 ? [i] : []));
      expect(wrong).toEqual([]);
      expect([...perGiver.values()].every((n) => n === 1)).toBe(true);
      const unanswered = acked.flatMap((a, i) =>
        a && !fake.responseUrlCalls(responseUrls[i]).some((c) => String(c.args.text).includes('thanks'))
          ? [i]
          : [],
      );
      expect(unanswered).toEqual([]);
    } finally {
      await db.drop();
    }
  }, 240_000);

  it('SIGKILL while 300 "We met" clicks are acknowledged: each acknowledged click settles its group once', async () => {
    const db = await createTestDatabase();
    try {
      const groupIds = await withDb(db, async (p) => {
        await p.workspace.create({ data: { id: TEAM_ID, name: 'Acme' } });
        const ids: string[] = [];
        for (let i = 0; i < COUNT; i += 1) {
          const g = await p.group.create({
            data: {
              workspaceId: TEAM_ID,
              kind: 'extra',
              conversationId: `G9CR${i}`,
              deliveredAt: new Date(),
              members: {
                create: [
                  { workspaceId: TEAM_ID, userId: giver(i) },
                  { workspaceId: TEAM_ID, userId: receiver(i) },
                ],
              },
            },
          });
          ids.push(g.id);
        }
        return ids;
      });
      const { acked, nonOk } = await crashTrial(db, (client, i) =>
        client.action(
          client.blockAction({
            userId: giver(i),
            actionId: 'checkin_met',
            value: groupIds[i] as string,
            channelId: `G9CR${i}`,
            messageTs: '1700000000.000100',
          }),
        ),
      );
      expect(nonOk).toBe(0);
      expect(acked.filter(Boolean).length).toBeGreaterThan(0);
      const groups = await withDb(db, (p) =>
        p.group.findMany({ where: { workspaceId: TEAM_ID }, include: { members: true } }),
      );
      const byId = new Map(groups.map((g) => [g.id, g]));
      const unsettled = acked.flatMap((a, i) => {
        const g = byId.get(groupIds[i] as string);
        const answered = g?.members.find((m) => m.userId === giver(i))?.response === 'met';
        return a && !(g?.status === 'met' && answered) ? [i] : [];
      });
      expect(unsettled).toEqual([]);
    } finally {
      await db.drop();
    }
  }, 240_000);
});
