// npm run bench:round -- --members 10000 [--db pglite|postgres] [--replicas R] [--scale 60]
// A whole round end to end (docs/benchmarks.md, "A whole round"): R real Weave processes (bench/replica.ts,
// i.e. main.ts's start-up) on one database against the fake Slack, which enforces Slack's limits per
// workspace and method with every window shrunk K× (--scale). One program of N members in one channel,
// due now: the replicas' schedulers find it, one of them reads the roster, plans and stores the round,
// and all of them deliver it. Prints one JSON line; progress goes to stderr.
//
// syncS, planMs, persistMs come from the replica that ran the round (its "round planned" log line);
// firstDmS is from the round's first Slack call (conversations.members) to the first intro posted;
// deliveryS from the first conversations.open to the last intro; minimumDeliveryS what Slack's
// conversations.open tier (50 a minute, the slowest method of a delivery) allows for that many
// conversations: the first window's worth at once, then one window per further 50.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLogger } from '../src/observability/logger.ts';
import { openDatabase } from '../src/persistence/database.ts';
import { startFakeSlack } from '../tests/support/fake-slack.ts';
import {
  BOT_USER_ID,
  FAKE_BOT_TOKEN,
  generateUsers,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
} from '../tests/support/fake-workspace.ts';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../tests/support/process.ts';
import { productionNodeFlags } from './production-flags.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    db: { type: 'string', default: 'pglite' },
    replicas: { type: 'string', default: '1' },
    scale: { type: 'string', default: '60' },
    'pg-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    // On PGlite: the database in a process of its own (separate, Weave's default) or inside Weave's.
    'pglite-process': { type: 'string', default: 'separate' },
    'log-level': { type: 'string', default: 'info' },
    // Where departments come from: `title` (read with users.list, 1,000 people a call) or `field` (a
    // custom profile field: one users.profile.get per person, Tier 4, so a first sync is Slack-bound).
    'department-source': { type: 'string', default: 'title' },
    // Node's own flags for the replicas, e.g. --node-args="--cpu-prof --cpu-prof-dir=/tmp/prof".
    'node-args': { type: 'string' },
    // Each replica prints its memory this often (stderr, lines starting "memory"): where a round's RSS goes.
    'memory-every-ms': { type: 'string' },
    // Replica i writes an allocation profile (garbage included) to <prefix>-<i>.heapprofile.
    'alloc-profile': { type: 'string' },
  },
});
const MEMBERS = Number(values.members);
const DB = values.db === 'postgres' ? 'postgres' : 'pglite';
const REPLICAS = Number(values.replicas);
const SCALE = Number(values.scale);
const WINDOW_MS = 60_000 / SCALE;
/** conversations.open is Tier 3: the slowest call of a delivery (chat.postMessage is limited per channel). */
const OPENS_PER_MINUTE = 50;
if (DB === 'pglite' && REPLICAS !== 1) {
  throw new Error('PGlite is embedded: only one process can open it (use --db postgres for replicas)');
}

const PRODUCTION_NODE_FLAGS = productionNodeFlags();
const progress = (msg: string) => process.stderr.write(`[bench:round] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak resident set size of a process, in MB (Linux: VmHWM). */
async function peakRssMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The processes a replica started (on PGlite: the embedded database's own process). */
async function childrenOf(pid: number | undefined): Promise<number[]> {
  if (pid === undefined) return [];
  const list = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return list
    .split(/\s+/)
    .filter((p) => p !== '')
    .map(Number);
}

/** The database every replica shares: a fresh PostgreSQL database, or a PGlite directory. */
async function database(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (DB === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'weave-bench-round-'));
    return {
      env: { DATA_DIR: dir, PGLITE_PROCESS: values['pglite-process'] ?? 'separate' },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const admin = values['pg-url'] ?? '';
  const name = `weave_bench_round_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// The fake Slack: N people in the program's channel, Slack's tiers enforced per workspace (on by default),
// every window shrunk K×.
const fake = await startFakeSlack({ rateWindowScale: 1 / SCALE });
const people = generateUsers(MEMBERS, {
  idPrefix: 'U9R',
  departments: Array.from({ length: 20 }, (_, i) => `Department ${i + 1}`),
});
fake.addUser(...people);
fake.setChannelMembers(PAIRS_CHANNEL_ID, [...people.map((p) => p.id), BOT_USER_ID]);

// The database: migrated, with the workspace and a program due now (weekly, this weekday and hour, UTC).
// Nobody is known yet: the round reads the roster from Slack, as a first round does.
const db = await database();
{
  const seeded = await openDatabase(
    DB === 'pglite'
      ? { kind: 'pglite', dataDir: db.env.DATA_DIR ?? '', process: 'inline' }
      : { kind: 'postgres', url: db.env.DATABASE_URL ?? '' },
    createLogger('silent'),
  );
  const now = new Date();
  await seeded.prisma.workspace.create({
    data: {
      id: TEAM_ID,
      settings: { departmentSource: values['department-source'] === 'field' ? 'field' : 'title' },
    },
  });
  await seeded.prisma.program.create({
    data: {
      workspaceId: TEAM_ID,
      channelId: PAIRS_CHANNEL_ID,
      weekday: ((now.getUTCDay() + 6) % 7) + 1,
      hour: now.getUTCHours(),
      tz: 'UTC',
      anchor: new Date(now.getTime() - 8 * 86_400_000),
      // Heads-ups and recaps are other features' traffic: this measures the round.
      headsUp: false,
      recap: false,
    },
  });
  await seeded.close();
}

// Replicas run compiled JavaScript, as `npm start` and the Docker image do (tsx alone adds ~90 MB).
progress('compiling the replica (tsconfig.bench.json)');
execFileSync(join(import.meta.dirname, '../node_modules/.bin/tsc'), ['-p', 'tsconfig.bench.json'], {
  cwd: join(import.meta.dirname, '..'),
  stdio: 'inherit',
});
// The compiled migrations runner looks for prisma/migrations beside its tree, as dist/ finds the project's.
await symlink('../prisma', join(import.meta.dirname, '../dist-bench/prisma')).catch(
  (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  },
);
fake.clearCalls();
const replicas: Array<{ proc: RunningProcess; port: number }> = [];
for (let i = 0; i < REPLICAS; i += 1) {
  const port = await freePort();
  const proc = startProcess(
    {
      ...db.env,
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_SIGNING_SECRET: 'bench-round-signing-secret',
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      LOG_LEVEL: values['log-level'] ?? 'info',
      SCHEDULER_TICK_SECONDS: '0.2',
    },
    'dist-bench/bench/replica.js',
    [
      '--rate-window-ms',
      String(WINDOW_MS),
      '--rate-budget',
      DB === 'postgres' ? 'shared' : 'local',
      ...(values['memory-every-ms'] ? ['--memory-every-ms', values['memory-every-ms']] : []),
      ...(values['alloc-profile'] ? ['--alloc-profile', `${values['alloc-profile']}-${i}.heapprofile`] : []),
    ],
    [...PRODUCTION_NODE_FLAGS, ...(values['node-args'] ?? '').split(' ').filter((a) => a !== '')],
  );
  replicas.push({ proc, port });
}
for (const r of replicas) await waitForHttp(`http://127.0.0.1:${r.port}/healthz`, r.proc, 120_000);
progress(`${REPLICAS} replica(s) up on ${DB}; ${MEMBERS} members`);

interface Planned {
  groups: number;
  syncMs: number;
  planMs: number;
  persistMs: number;
}
/** The "round planned" line of whichever replica ran the round. */
function plannedLine(): Planned | null {
  for (const r of replicas) {
    for (const line of r.proc.output().split('\n')) {
      if (!line.includes('"round planned"')) continue;
      try {
        return JSON.parse(line) as Planned;
      } catch {
        // a line cut by the pipe: keep looking
      }
    }
  }
  return null;
}

const intros = () => fake.messagesIn().filter((m) => m.text.includes('Weave match'));
let planned: Planned | null = null;
const deadline = Date.now() + 30 * 60_000;
while (!planned && Date.now() < deadline) {
  for (const r of replicas)
    if (r.proc.child.exitCode !== null) throw new Error(`a replica exited:\n${r.proc.output().slice(-4000)}`);
  await sleep(200);
  planned = plannedLine();
}
if (!planned) throw new Error('no round was planned');
progress(`round planned: ${planned.groups} groups; delivering`);
const opensNeeded = planned.groups; // pairs and one trio: nobody unmatched in one channel of N ≥ 2
const minimumDeliveryS =
  (Math.max(0, opensNeeded - OPENS_PER_MINUTE) / OPENS_PER_MINUTE) * (WINDOW_MS / 1000);
const deliveryDeadline = Date.now() + Math.max(120_000, minimumDeliveryS * 4000);
let lastReport = Date.now();
while (new Set(intros().map((m) => m.channel)).size < planned.groups && Date.now() < deliveryDeadline) {
  await sleep(250);
  if (Date.now() - lastReport > 10_000) {
    lastReport = Date.now();
    progress(`${new Set(intros().map((m) => m.channel)).size}/${planned.groups} delivered`);
  }
}
await sleep(1000); // anything sent twice would arrive now
const peaks = await Promise.all(replicas.map((r) => peakRssMb(r.proc.child.pid)));
// Every Weave process counts, the embedded database's included.
const hostPeaks = (
  await Promise.all(
    replicas.map(async (r) => Promise.all((await childrenOf(r.proc.child.pid)).map((pid) => peakRssMb(pid)))),
  )
).flat();

const perConversation = new Map<string, number>();
for (const m of intros()) perConversation.set(m.channel, (perConversation.get(m.channel) ?? 0) + 1);
const duplicates = [...perConversation.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
const missing = planned.groups - perConversation.size;
const roundStart = Math.min(...fake.callsTo('conversations.members').map((c) => c.at));
const opens = fake.callsTo('conversations.open', (_a, c) => c.ok);
const posts = fake.callsTo('chat.postMessage', (a, c) => c.ok && String(a.text).includes('Weave match'));
const firstPost = Math.min(...posts.map((c) => c.at));
const lastPost = Math.max(...posts.map((c) => c.at));
const deliveryMs = lastPost - Math.min(...opens.map((c) => c.at));
const round3 = (v: number) => Math.round(v * 1000) / 1000;

process.stdout.write(
  `${JSON.stringify({
    bench: 'round',
    db: DB,
    members: MEMBERS,
    replicas: REPLICAS,
    groups: planned.groups,
    syncS: round3(planned.syncMs / 1000),
    planMs: planned.planMs,
    persistMs: planned.persistMs,
    firstDmS: round3((firstPost - roundStart) / 1000),
    deliveryS: round3(deliveryMs / 1000),
    minimumDeliveryS: round3(minimumDeliveryS),
    ratioToSlackLimit: round3(minimumDeliveryS / (deliveryMs / 1000)),
    http429: fake.stats.rateLimited,
    duplicates,
    missing,
    peakRssMb: Math.max(...peaks, ...hostPeaks),
  })}\n`,
);
progress(
  `peak RSS per replica (MB): ${peaks.join(', ')}${hostPeaks.length > 0 ? `; embedded database process: ${hostPeaks.join(', ')}` : ''}; 429s by method: ${JSON.stringify(fake.stats.rateLimitedByMethod)}`,
);

if (values['memory-every-ms']) {
  for (const [i, r] of replicas.entries()) {
    const path = join(tmpdir(), `bench-round-replica-${i}.log`);
    await writeFile(path, r.proc.output());
    progress(`replica ${i}'s output (memory lines included): ${path}`);
  }
}
for (const r of replicas) r.proc.child.kill('SIGTERM');
await Promise.all(replicas.map((r) => Promise.race([r.proc.exited, sleep(10_000)])));
for (const r of replicas) if (r.proc.child.exitCode === null) r.proc.child.kill('SIGKILL');
await fake.close();
await db.drop();
