// Request-handling benchmark (docs/benchmarks.md, "Request handling"): the real app runs as its own
// process in HTTP mode against the fake Slack (served from this process); this process sends signed
// `/give` slash commands and `message` events at a fixed rate, then a burst, and measures each request's
// ack latency (time to the HTTP response). Baseline, same run, same rate: GET /healthz, which does no
// Slack or database work. One JSON line per database on stdout; progress on stderr.
//
//   npm run bench:http [-- --db pglite|postgres|both] [--rate 100] [--seconds 30] [--burst 500] [--cold]
//   npm run bench:http -- --kill-after 1.5 [--rate 100] [--seconds 3]
//
// An ack includes the durable write: every give is stored in the inbox before its 200. The workspace is
// warm (members stored with a fresh profile) unless --cold: then nobody is known, and recording still
// never waits on Slack (profiles are read afterwards, paced).
// Each giver gives a few times at most, each time to someone else: no daily cap, no "thank someone new".
//
// --kill-after S: the crash trial. A cold workspace, gives at --rate for --seconds; the app is SIGKILLed
// S seconds in, restarted, and sent again what Slack would retry (the events never acknowledged, same
// event id); then every acknowledged give must be stored once. Commands are not retried by Slack (the
// person sees an error): they are counted, not resent.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Config } from '../src/config/config.ts';
import { createLogger } from '../src/observability/logger.ts';
import { openDatabase } from '../src/persistence/database.ts';
import { createTestDatabase } from '../tests/support/database.ts';
import { type FakeSlack, startFakeSlack } from '../tests/support/fake-slack.ts';
import {
  FAKE_BOT_TOKEN,
  GENERAL_CHANNEL_ID,
  generateUsers,
  TEAM_ID,
} from '../tests/support/fake-workspace.ts';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../tests/support/process.ts';
import { createSlackClient, type SlackClient, slackEvents } from '../tests/support/signer.ts';

const SECRET = 'bench-http-signing-secret-0123456789';
const DEFAULT_PG_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const TARGET_STEADY_P99_MS = 20;
const TARGET_BURST_P99_MS = 1000;
const DAILY_CAP = 5;
const WARMUP = 40;

const { values: argv } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    burst: { type: 'string', default: '500' },
    users: { type: 'string', default: '3000' },
    'log-level': { type: 'string', default: 'error' },
    // NODE_OPTIONS for the app process, e.g. `--app-node-options="--import /tmp/profile-hook.mjs"`.
    'app-node-options': { type: 'string' },
    // Writes every sample (kind, send time, latency, status) as JSON lines to this file.
    trace: { type: 'string' },
    cold: { type: 'boolean', default: false },
    'kill-after': { type: 'string' },
  },
});
const RATE = Number(argv.rate);
const SECONDS = Number(argv.seconds);
const BURST = Number(argv.burst);
const STEADY = Math.round(RATE * SECONDS);
const TOTAL = WARMUP + STEADY + BURST;
// Each giver gives at most ceil(TOTAL / users) times a day: keep that well under the daily cap.
const USERS = Math.max(Number(argv.users), Math.ceil(TOTAL / (DAILY_CAP - 1)));

function progress(msg: string): void {
  process.stderr.write(`[bench:http] ${msg}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  kind: 'command' | 'event' | 'healthz';
  /** When the request was sent (performance.now()). */
  at: number;
  ms: number;
  status: number;
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function stats(samples: Sample[]): Stats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.max(0, Math.ceil(q * ms.length) - 1))] ?? 0;
  const round = (v: number) => Math.round(v * 10) / 10;
  return { n: ms.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)) };
}

const non2xx = (samples: Sample[]) => samples.filter((s) => s.status < 200 || s.status > 299).length;

/** Times one request; a network error counts as status 0 (a non-2xx). */
async function timed(kind: Sample['kind'], send: () => Promise<{ status: number }>): Promise<Sample> {
  const t0 = performance.now();
  try {
    const r = await send();
    return { kind, at: t0, ms: performance.now() - t0, status: r.status };
  } catch {
    return { kind, at: t0, ms: performance.now() - t0, status: 0 };
  }
}

/** Starts `count` requests at `rate` per second on a fixed schedule (not waiting for answers). */
async function atRate(count: number, rate: number, start: (i: number) => Promise<Sample>): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; ) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait - 0.5);
    // Everything already due goes out now (the timer may have woken late).
    while (i < count && t0 + (i * 1000) / rate <= performance.now() + 0.5) pending.push(start(i++));
  }
  return Promise.all(pending);
}

interface Workload {
  users: string[];
  baseSec: number;
  sent: { command: number; message: number };
}

/** Giver and receiver of request `i`: round r of the roster gives to the person r+1 further on. */
function pairOf(w: Workload, i: number): { giver: string; receiver: string } {
  const n = w.users.length;
  return { giver: w.users[i % n] ?? '', receiver: w.users[(i + 1 + Math.floor(i / n)) % n] ?? '' };
}

const triggerIdOf = (i: number) => `${1_000_000_000 + i}.47445629121.${String(i).padStart(32, '0')}`;

/** The source key of the give request `i` makes (see the give service). */
function giveKey(w: Workload, i: number): string {
  const { receiver } = pairOf(w, i);
  return i % 2 === 0
    ? `cmd:${triggerIdOf(i)}:${receiver}`
    : `msg:${GENERAL_CHANNEL_ID}:${w.baseSec}.${String(i).padStart(6, '0')}:${receiver}`;
}

/**
 * Request `i` of the run: even → `/give`, odd → a channel message with the give emoji and a mention.
 * `retryNum`: Slack's redelivery of the event (same event id).
 */
function sendGive(
  client: SlackClient,
  fake: FakeSlack,
  w: Workload,
  i: number,
  retryNum?: number,
): Promise<Sample> {
  const { giver, receiver } = pairOf(w, i);
  if (i % 2 === 0) {
    w.sent.command += 1;
    return timed('command', () =>
      client.command('/give', `<@${receiver}> #help thanks for pairing on request ${i} today`, {
        userId: giver,
        channelId: GENERAL_CHANNEL_ID,
        responseUrl: fake.responseUrl(`bench-${i}`),
        triggerId: triggerIdOf(i),
      }),
    );
  }
  w.sent.message += 1;
  const ts = `${w.baseSec}.${String(i).padStart(6, '0')}`;
  return timed('event', () =>
    client.event(
      slackEvents.message({
        userId: giver,
        channelId: GENERAL_CHANNEL_ID,
        text: `:gift: <@${receiver}> thanks for the careful review of request ${i}`,
        ts,
      }),
      { eventId: `EvBENCH${String(i).padStart(8, '0')}`, ...(retryNum ? { retryNum } : {}) },
    ),
  );
}

/** A warm workspace: the workspace row and every member with a profile synced just now. */
async function seed(database: Config['database'], users: ReturnType<typeof generateUsers>): Promise<void> {
  const db = await openDatabase(database, createLogger('silent'));
  try {
    await db.prisma.workspace.createMany({ data: [{ id: TEAM_ID }], skipDuplicates: true });
    const now = new Date();
    for (let i = 0; i < users.length; i += 1000) {
      await db.prisma.member.createMany({
        data: users.slice(i, i + 1000).map((u) => ({
          workspaceId: TEAM_ID,
          userId: u.id,
          name: u.displayName || u.name,
          realName: u.realName,
          title: u.title ?? '',
          tz: u.tz ?? 'UTC',
          slackDepartment: u.department ?? null,
          firstSeenAt: now,
          profileSyncedAt: now,
        })),
      });
    }
  } finally {
    await db.close();
  }
}

async function countGives(database: Config['database']): Promise<Record<string, number>> {
  const db = await openDatabase(database, createLogger('silent'));
  try {
    const rows = await db.prisma.give.groupBy({ by: ['source'], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.source, r._count._all]));
  } finally {
    await db.close();
  }
}

/** CPU time the process has used so far (ms), from /proc on Linux; null elsewhere. */
async function cpuMs(pid: number | undefined): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks
  } catch {
    return null;
  }
}

async function stopApp(proc: RunningProcess): Promise<number | null> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  proc.child.kill('SIGTERM');
  return proc.exited;
}

async function runOn(kind: 'pglite' | 'postgres'): Promise<Record<string, unknown>> {
  const fake = await startFakeSlack();
  const generated = generateUsers(USERS, { idPrefix: 'U7B' });
  fake.addUser(...generated);
  let database: Config['database'];
  let drop: () => Promise<void>;
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'weave-bench-'));
    // Opened here only to seed and read; the app under test opens it with its own default.
    database = { kind: 'pglite', dataDir: dir, process: 'inline' };
    drop = () => rm(dir, { recursive: true, force: true });
  } else {
    process.env.TEST_DATABASE_URL ??= DEFAULT_PG_URL;
    const t = await createTestDatabase('postgres');
    database = t.config;
    drop = t.drop;
  }
  let proc: RunningProcess | undefined;
  try {
    if (argv.cold) {
      progress(`${kind}: a cold workspace (nobody known yet)`);
      await seed(database, []);
    } else {
      progress(`${kind}: seeding ${USERS} members`);
      await seed(database, generated);
    }
    const port = await freePort();
    proc = startProcess({
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      LOG_LEVEL: argv['log-level'] ?? 'error',
      ...(argv['app-node-options'] ? { NODE_OPTIONS: argv['app-node-options'] } : {}),
      ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
    });
    const appUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${appUrl}/readyz`, proc, 60_000);
    const client = createSlackClient({ appUrl, signingSecret: SECRET, teamId: TEAM_ID, fake });
    const w: Workload = {
      users: generated.map((u) => u.id),
      baseSec: Math.floor(Date.now() / 1000),
      sent: { command: 0, message: 0 },
    };
    let next = 0;
    const give = () => sendGive(client, fake, w, next++);

    progress(`${kind}: warm-up (${WARMUP} gives, not in the figures)`);
    const warm = await atRate(WARMUP, 20, () => give());

    progress(`${kind}: baseline GET /healthz at ${RATE}/s for ${SECONDS}s`);
    const baseline = await atRate(STEADY, RATE, () => timed('healthz', () => client.get('/healthz')));

    progress(`${kind}: ${STEADY} gives at ${RATE}/s for ${SECONDS}s`);
    const cpuBefore = await cpuMs(proc.child.pid);
    const loadStart = performance.now();
    const steady = await atRate(STEADY, RATE, () => give());

    progress(`${kind}: burst of ${BURST}`);
    const burst = await Promise.all(Array.from({ length: BURST }, () => give()));
    const loadEnd = performance.now();
    const cpuAfterAcks = await cpuMs(proc.child.pid);

    // The app has acked everything; wait for it to finish the work behind the acks. Shoutouts (one
    // response-URL post per command) are visible from here; on PostgreSQL the gives table is too.
    const shoutouts = () =>
      fake.callsTo('response_url', (a) => String(a.url).includes('/response/bench-')).length;
    const deadline = Date.now() + 180_000;
    let lastChange = Date.now();
    let seen = -1;
    while (Date.now() < deadline && shoutouts() < w.sent.command) {
      const now = shoutouts();
      if (now !== seen) [seen, lastChange] = [now, Date.now()];
      if (Date.now() - lastChange > 30_000) break;
      await sleep(100);
    }
    const shoutoutsDoneMs = performance.now() - loadEnd;
    let storedMs: number | null = null;
    if (database.kind === 'postgres') {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      const expected = w.sent.command + w.sent.message;
      while (Date.now() < deadline) {
        const r = await c.query('SELECT count(*)::int AS n FROM "Give"');
        if (Number(r.rows[0]?.n) >= expected) {
          storedMs = performance.now() - loadEnd;
          break;
        }
        await sleep(200);
      }
      await c.end();
    }
    // Everything acknowledged has been processed once the inbox is empty.
    await waitForEmptyInbox(appUrl, deadline);
    const inboxEmptyMs = performance.now() - loadEnd;
    const cpuAfterWork = await cpuMs(proc.child.pid);
    const exitCode = await stopApp(proc);
    const errorLines = proc
      .output()
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l));
    const appErrors = errorLines.length;
    for (const line of errorLines.slice(0, 3)) progress(`${kind}: app error: ${line.slice(0, 300)}`);
    const stored = await countGives(database);

    const load = [...steady, ...burst];
    if (argv.trace) {
      const lines = [...warm, ...baseline, ...load].map((x) => JSON.stringify({ db: kind, ...x }));
      await appendFile(argv.trace, `${lines.join('\n')}\n`);
    }
    const expected = { command: w.sent.command, message: w.sent.message };
    const storedBy = { command: stored.command ?? 0, message: stored.message ?? 0 };
    const lost = expected.command - storedBy.command + (expected.message - storedBy.message);
    const steadyStats = stats(steady);
    const result = {
      bench: 'http',
      db: kind,
      rate: RATE,
      seconds: SECONDS,
      burst: BURST,
      members: USERS,
      cold: argv.cold,
      ackMs: {
        steady: steadyStats,
        steadyCommand: stats(steady.filter((s) => s.kind === 'command')),
        steadyEvent: stats(steady.filter((s) => s.kind === 'event')),
        burst: stats(burst),
        all: stats(load),
      },
      baselineHealthzMs: stats(baseline),
      sent: { ...expected, total: load.length + warm.length, warmup: warm.length },
      non2xx: non2xx(load) + non2xx(warm),
      baselineNon2xx: non2xx(baseline),
      givesExpected: { ...expected, total: expected.command + expected.message },
      givesStored: { ...storedBy, total: storedBy.command + storedBy.message },
      lost,
      shoutoutsPosted: shoutouts(),
      // Work behind the acks: last shoutout, and (PostgreSQL) every give stored, in ms after the burst.
      lastShoutoutMsAfterLoad: Math.round(shoutoutsDoneMs),
      allStoredMsAfterLoad: storedMs === null ? null : Math.round(storedMs),
      inboxEmptyMsAfterLoad: Math.round(inboxEmptyMs),
      // App CPU per request (ack and all the work behind it), and during the acking phase alone.
      appCpuMsPerGive:
        cpuBefore === null || cpuAfterWork === null
          ? null
          : Math.round(((cpuAfterWork - cpuBefore) / load.length) * 10) / 10,
      appCpuWhileLoadedPct:
        cpuBefore === null || cpuAfterAcks === null
          ? null
          : Math.round(((cpuAfterAcks - cpuBefore) / (loadEnd - loadStart)) * 100),
      appErrors,
      appExitCode: exitCode,
      targets: {
        steadyP99AckMs: TARGET_STEADY_P99_MS,
        burstP99AckMs: TARGET_BURST_P99_MS,
        steadyP99Met: steadyStats.p99 <= TARGET_STEADY_P99_MS,
        burstP99Met: stats(burst).p99 <= TARGET_BURST_P99_MS,
        non2xxMet: non2xx(load) + non2xx(warm) === 0,
        lostMet: lost === 0,
      },
    };
    return result;
  } catch (error) {
    if (proc) progress(`${kind}: app output:\n${proc.output().slice(-4000)}`);
    throw error;
  } finally {
    if (proc && proc.child.exitCode === null) await stopApp(proc);
    await fake.close();
    await drop();
  }
}

/** Waits until /readyz reports an empty inbox backlog (or the deadline passes). */
async function waitForEmptyInbox(appUrl: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const r = await fetch(`${appUrl}/readyz`).catch(() => null);
    if (r?.ok) {
      const body = (await r.json()) as { inbox?: { backlog: number | null } };
      if (body.inbox?.backlog === 0) return true;
    }
    await sleep(200);
  }
  return false;
}

function appEnv(fake: FakeSlack, database: Config['database'], port: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    LOG_LEVEL: argv['log-level'] ?? 'error',
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
  };
}

/**
 * The crash trial: a cold workspace, gives at RATE for SECONDS, SIGKILL after `killAfterS`, a restart,
 * Slack's retries of the events never acknowledged; then acknowledged vs stored, per give.
 */
async function crashTrial(kind: 'pglite' | 'postgres', killAfterS: number): Promise<Record<string, unknown>> {
  const fake = await startFakeSlack();
  const generated = generateUsers(USERS, { idPrefix: 'U7K' });
  fake.addUser(...generated);
  let database: Config['database'];
  let drop: () => Promise<void>;
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'weave-bench-'));
    // Opened here only to seed and read; the app under test opens it with its own default.
    database = { kind: 'pglite', dataDir: dir, process: 'inline' };
    drop = () => rm(dir, { recursive: true, force: true });
  } else {
    process.env.TEST_DATABASE_URL ??= DEFAULT_PG_URL;
    const t = await createTestDatabase('postgres');
    database = t.config;
    drop = t.drop;
  }
  const procs: RunningProcess[] = [];
  try {
    await seed(database, []);
    const start = async () => {
      const port = await freePort();
      const proc = startProcess(appEnv(fake, database, port));
      procs.push(proc);
      const appUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(`${appUrl}/readyz`, proc, 60_000);
      return { proc, appUrl };
    };
    const first = await start();
    const client = createSlackClient({ appUrl: first.appUrl, signingSecret: SECRET, teamId: TEAM_ID, fake });
    const w: Workload = {
      users: generated.map((u) => u.id),
      baseSec: Math.floor(Date.now() / 1000),
      sent: { command: 0, message: 0 },
    };
    const count = Math.round(RATE * SECONDS);
    progress(`${kind}: crash trial, ${count} gives at ${RATE}/s, SIGKILL after ${killAfterS}s`);
    setTimeout(() => first.proc.child.kill('SIGKILL'), killAfterS * 1000);
    const samples = await atRate(count, RATE, (i) => sendGive(client, fake, w, i));
    await first.proc.exited;

    const second = await start();
    const again = createSlackClient({ appUrl: second.appUrl, signingSecret: SECRET, teamId: TEAM_ID, fake });
    const acked = (i: number) => (samples[i]?.status ?? 0) >= 200 && (samples[i]?.status ?? 0) < 300;
    let retried = 0;
    for (let i = 0; i < count; i += 1) {
      if (acked(i) || i % 2 === 0) continue; // only events are retried by Slack
      const r = await sendGive(again, fake, w, i, 1);
      if (r.status < 200 || r.status > 299) throw new Error(`a retry was answered ${r.status}`);
      retried += 1;
    }
    const deadline = Date.now() + 300_000;
    if (!(await waitForEmptyInbox(second.appUrl, deadline))) throw new Error('the inbox never emptied');
    const exitCode = await stopApp(second.proc);
    const db = await openDatabase(database, createLogger('silent'));
    let keys: Set<string>;
    try {
      const gives = await db.prisma.give.findMany({ select: { sourceKey: true } });
      keys = new Set(gives.map((g) => g.sourceKey));
    } finally {
      await db.close();
    }
    const ackedIdx = Array.from({ length: count }, (_, i) => i).filter(acked);
    const lostIdx = ackedIdx.filter((i) => !keys.has(giveKey(w, i)));
    const eventsStored = Array.from({ length: count }, (_, i) => i).filter(
      (i) => i % 2 === 1 && keys.has(giveKey(w, i)),
    ).length;
    return {
      bench: 'http-crash',
      db: kind,
      rate: RATE,
      sent: count,
      killAfterS,
      acknowledged: { total: ackedIdx.length, commands: ackedIdx.filter((i) => i % 2 === 0).length },
      unacknowledgedEventsRetried: retried,
      eventsStored: { stored: eventsStored, of: Math.floor(count / 2) },
      givesStored: keys.size,
      lostAcknowledged: lostIdx.length,
      appExitCode: exitCode,
      targets: { lostMet: lostIdx.length === 0 && eventsStored === Math.floor(count / 2) },
    };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) await stopApp(p);
    await fake.close();
    await drop();
  }
}

async function main(): Promise<void> {
  const killAfter = argv['kill-after'] === undefined ? null : Number(argv['kill-after']);
  const dbs = argv.db === 'both' ? (['pglite', 'postgres'] as const) : [argv.db];
  let failed = false;
  for (const kind of dbs) {
    if (kind !== 'pglite' && kind !== 'postgres') throw new Error(`--db must be pglite, postgres or both`);
    try {
      const result = killAfter === null ? await runOn(kind) : await crashTrial(kind, killAfter);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } catch (error) {
      failed = true;
      process.stdout.write(`${JSON.stringify({ bench: 'http', db: kind, error: String(error) })}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
