// Fuzzing (issue 8): malformed and random payloads for every endpoint, through the real app over HTTP.
// Whatever comes in: never a 5xx, never an unhandled rejection, and nothing stored — rejected input
// (unsigned, badly signed, unparseable, oversized) leaves every table as it was; signed input that is
// well-formed but meaningless may only touch bookkeeping (profile cache, processed event ids).
// Seeded: the same SEED sends the same requests (set FUZZ_SEED to explore others).
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/domain/matching/rng.ts';
import { SLACK_BODY_LIMIT_BYTES } from '../../src/slack/bolt-app.ts';
import { ACTIONS, CALLBACKS, COMMANDS } from '../../src/slack/ids.ts';
import {
  ADMIN_USER_ID,
  APP_ID,
  BOT_USER_ID,
  DELETED_USER_ID,
  GENERAL_CHANNEL_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
} from '../support/fake-workspace.ts';
import { signRequest } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld } from '../support/test-app.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eedf022);
const rng = createRng(SEED);
const int = (n: number) => Math.floor(rng() * n);
const chance = (p: number) => rng() < p;
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const CONCURRENCY = 12;
/** Tables a meaningless but well-formed signed request may touch: Slack profile cache, event dedupe. */
const BOOKKEEPING = new Set(['Member', 'ProcessedEvent']);

let world: TestWorld;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
const onException = (error: unknown) => rejections.push(error);

// ----- random values ----------------------------------------------------------------------------------------

/** People nobody would thank: unknown to Slack, deactivated, or not a person at all. */
function randomUserId(): string {
  return pick([
    () => `U9FZ${int(1e6).toString(36).toUpperCase()}`,
    () => `W9FZ${int(1e6).toString(36).toUpperCase()}`,
    () => DELETED_USER_ID,
    () => '',
    () => 'U',
    () => 'not-a-user',
    () => `U${'Z'.repeat(200)}`,
  ])();
}

const FRAGMENTS = [
  `<@${DELETED_USER_ID}>`,
  `<@${BOT_USER_ID}>`,
  '<@U9FZNOBODY|nobody>',
  '<@>',
  '<@U',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@eng>',
  '<#C0GENERAL|general>',
  '#help',
  '#expertise',
  '#bogus',
  '##',
  ':gift:',
  ':gift::skin-tone-3:',
  '🎁',
  '&amp;',
  '&lt;',
  '&',
  '<',
  '>',
  '%',
  '%00',
  '+',
  '=',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u200b',
  '\u202e',
  '\ud800',
  '\udfff',
  'e\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  '中文字符',
  'مرحبا',
  '👩‍👩‍👧‍👦',
  'help',
  'find',
  'round now',
  'preview',
  'pause',
  'forget',
  'settings',
  'stats',
  '--',
  '"',
  "'",
  '\\',
  '$(x)',
  '{{x}}',
  '%s%s%s',
  '\'; DROP TABLE "Give"; --',
  'null',
  'undefined',
  '[object Object]',
];

function randomChar(): string {
  const ranges: Array<[number, number]> = [
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0xa0, 0x24f],
    [0x300, 0x36f],
    [0x590, 0x6ff],
    [0x4e00, 0x9fff],
    [0xd800, 0xdfff],
    [0xfff0, 0xffff],
    [0x1f300, 0x1faff],
  ];
  const [lo, hi] = pick(ranges);
  return String.fromCodePoint(lo + int(hi - lo + 1));
}

/** Random text: Slack markup fragments, arbitrary code points, sometimes huge (within the body limit). */
function randomText(): string {
  const kind = int(10);
  if (kind === 0) return '';
  if (kind === 1) return pick(['x', 'a'.repeat(60_000), 'ab'.repeat(200_000), '🎁'.repeat(40_000)]);
  if (kind === 2) {
    // Pathological for regexes: long runs of what the parsers look for.
    return pick(['<@U'.repeat(20_000), '#'.repeat(50_000), ' '.repeat(100_000), ':gift:'.repeat(10_000)]);
  }
  const parts: string[] = [];
  const n = 1 + int(kind === 3 ? 300 : 12);
  for (let i = 0; i < n; i++) {
    if (chance(0.5)) parts.push(pick(FRAGMENTS));
    else parts.push(Array.from({ length: 1 + int(12) }, randomChar).join(''));
    if (chance(0.5)) parts.push(' ');
  }
  return parts.join('');
}

/**
 * A team id as it may come: usually the workspace's, else empty or of the wrong type. Never another
 * team's id: in single-workspace mode any signed team id is taken at its word (see the report).
 */
function teamId(): unknown {
  return chance(0.9) ? TEAM_ID : pick(['', null, 42, {}, [TEAM_ID], { id: TEAM_ID }]);
}

/** Keys that name the workspace: mangled only into wrong types, never into another id. */
const IDENTITY = new Set([
  'team_id',
  'team',
  'enterprise_id',
  'enterprise',
  'authorizations',
  'app_installed_team_id',
]);

/** Any JSON value, nested a little. */
function randomJson(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick([0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
    case 4:
      return randomText().slice(0, 2000);
    case 5:
      return randomUserId();
    case 6:
      return Array.from({ length: int(4) }, () => randomJson(depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(5); i > 0; i--)
        o[pick(['type', 'id', 'value', 'text', 'user', randomText().slice(0, 20)])] = randomJson(depth + 1);
      return o;
    }
  }
}

/** `value` or, now and then, something of another type or shape entirely. */
function maybe<T>(value: T, p = 0.15): T | unknown {
  return chance(p) ? randomJson() : value;
}

/** Drops or replaces a few keys of an object (missing fields, wrong types). */
function mangle(o: Record<string, unknown>, p = 0.12): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (chance(p)) continue;
    out[k] = chance(p) ? (IDENTITY.has(k) ? pick(['', null, 42, {}]) : randomJson()) : v;
  }
  return out;
}

// ----- requests -----------------------------------------------------------------------------------------------

interface Probe {
  label: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Outcome {
  label: string;
  status: number;
  ms: number;
  error?: string;
}

function signed(body: string, contentType: string | null): Record<string, string> {
  return { ...(contentType ? { 'Content-Type': contentType } : {}), ...signRequest(SIGNING_SECRET, body) };
}

/**
 * One request on its own connection (a server that answers an oversized body early closes the socket;
 * a shared keep-alive pool would then fail the next request for reasons of its own).
 */
function send(p: Probe): Promise<Outcome> {
  const started = Date.now();
  const { port } = new URL(world.url);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ label: p.label, status, ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: p.method ?? 'POST',
        path: p.path ?? '/slack/events',
        headers: p.headers ?? {},
        agent: false,
        timeout: 20_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode ?? 0));
        res.on('error', () => finish(res.statusCode ?? 0));
      },
    );
    // Once answered, a write cut short by the server (EPIPE after a 413) doesn't matter.
    req.on('error', (error) => finish(0, String(error)));
    req.on('timeout', () => {
      req.destroy();
      finish(0, 'timed out');
    });
    req.end(p.method === 'GET' || p.method === 'HEAD' ? undefined : (p.body ?? ''));
  });
}

/** Sends every probe, a few at a time. */
async function sendAll(probes: Probe[]): Promise<Outcome[]> {
  const out: Outcome[] = new Array(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      out[i] = await send(probes[i] as Probe);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

/** Raw bytes on a socket, for what fetch refuses to send; resolves with the status line's code (0: none). */
function rawHttp(bytes: string): Promise<number> {
  const { port } = new URL(world.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0));
    };
    socket.setTimeout(10_000, done);
    socket.on('data', (d) => {
      data += String(d);
      if (data.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('end', done);
    socket.write(bytes);
  });
}

// ----- payload builders -----------------------------------------------------------------------------------

let seq = 0;

function commandBody(command: string, text: string): string {
  seq += 1;
  const fields: Array<[string, string]> = [
    ['token', 'fake-verification-token'],
    ['team_id', TEAM_ID],
    ['team_domain', 'acme'],
    ['channel_id', pick([GENERAL_CHANNEL_ID, PAIRS_CHANNEL_ID, 'D9FUZZ', 'C9NOWHERE', ''])],
    ['channel_name', 'general'],
    ['user_id', randomUserId()],
    ['user_name', 'fuzz'],
    ['command', command],
    ['text', text],
    ['api_app_id', APP_ID],
    ['is_enterprise_install', pick(['false', 'true', 'maybe'])],
    [
      'response_url',
      chance(0.85) ? world.fake.responseUrl() : pick(['', 'not a url', 'http://127.0.0.1:1/closed']),
    ],
    ['trigger_id', `${1_000_000 + seq}.${seq}.fuzz`],
  ];
  const kept = fields.filter(([k]) => k === 'command' || !chance(0.1));
  const mangled = kept.map(([k, v]): [string, string] => [
    k,
    k !== 'team_id' && chance(0.05) ? randomText().slice(0, 500) : v,
  ]);
  if (chance(0.05)) mangled.push(pick(mangled));
  return new URLSearchParams(mangled).toString();
}

function randomCommand(): Probe {
  const command = pick([
    COMMANDS.give,
    COMMANDS.give,
    COMMANDS.give,
    COMMANDS.intro,
    COMMANDS.intro,
    '/weave',
    '/GIVE',
    'give',
    '',
    randomText().slice(0, 30),
  ]);
  const text = pick([
    () => randomText(),
    () => `${pick(FRAGMENTS)} ${randomText()}`,
    () => `<@${randomUserId()}> ${pick(['#help', '#mentoring', ''])} ${randomText()}`,
    () =>
      `${pick(['find', 'help', 'pause', 'resume', 'skip', 'settings', 'forget', 'stats', 'round'])} ${randomText()}`,
  ])();
  const body = commandBody(command, text);
  return {
    label: `command ${command.slice(0, 20)} (${body.length} bytes)`,
    headers: signed(body, FORM_TYPE),
    body,
  };
}

const EVENT_TYPES = [
  'message',
  'message',
  'message',
  'reaction_added',
  'reaction_removed',
  'member_joined_channel',
  'member_left_channel',
  'user_change',
  'team_join',
  'app_home_opened',
  'app_mention',
  'channel_created',
  'function_executed',
  'not_an_event',
  '',
];

function randomEvent(): unknown {
  const type = maybe(pick(EVENT_TYPES), 0.05);
  const ts = maybe(`${1_700_000_000 + int(1e6)}.${String(int(1e6)).padStart(6, '0')}`);
  const text = maybe(randomText());
  const event: Record<string, unknown> = {
    type,
    user: maybe(randomUserId()),
    channel: maybe(pick([GENERAL_CHANNEL_ID, PAIRS_CHANNEL_ID, 'C9FUZZ', 'D9FUZZ', ''])),
    text,
    ts,
    event_ts: ts,
    channel_type: maybe(pick(['channel', 'group', 'im', 'mpim'])),
  };
  if (chance(0.4))
    event.subtype = maybe(
      pick([
        'message_changed',
        'message_deleted',
        'thread_broadcast',
        'file_share',
        'bot_message',
        'channel_join',
        randomText().slice(0, 20),
      ]),
    );
  if (chance(0.4)) event.message = maybe({ ts, user: maybe(randomUserId()), text: maybe(randomText()) });
  if (chance(0.3)) event.previous_message = maybe({ ts, user: randomUserId(), text: randomText() });
  if (chance(0.3)) event.deleted_ts = maybe(ts);
  if (chance(0.5)) event.reaction = maybe(pick(['gift', 'gift::skin-tone-2', 'tada', '', ':gift:']));
  if (chance(0.5)) event.item = maybe({ type: maybe('message'), channel: maybe(GENERAL_CHANNEL_ID), ts });
  if (chance(0.5)) event.item_user = maybe(randomUserId());
  if (chance(0.3)) event.inviter = maybe(randomUserId());
  if (chance(0.3)) event.tab = maybe(pick(['home', 'messages', 'about']));
  if (type === 'user_change' || type === 'team_join')
    event.user = maybe({
      id: randomUserId(),
      profile: maybe({ real_name: randomText().slice(0, 100) }),
      tz: maybe('Mars/Olympus'),
    });
  if (chance(0.1)) event.thread_ts = maybe(ts);
  return mangle(event, 0.08);
}

function randomEnvelope(): Probe {
  seq += 1;
  const envelope: Record<string, unknown> = {
    token: 'fake-verification-token',
    team_id: teamId(),
    api_app_id: APP_ID,
    event: pick([randomEvent, randomEvent, randomEvent, randomEvent, () => randomJson()])(),
    type: maybe('event_callback', 0.05),
    event_id: maybe(`EvFUZZ${seq}`, 0.1),
    event_time: maybe(1_700_000_000 + seq, 0.05),
    authorizations: pick([
      [{ enterprise_id: null, team_id: teamId(), user_id: BOT_USER_ID, is_bot: true }],
      [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
      [],
      [null],
      'x',
      undefined,
    ]),
    is_ext_shared_channel: false,
  };
  const body = JSON.stringify(mangle(envelope, 0.04));
  return { label: `event (${body.slice(0, 120)})`, headers: signed(body, JSON_TYPE), body };
}

function randomViewState(): unknown {
  const values: Record<string, unknown> = {};
  for (let i = int(5); i > 0; i--) {
    values[
      pick([
        'department',
        'expertise',
        'interests',
        'cadence',
        'channel',
        'person_a',
        'person_b',
        'reason',
        'kind',
        randomText().slice(0, 20),
      ])
    ] = maybe(
      {
        [pick(['value', 'input', 'select', randomText().slice(0, 10)])]: maybe({
          type: pick([
            'plain_text_input',
            'static_select',
            'users_select',
            'multi_users_select',
            'checkboxes',
            'number_input',
          ]),
          value: maybe(randomText().slice(0, 3000)),
          selected_option: maybe({ value: maybe(randomText().slice(0, 100)) }),
          selected_user: maybe(randomUserId()),
          selected_users: maybe([randomUserId(), randomUserId()]),
          selected_options: maybe([{ value: randomText().slice(0, 50) }]),
        }),
      },
      0.2,
    );
  }
  return maybe({ values }, 0.1);
}

function randomInteraction(): Probe {
  seq += 1;
  const type = maybe(
    pick([
      'block_actions',
      'block_actions',
      'view_submission',
      'view_submission',
      'view_closed',
      'shortcut',
      'message_action',
      'block_suggestion',
      'interactive_message',
      'dialog_submission',
      'nonsense',
    ]),
    0.05,
  );
  // Actions from unknown people (a real member's click is meaningful, not fuzz).
  const user = chance(0.9) ? { id: randomUserId(), team_id: teamId() } : pick([null, {}, 'x', { id: 42 }]);
  const actionIds = [...Object.values(ACTIONS), 'unknown_action', '', randomText().slice(0, 40)];
  const callbackIds = [...Object.values(CALLBACKS), 'unknown_callback', '', randomText().slice(0, 40)];
  const payload: Record<string, unknown> = {
    type,
    user: type === 'view_submission' && chance(0.3) ? { id: ADMIN_USER_ID, team_id: TEAM_ID } : user,
    team: chance(0.9) ? { id: TEAM_ID, domain: 'acme' } : pick([null, {}, { id: teamId() }, 'x']),
    api_app_id: APP_ID,
    token: 'fake-verification-token',
    trigger_id: maybe(`${seq}.${seq}.fuzz`),
    is_enterprise_install: maybe(false, 0.05),
    enterprise: null,
    response_url: maybe(world.fake.responseUrl(), 0.1),
    actions: maybe(
      Array.from({ length: 1 + int(2) }, () =>
        mangle({
          type: pick(['button', 'static_select', 'overflow', 'users_select']),
          action_id: pick(actionIds),
          block_id: maybe(randomText().slice(0, 30)),
          value: maybe(pick([randomText().slice(0, 2000), JSON.stringify(randomJson()), `${int(1e6)}`, ''])),
          selected_option: maybe({ value: randomText().slice(0, 50) }),
          action_ts: `${1_700_000_000 + seq}.000100`,
        }),
      ),
      0.1,
    ),
    view: maybe(
      {
        id: `V9FUZZ${seq}`,
        team_id: TEAM_ID,
        type: pick(['modal', 'home']),
        callback_id: pick(callbackIds),
        private_metadata: maybe(
          pick([JSON.stringify(randomJson()), randomText().slice(0, 3000), '{}', '{"programId":"x"}']),
        ),
        state: randomViewState(),
        hash: 'fuzz',
        blocks: maybe([]),
      },
      0.1,
    ),
    channel: maybe({ id: pick([GENERAL_CHANNEL_ID, 'D9FUZZ']), name: 'general' }, 0.1),
    container: maybe({ type: 'message', message_ts: '1700000000.000100', channel_id: 'D9FUZZ' }, 0.1),
    message: maybe({ ts: '1700000000.000100', text: randomText().slice(0, 500), blocks: [] }, 0.1),
    callback_id: pick(callbackIds),
    name: maybe('fuzz'),
    value: maybe(randomText().slice(0, 100)),
  };
  const json = JSON.stringify(mangle(payload, 0.06));
  const body = new URLSearchParams({ payload: json }).toString();
  return { label: `interaction (${json.slice(0, 120)})`, headers: signed(body, FORM_TYPE), body };
}

/** Broken JSON: truncated, unbalanced, not JSON at all. */
function brokenJson(): string {
  const valid = JSON.stringify({
    type: 'event_callback',
    team_id: TEAM_ID,
    event: { type: 'message', text: ':gift:' },
  });
  return pick([
    () => valid.slice(0, 1 + int(valid.length - 2)),
    () => `${valid}}`,
    () => `${valid},`,
    () => valid.replace(':', ''),
    () => '{',
    () => '',
    () => 'undefined',
    () => 'NaN',
    () => "{'type': 'event_callback'}",
    () => '{"a":1,}',
    () => '\u0000',
    () => '\ufeff{}x',
    () => '['.repeat(5_000),
    () => randomText().slice(0, 5000) || 'x',
  ])();
}

// ----- database ------------------------------------------------------------------------------------------------

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await world.db.prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'InboxItem') ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [row] = await world.db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "${tablename}"`,
    );
    counts[tablename] = Number(row?.n ?? 0);
  }
  return counts;
}

async function settled(): Promise<void> {
  // Work after an ack runs in the background: wait until the app has none left.
  const deadline = Date.now() + 30_000;
  // Inputs acknowledged but not yet claimed from the inbox are work too (nothing is in flight for them).
  const unprocessed = () =>
    world.db.prisma.inboxItem.count({
      where: {
        OR: [{ status: 'sending' }, { status: 'pending', dueAt: { lte: world.clock.now() } }],
      },
    });
  while ((world.app.inflight.size > 0 || (await unprocessed()) > 0) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect(world.app.inflight.size).toBe(0);
  expect(await unprocessed()).toBe(0);
  // The lookups that stored gives queued (a give to an id Slack does not know is removed by its lookup).
  const lookups = () =>
    world.db.prisma.prompt.count({
      where: {
        kind: 'member_sync',
        status: { in: ['pending', 'sending'] },
        dueAt: { lte: world.clock.now() },
      },
    });
  while ((await lookups()) > 0 && Date.now() < deadline) {
    await world.app.scheduler.run('deliver');
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await lookups()).toBe(0);
}

/** The outcomes `bad` picks, readable in a failure message. FUZZ_DEBUG=1 also prints a status summary. */
function report(outcomes: Outcome[], bad: (o: Outcome) => boolean): string[] {
  if (process.env.FUZZ_DEBUG) {
    const summary: Record<string, number> = {};
    for (const o of outcomes) {
      const key = `${o.status} ${o.label.split(' ')[0]}`;
      summary[key] = (summary[key] ?? 0) + 1;
    }
    process.stderr.write(`${JSON.stringify(summary)}\n`);
  }
  return outcomes.filter(bad).map((o) => `${o.status} ${o.label}${o.error ? ` — ${o.error}` : ''}`);
}

// ----- tests ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  world = await startWorld();
  // Hundreds of random inputs in seconds exceed Slack's tiers (users.info lookups above all); this test is
  // about answers and stored rows, not pacing (tests/unit/slack/pacer.test.ts covers that).
  world.fake.relax('rateLimits');
  // A real command first, so the workspace exists and the baseline below is a living app's.
  const first = await world.slack.command(COMMANDS.intro, 'help', {
    userId: ADMIN_USER_ID,
    channelId: GENERAL_CHANNEL_ID,
  });
  expect(first.status).toBe(200);
  await settled();
});

afterAll(async () => {
  await world?.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

describe('fuzzing every endpoint', () => {
  it('rejects unsigned, badly signed, unparseable and oversized requests with a 4xx and stores nothing', async () => {
    const before = await rowCounts();
    const probes: Probe[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 80; i++) {
      const p = pick([randomCommand, randomEnvelope, randomInteraction])();
      const body = p.body ?? '';
      const type = p.headers?.['Content-Type'] ?? JSON_TYPE;
      const bad = pick([
        () => ({ 'Content-Type': type }),
        () => ({ 'Content-Type': type, ...signRequest('wrong-secret', body) }),
        () => ({ 'Content-Type': type, ...signRequest(SIGNING_SECRET, body, now - 301) }),
        () => ({ 'Content-Type': type, ...signRequest(SIGNING_SECRET, `${body} `) }),
        () => ({ 'Content-Type': type, 'X-Slack-Request-Timestamp': 'soon', 'X-Slack-Signature': 'v0=00' }),
        () => ({ 'Content-Type': type, 'X-Slack-Request-Timestamp': String(now), 'X-Slack-Signature': '' }),
        () => ({
          'Content-Type': type,
          'X-Slack-Request-Timestamp': String(now),
          'X-Slack-Signature': signRequest(SIGNING_SECRET, body)['X-Slack-Signature'].replace('v0=', 'v1='),
        }),
        () => ({
          'Content-Type': type,
          'X-Slack-Signature': signRequest(SIGNING_SECRET, body)['X-Slack-Signature'],
        }),
      ])();
      probes.push({ label: `unsigned/badly signed ${p.label}`, headers: bad, body });
    }
    for (let i = 0; i < 30; i++) {
      const body = brokenJson();
      probes.push({
        label: `broken JSON ${JSON.stringify(body.slice(0, 60))}`,
        headers: signed(body, JSON_TYPE),
        body,
      });
      const form = new URLSearchParams({ payload: brokenJson() }).toString();
      probes.push({
        label: `broken payload= ${form.slice(0, 60)}`,
        headers: signed(form, FORM_TYPE),
        body: form,
      });
    }
    // Parse to something that is not an object at all.
    for (const body of ['null', 'payload=null']) {
      probes.push({
        label: `signed ${body}`,
        headers: signed(body, body.startsWith('payload') ? FORM_TYPE : JSON_TYPE),
        body,
      });
    }
    // A form body under a content type Bolt does not read as a form (so it is read as JSON, and fails).
    const form = commandBody(COMMANDS.give, `<@${DELETED_USER_ID}> thanks for all the help today`);
    for (const type of [
      `${FORM_TYPE}; charset=utf-8`,
      JSON_TYPE,
      'text/plain',
      'multipart/form-data; boundary=x',
      null,
    ]) {
      probes.push({ label: `form body as ${type}`, headers: signed(form, type), body: form });
    }
    // Oversized: just over the limit and well over it, signed and not, JSON and form.
    for (const size of [SLACK_BODY_LIMIT_BYTES + 1, 3 * SLACK_BODY_LIMIT_BYTES]) {
      const text = 'a'.repeat(size);
      const json = JSON.stringify({
        type: 'event_callback',
        team_id: TEAM_ID,
        event: { type: 'message', text },
      });
      const cmd = commandBody(COMMANDS.give, text);
      probes.push({ label: `oversized JSON ${json.length}`, headers: signed(json, JSON_TYPE), body: json });
      probes.push({ label: `oversized form ${cmd.length}`, headers: signed(cmd, FORM_TYPE), body: cmd });
      probes.push({
        label: `oversized unsigned ${json.length}`,
        headers: { 'Content-Type': JSON_TYPE },
        body: json,
      });
    }
    // Other methods and paths.
    for (const [method, path] of [
      ['GET', '/slack/events'],
      ['PUT', '/slack/events'],
      ['DELETE', '/slack/events'],
      ['PATCH', '/slack/events'],
      ['POST', '/healthz'],
      ['PUT', '/readyz'],
      ['GET', '/slack/install'],
      ['GET', '/slack/oauth_redirect?code=x&state=y'],
      ['POST', '/slack/events/extra'],
      ['POST', '/slack/event'],
      ['GET', '/nothing-here'],
      ['GET', '/%E0%A4%A'],
      ['GET', `/${'a'.repeat(5000)}`],
      ['POST', '/slack/events/../healthz'],
    ] as const) {
      probes.push({
        label: `${method} ${path.slice(0, 40)}`,
        method,
        path,
        headers: { 'Content-Type': JSON_TYPE },
        body: '{}',
      });
    }

    const outcomes = await sendAll(probes);
    expect(report(outcomes, (o) => o.status < 400 || o.status > 499)).toEqual([]);
    // What fetch can't send: a broken request line, an absolute-form target, a header too large.
    const raw = await Promise.all([
      rawHttp('POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      rawHttp('GARBAGE\r\n\r\n'),
      rawHttp('GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n'),
      rawHttp(
        `POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`,
      ),
      rawHttp('POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    ]);
    for (const status of raw) expect(status === 0 || (status >= 400 && status < 500)).toBe(true);
    await settled();
    expect(await rowCounts()).toEqual(before);
    expect(rejections).toEqual([]);
  });

  it('answers signed random commands, events and interactions without a 5xx, and stores nothing that matters', async () => {
    const before = await rowCounts();
    const workspaceBefore = await world.db.prisma.workspace.findMany({ orderBy: { id: 'asc' } });
    const probes: Probe[] = [];
    for (let i = 0; i < 200; i++) probes.push(randomCommand());
    for (let i = 0; i < 250; i++) probes.push(randomEnvelope());
    for (let i = 0; i < 200; i++) probes.push(randomInteraction());
    // Well-formed bodies under unexpected content types (read as JSON unless exactly a form).
    const event = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM_ID,
      event_id: 'EvFUZZCT',
      event: { type: 'message', text: 'hi', user: randomUserId(), channel: GENERAL_CHANNEL_ID, ts: '1.1' },
    });
    for (const type of [
      'text/plain',
      'application/json; charset=utf-8',
      'application/octet-stream',
      FORM_TYPE,
      null,
    ]) {
      probes.push({ label: `event as ${type}`, headers: signed(event, type), body: event });
    }
    // Slack's handshakes, odd but valid.
    for (const body of [
      JSON.stringify({ type: 'url_verification', challenge: 'c'.repeat(10_000) }),
      JSON.stringify({ type: 'url_verification' }),
      JSON.stringify({ type: 'url_verification', challenge: { nested: true } }),
      JSON.stringify({}),
      JSON.stringify([]),
      JSON.stringify('event_callback'),
      JSON.stringify(42),
      JSON.stringify({ type: 'event_callback' }),
      JSON.stringify({ type: 'app_rate_limited', team_id: TEAM_ID, minute_rate_limited: 1 }),
    ]) {
      probes.push({ label: `signed ${body.slice(0, 60)}`, headers: signed(body, JSON_TYPE), body });
    }
    probes.push({
      label: 'ssl_check unsigned',
      headers: { 'Content-Type': FORM_TYPE },
      body: 'ssl_check=1&token=x',
    });
    probes.push({
      label: 'ssl_check smuggling a command',
      headers: { 'Content-Type': FORM_TYPE },
      body: `ssl_check=1&${commandBody(COMMANDS.give, `<@${DELETED_USER_ID}> thanks for everything`)}`,
    });
    for (const path of ['/healthz', '/readyz', '/healthz?x=%00', '/readyz#frag'])
      probes.push({ label: `GET ${path}`, method: 'GET', path });

    const outcomes = await sendAll(probes);
    expect(report(outcomes, (o) => o.status === 0 || o.status >= 500)).toEqual([]);
    // Nothing hangs: every answer well within Slack's 3-second window (Bolt's own no-ack reply included).
    expect(report(outcomes, (o) => o.ms > 5000)).toEqual([]);
    await settled();
    const after = await rowCounts();
    for (const [table, n] of Object.entries(before)) {
      if (!BOOKKEEPING.has(table) && table !== 'Prompt')
        expect({ table, n: after[table] }).toEqual({ table, n });
    }
    // Gives are recorded without waiting on Slack; one to an id Slack does not know is removed when the
    // lookup says so (the Give count above is unchanged). What stays are the outbox rows of that work:
    // the lookup, the DM (skipped: the give is gone), private notes to the sender.
    const GIVE_FOLLOW_UPS = new Set(['give_note', 'give_dm', 'member_sync', 'give_reaction', 'give_link']);
    const prompts = await world.db.prisma.prompt.groupBy({ by: ['kind'], _count: { _all: true } });
    expect(before.Prompt).toBe(0);
    expect(prompts.filter((p) => !GIVE_FOLLOW_UPS.has(p.kind)).map((p) => [p.kind, p._count._all])).toEqual(
      [],
    );
    expect(await world.db.prisma.workspace.findMany({ orderBy: { id: 'asc' } })).toEqual(workspaceBefore);
    expect(rejections).toEqual([]);
    // Still alive and well.
    const ok = await world.slack.command(COMMANDS.intro, 'help', {
      userId: ADMIN_USER_ID,
      channelId: GENERAL_CHANNEL_ID,
    });
    expect(ok.status).toBe(200);
    expect((await world.slack.get('/readyz')).status).toBe(200);
  });
});
