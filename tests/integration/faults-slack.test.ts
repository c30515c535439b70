import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/services/outbox.ts';
import { TestClock } from '../support/clock.ts';
import { GENERAL_CHANNEL_ID, PAIRS_CHANNEL_ID, USER_IDS } from '../support/fake-workspace.ts';
import { inviteWeave, seedPairingChannel, waitUntil } from '../support/scenarios.ts';
import { type ProxyTarget, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// Slack misbehaving — 429 storms, 5xx, connections reset or refused, answers lost after Slack acted,
// permanent `ok:false` errors — during a round: no crash, every message that can still be delivered is
// delivered exactly once, and every permanent failure is recorded once. The app reaches the fake Slack
// through a TCP proxy, which cuts connections the way a network does.

const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
let world: TestWorld;
let proxy: TcpProxy;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  let reachFake: (t: ProxyTarget) => void = () => {};
  const fakeAddress = new Promise<ProxyTarget>((resolve) => {
    reachFake = resolve;
  });
  proxy = await startTcpProxy(() => fakeAddress);
  world = await startWorld({ clock, env: { SLACK_API_URL: `http://127.0.0.1:${proxy.port}/api/` } });
  reachFake({ host: '127.0.0.1', port: world.fake.port });
});
afterAll(async () => {
  await world?.close();
  await proxy?.close();
  process.off('unhandledRejection', onUnhandled);
});
beforeEach(async () => {
  await proxy.up();
  await world.reset();
  world.fake.clearMessages();
  clock.set('2026-11-25T12:00:00Z');
});
afterEach(async () => {
  expect(unhandled).toEqual([]);
  expect((await fetch(`${world.url}/healthz`)).status).toBe(200);
});

/** Intro messages in Slack, by conversation. */
function introsByConversation(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of world.fake.messagesIn().filter((m) => m.text.includes('Weave match'))) {
    counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  }
  return counts;
}

/** Prompts still to send now or soon (retries back off at most 15 minutes; follow-ups are days out). */
const waitingPrompts = () =>
  world.db.prisma.prompt.count({
    where: {
      status: { in: ['pending', 'sending'] },
      dueAt: { lte: new Date(clock.now().getTime() + 60 * 60_000) },
    },
  });

/**
 * Runs delivery until nothing waits, moving the app's clock a minute each time (retries are scheduled
 * with backoff on it). Returns how many runs it took.
 */
async function deliverUntilSettled(maxRuns = 40): Promise<number> {
  for (let run = 1; run <= maxRuns; run += 1) {
    const r = await world.app.scheduler.run('deliver');
    expect(r.ok).toBe(true);
    if ((await waitingPrompts()) === 0) return run;
    clock.advance(60_000);
  }
  throw new Error(`still ${await waitingPrompts()} prompts waiting after ${maxRuns} delivery runs`);
}

/** A program in #coffee with `people` members, its welcome delivered and its first round planned. */
async function roundPlanned(people: number, prefix: string): Promise<string[]> {
  const ids = seedPairingChannel(world, people, ['Engineering', 'Sales', 'Design', 'Finance'], prefix);
  await inviteWeave(world);
  await deliverUntilSettled();
  clock.set(FIRST_ROUND);
  expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
  expect(await world.db.prisma.group.count()).toBe(people / 2);
  world.fake.clearCalls();
  return ids;
}

async function groups() {
  return world.db.prisma.group.findMany({ include: { members: true }, orderBy: { createdAt: 'asc' } });
}

const usersArg = (args: Record<string, unknown>) => String(args.users ?? '').split(',');

describe('Slack Web API faults during a round', () => {
  it(`a 429 storm: one conversation rate-limited ${MAX_ATTEMPTS + 2} times in a row and chat.postMessage over a 2-per-second limit — every intro still goes out once, none given up`, async () => {
    await roundPlanned(12, 'U4R');
    const [stormed] = await groups();
    const stormedUser = stormed?.members[0]?.userId ?? '';
    world.fake.failNext(
      'conversations.open',
      { status: 429, retryAfterSec: 1, when: (a) => usersArg(a).includes(stormedUser) },
      MAX_ATTEMPTS + 2,
    );
    world.fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 }, 3);
    world.fake.setRateLimit('chat.postMessage', { perMinute: 2, windowMs: 1000, retryAfterSec: 1 });

    await deliverUntilSettled();

    const intros = introsByConversation();
    expect(intros.size).toBe(6);
    expect([...intros.values()]).toEqual(Array(6).fill(1));
    expect(await world.db.prisma.group.count({ where: { deliveredAt: null } })).toBe(0);
    // Rate limits are Slack asking to wait, not failures: more claims than MAX_ATTEMPTS, still sent.
    const prompt = await world.db.prisma.prompt.findFirstOrThrow({
      where: { groupId: stormed?.id, kind: 'group_intro' },
    });
    expect(prompt.status).toBe('sent');
    expect(prompt.attempts).toBeGreaterThan(MAX_ATTEMPTS);
    expect(world.fake.stats.rateLimitedByMethod['conversations.open']).toBe(MAX_ATTEMPTS + 2);
    expect(world.fake.stats.rateLimitedByMethod['chat.postMessage']).toBeGreaterThanOrEqual(3);
    expect(await world.db.prisma.prompt.count({ where: { status: 'failed' } })).toBe(0);
    expect((await world.db.prisma.round.findFirstOrThrow()).status).toBe('delivered');
  });

  it('500s, 503s, reset connections and answers lost after Slack posted: every intro exactly once', async () => {
    await roundPlanned(10, 'U4E');
    world.fake.failNext('conversations.open', { status: 503 }, 2);
    world.fake.failNext('chat.postMessage', { status: 500 }, 1);
    world.fake.failNext('chat.postMessage', { error: 'internal_error' }, 1);
    // The request never reaches Slack…
    proxy.cutRequests(/\/api\/conversations\.open/, 'reset', 1);
    proxy.cutRequests(/\/api\/chat\.postMessage/, 'reset', 1);
    // …or Slack posts the message and the answer is lost on the way back (a timeout, as Weave sees it).
    proxy.cutRequests(/\/api\/chat\.postMessage/, 'lose-answer', 2);
    // The lookup that guards against posting twice fails once too.
    proxy.cutRequests(/\/api\/conversations\.history/, 'reset', 1);

    await deliverUntilSettled();

    expect(proxy.cut).toBe(5);
    const intros = introsByConversation();
    expect(intros.size).toBe(5);
    expect([...intros.values()]).toEqual(Array(5).fill(1));
    const all = await groups();
    expect(all.every((g) => g.deliveredAt && g.messageTs && !g.failedAt)).toBe(true);
    // What Weave stored is what Slack has: each group's message ts is its one intro.
    for (const g of all) {
      const [message] = world.fake.messagesIn(g.conversationId ?? '');
      expect(message?.ts).toBe(g.messageTs);
    }
    expect(await world.db.prisma.prompt.count({ where: { status: 'failed' } })).toBe(0);
  });

  it('Slack unreachable (connections refused, open ones cut): the round and a give DM wait, then go out once when Slack is back', async () => {
    const give = (to: string) =>
      world.slack.command('/give', `<@${to}> thanks for covering my on-call shift`, {
        userId: USER_IDS.anna,
        channelId: GENERAL_CHANNEL_ID,
      });
    // Anna and Ben are known to Weave (Anna thanked Ben before); Priya has never been seen.
    await give(USER_IDS.ben);
    await waitUntil(async () => (await world.db.prisma.prompt.count({ where: { kind: 'give_dm' } })) === 1);
    await roundPlanned(8, 'U4D');
    world.fake.clearMessages();
    await proxy.down();
    for (let i = 0; i < 3; i += 1) {
      expect((await world.app.scheduler.run('deliver')).ok).toBe(true);
      clock.advance(60_000);
    }
    expect(await world.db.prisma.group.count({ where: { deliveredAt: null, failedAt: null } })).toBe(4);
    const waiting = await world.db.prisma.prompt.findMany({ where: { kind: 'group_intro' } });
    expect(waiting.every((p) => p.status === 'pending' && p.lastError)).toBe(true);
    // Gives made meanwhile are recorded and their DMs wait — to a known member, and to somebody Weave
    // has never seen (recording never waits on Slack; her profile is read when Slack is back).
    await give(USER_IDS.ben);
    await waitUntil(async () => (await world.db.prisma.prompt.count({ where: { kind: 'give_dm' } })) === 2);
    const unknown = await give(USER_IDS.priya);
    const reply = await world.fake.waitFor('response_url', (a) => String(a.url) === unknown.responseUrl);
    expect(String(reply.args.text)).toContain(`thanks <@${USER_IDS.priya}>`);
    expect(await world.db.prisma.give.count({ where: { receiverId: USER_IDS.priya } })).toBe(1);
    expect(await world.db.prisma.member.count({ where: { userId: USER_IDS.priya } })).toBe(0);

    await proxy.up();
    clock.advance(60 * 60_000); // past any backoff
    await deliverUntilSettled();
    expect([...introsByConversation().values()]).toEqual([1, 1, 1, 1]);
    expect(world.fake.messagesIn().filter((m) => m.text.includes('thanked you'))).toHaveLength(2);
    expect(
      (await world.db.prisma.member.findFirstOrThrow({ where: { userId: USER_IDS.priya } })).name,
    ).not.toBe('');
    expect((await world.db.prisma.round.findFirstOrThrow()).status).toBe('delivered');
  });

  it('ok:false errors (user_not_found, account_inactive, channel_not_found, not_in_channel): each failure recorded once, never retried, the rest delivered', async () => {
    await roundPlanned(12, 'U4P');
    const all = await groups();
    const members = (i: number) => all[i]?.members.map((m) => m.userId) ?? [];
    const conversation = (i: number) => world.fake.conversationIdFor(members(i));
    const opensFor = (i: number) => (a: Record<string, unknown>) => usersArg(a).includes(members(i)[0] ?? '');
    const postsTo = (i: number) => (a: Record<string, unknown>) => a.channel === conversation(i);
    world.fake.failNext('conversations.open', { error: 'user_not_found', when: opensFor(0) }, 100);
    world.fake.failNext('conversations.open', { error: 'account_inactive', when: opensFor(1) }, 100);
    world.fake.failNext('chat.postMessage', { error: 'channel_not_found', when: postsTo(2) }, 100);
    world.fake.failNext('chat.postMessage', { error: 'not_in_channel', when: postsTo(3) }, 100);
    // Transient trouble for the healthy groups on the way.
    world.fake.failNext('chat.postMessage', { status: 500, when: postsTo(4) }, 1);
    // A welcome to a second channel the bot was removed from, and a give DM to someone who left.
    world.fake.failNext(
      'chat.postMessage',
      { error: 'not_in_channel', when: (a) => a.channel === GENERAL_CHANNEL_ID },
      100,
    );
    world.fake.failNext(
      'conversations.open',
      { error: 'user_not_found', when: (a) => a.users === USER_IDS.ben },
      100,
    );
    await inviteWeave(world, GENERAL_CHANNEL_ID);
    const res = await world.slack.command('/give', `<@${USER_IDS.ben}> thanks for the handover notes`, {
      userId: USER_IDS.anna,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await world.db.prisma.prompt.count({ where: { kind: 'give_dm' } })) === 1);

    await deliverUntilSettled();

    const after = await groups();
    const failures = after.map((g) => g.failure);
    expect(failures).toEqual([
      'user_not_found',
      'account_inactive',
      'channel_not_found',
      'not_in_channel',
      null,
      null,
    ]);
    expect(after.slice(4).every((g) => g.deliveredAt)).toBe(true);
    expect([...introsByConversation().values()]).toEqual([1, 1]);
    const failed = await world.db.prisma.prompt.findMany({
      where: { status: 'failed' },
      orderBy: { kind: 'asc' },
    });
    expect(failed.map((p) => [p.kind, p.lastError, p.attempts]).sort()).toEqual(
      [
        ['give_dm', 'user_not_found', 1],
        ['group_intro', 'account_inactive', 1],
        ['group_intro', 'channel_not_found', 1],
        ['group_intro', 'not_in_channel', 1],
        ['group_intro', 'user_not_found', 1],
        ['program_welcome', 'not_in_channel', 1],
      ].sort(),
    );
    // The round is over: its failed groups no longer hold it open.
    expect((await world.db.prisma.round.findFirstOrThrow()).status).toBe('delivered');

    // Recorded once: later delivery runs (hours later) neither retry nor rewrite the failures.
    const callsBefore = world.fake.calls.length;
    const stamps = after.map((g) => g.failedAt?.getTime() ?? null);
    for (let i = 0; i < 3; i += 1) {
      clock.advance(6 * 60 * 60_000);
      await world.app.scheduler.run('deliver');
    }
    expect((await groups()).map((g) => g.failedAt?.getTime() ?? null)).toEqual(stamps);
    expect(world.fake.calls.slice(callsBefore).filter((c) => !c.ok)).toEqual([]);
    expect(await world.db.prisma.prompt.count({ where: { status: 'failed' } })).toBe(6);
  });
});
