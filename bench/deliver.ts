// npm run bench:deliver [-- --groups 1000 --scale 60]
// A round of N groups delivered by the real outbox to the fake Slack server, which enforces Slack's
// per-method limits (scaled down in time by --scale: a 60 s window becomes 60/scale s) and answers 429
// with Retry-After beyond them. Prints one JSON line: wall time vs the theoretical minimum for those
// limits, 429s received, duplicates and missing intros.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createWeave } from '../src/app.ts';
import { parseConfig } from '../src/config/config.ts';
import { createLogger } from '../src/observability/logger.ts';
import { openDatabase } from '../src/persistence/database.ts';
import { DEFAULT_RATE_LIMITS } from '../src/slack/pacer.ts';
import { startFakeSlack } from '../tests/support/fake-slack.ts';
import {
  BOT_USER_ID,
  FAKE_BOT_TOKEN,
  generateUsers,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
} from '../tests/support/fake-workspace.ts';

const { values } = parseArgs({
  options: { groups: { type: 'string', default: '1000' }, scale: { type: 'string', default: '60' } },
});
const groups = Number(values.groups);
const scale = Number(values.scale);

// Slack's limits as the fake enforces them (per minute), and what Weave paces itself to.
const SLACK_LIMITS: Record<string, number> = { 'conversations.open': 50, 'chat.postMessage': 100 };

const fake = await startFakeSlack();
const people = generateUsers(groups * 2, {
  idPrefix: 'U9B',
  departments: ['Engineering', 'Sales', 'Design', 'Finance', 'Ops'],
});
fake.addUser(...people);
fake.setChannelMembers(PAIRS_CHANNEL_ID, [...people.map((p) => p.id), BOT_USER_ID]);
const windowMs = 60_000 / scale;
for (const [method, perMinute] of Object.entries(SLACK_LIMITS))
  fake.setRateLimit(method, { perMinute, windowMs });

const dir = await mkdtemp(join(tmpdir(), 'weave-bench-deliver-'));
const parsed = parseConfig({
  SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
  SLACK_SIGNING_SECRET: 'bench',
  SLACK_API_URL: fake.apiUrl,
  DATA_DIR: dir,
  PORT: '0',
  LOG_LEVEL: 'silent',
});
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const log = createLogger((process.env.BENCH_LOG_LEVEL as 'info') ?? 'silent');
const db = await openDatabase(parsed.config.database, log);
const now = new Date();
// Members with fresh profiles, so the round reads no profiles from Slack: the benchmark is delivery.
await db.prisma.workspace.create({ data: { id: TEAM_ID } });
await db.prisma.member.createMany({
  data: people.map((p) => ({
    workspaceId: TEAM_ID,
    userId: p.id,
    name: p.name,
    realName: p.realName,
    tz: p.tz ?? 'UTC',
    slackDepartment: p.department ?? null,
    profileSyncedAt: now,
  })),
});
const program = await db.prisma.program.create({
  data: { workspaceId: TEAM_ID, channelId: PAIRS_CHANNEL_ID, anchor: now },
});

// Weave paces itself with its usual limits over the same shrunken window as the fake's.
const rateLimits = DEFAULT_RATE_LIMITS;
const app = await createWeave(parsed.config, log, {
  db,
  manualScheduler: true,
  rateLimits,
  rateWindowMs: windowMs,
});
fake.clearCalls();
const rateLimitedBefore = fake.stats.rateLimited;
const planned = await app.rounds.runNow(program); // wakes delivery as soon as the round is stored
if (planned.status !== 'ran') throw new Error(`round did not run: ${JSON.stringify(planned)}`);
const waiting = { kind: 'group_intro', status: { in: ['pending', 'sending'] } };
while ((await db.prisma.prompt.count({ where: waiting })) > 0) {
  await app.outbox.drain();
  const next = await db.prisma.prompt.findFirst({
    where: { kind: 'group_intro', status: 'pending' },
    orderBy: { dueAt: 'asc' },
  });
  if (next) await new Promise((r) => setTimeout(r, Math.max(10, next.dueAt.getTime() - Date.now())));
}
// Delivery time: from the first conversations.open to the last intro posted (planning excluded).
const opens = fake.callsTo('conversations.open');
const posts = fake.callsTo('chat.postMessage', (a) => String(a.text).includes('Weave match'));
const wallMs = Math.max(...posts.map((c) => c.at)) - Math.min(...opens.map((c) => c.at));

const perConversation = new Map<string, number>();
for (const m of fake.messagesIn().filter((x) => x.text.includes('Weave match'))) {
  perConversation.set(m.channel, (perConversation.get(m.channel) ?? 0) + 1);
}
const duplicates = [...perConversation.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
const missing = planned.groups - perConversation.size;
// Fastest possible under a sliding window of `perMinute` calls: the first window's worth at once,
// then one window per further `perMinute` calls; the slowest method decides.
const theoreticalMs = Math.max(
  ...Object.values(SLACK_LIMITS).map(
    (perMinute) => (Math.max(0, planned.groups - perMinute) / perMinute) * windowMs,
  ),
);
process.stdout.write(
  `${JSON.stringify({
    scenario: 'deliver',
    groups: planned.groups,
    scale,
    limitsPerMinute: SLACK_LIMITS,
    wallMs: Math.round(wallMs),
    theoreticalMinMs: Math.round(theoreticalMs),
    rateVsAllowed: Number((theoreticalMs / wallMs).toFixed(3)),
    rateLimited429s: fake.stats.rateLimited - rateLimitedBefore,
    rateLimitedByMethod: fake.stats.rateLimitedByMethod,
    duplicates,
    missing,
  })}\n`,
);
await app.stop();
await db.close();
await fake.close();
await rm(dir, { recursive: true, force: true });
