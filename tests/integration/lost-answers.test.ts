import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import type { CallArgs, FakeSlack } from '../support/fake-slack.ts';
import { inviteWeave, seedPairingChannel } from '../support/scenarios.ts';
import { type ProxyTarget, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// Exactly-once delivery with the narrowest scopes: Weave looks in a conversation (conversations.history,
// which needs im:history / mpim:history) only when a post's outcome is unknown — its answer was lost —
// never after a 429 or a refused connection. The app reaches the fake Slack through a TCP proxy that
// drops connections after Slack has acted.

const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
let world: TestWorld;
let proxy: TcpProxy;

/** Scopes the manifest grants for reading conversations: Weave's own DMs and group DMs, no channels. */
const GRANTED_HISTORY_SCOPES = new Set(['im:history', 'mpim:history']);
/** Slack's page limit for commercially distributed apps outside the Marketplace. */
const MAX_HISTORY_LIMIT = 15;

/**
 * conversations.history as Slack answers it: `missing_scope` unless the scope for the conversation's
 * type is granted, at most 15 messages a page, only messages after `oldest`, newest first, cursors.
 */
function strictHistory(fake: FakeSlack) {
  fake.setHandler('conversations.history', (args: CallArgs) => {
    const channelId = String(args.channel ?? '');
    const channel = fake.getChannel(channelId);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const needed = channel.is_im
      ? 'im:history'
      : channel.is_mpim
        ? 'mpim:history'
        : channel.is_private
          ? 'groups:history'
          : 'channels:history';
    if (!GRANTED_HISTORY_SCOPES.has(needed))
      return { ok: false, error: 'missing_scope', needed, provided: [...GRANTED_HISTORY_SCOPES].join(',') };
    const limit = Number(args.limit ?? 100);
    if (!(limit >= 1 && limit <= MAX_HISTORY_LIMIT)) return { ok: false, error: 'invalid_limit' };
    const oldest = Number(args.oldest ?? 0);
    const all = fake
      .messagesIn(channelId)
      .filter((m) => Number(m.ts) > oldest)
      .reverse();
    const start = Number(args.cursor ?? 0);
    const page = all.slice(start, start + limit).map((m) => ({
      type: 'message',
      ts: m.ts,
      text: m.text,
      ...(m.metadata && args.include_all_metadata
        ? { metadata: typeof m.metadata === 'string' ? JSON.parse(m.metadata) : m.metadata }
        : {}),
    }));
    const more = start + limit < all.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : '' },
    };
  });
}

beforeAll(async () => {
  let reachFake: (t: ProxyTarget) => void = () => {};
  const fakeAddress = new Promise<ProxyTarget>((resolve) => {
    reachFake = resolve;
  });
  proxy = await startTcpProxy(() => fakeAddress);
  // Message ts in real time, as Slack's are: the lookup asks for messages since the uncertain post.
  world = await startWorld({
    clock,
    env: { SLACK_API_URL: `http://127.0.0.1:${proxy.port}/api/` },
    fake: { tsBase: Math.floor(Date.now() / 1000) },
  });
  reachFake({ host: '127.0.0.1', port: world.fake.port });
});
afterAll(async () => {
  await world?.close();
  await proxy?.close();
});
beforeEach(async () => {
  await proxy.up();
  await world.reset();
  strictHistory(world.fake);
  clock.set('2026-11-25T12:00:00Z');
});
afterEach(() => {
  // Whatever happened, Slack never had to refuse Weave for a scope or for its blocks.
  const refused = world.fake.calls.filter((c) => c.error === 'missing_scope' || c.error === 'invalid_blocks');
  expect(refused.map((c) => `${c.method}: ${c.error}`)).toEqual([]);
});

const waitingPrompts = () =>
  world.db.prisma.prompt.count({
    where: {
      status: { in: ['pending', 'sending'] },
      dueAt: { lte: new Date(clock.now().getTime() + 60 * 60_000) },
    },
  });

async function deliverUntilSettled(maxRuns = 40): Promise<void> {
  for (let run = 1; run <= maxRuns; run += 1) {
    expect((await world.app.scheduler.run('deliver')).ok).toBe(true);
    if ((await waitingPrompts()) === 0) return;
    clock.advance(60_000);
  }
  throw new Error(`still ${await waitingPrompts()} prompts waiting after ${maxRuns} delivery runs`);
}

/** #coffee with `people` members, the welcome delivered, the first round planned. */
async function roundPlanned(people: number, prefix: string) {
  seedPairingChannel(world, people, ['Engineering', 'Sales', 'Design', 'Finance'], prefix);
  await inviteWeave(world);
  await deliverUntilSettled();
  clock.set(FIRST_ROUND);
  expect((await world.app.scheduler.run('rounds')).ok).toBe(true);
  world.fake.clearCalls();
  return world.db.prisma.group.findMany({ include: { members: true }, orderBy: { createdAt: 'asc' } });
}

const intros = (conversationId: string) =>
  world.fake.messagesIn(conversationId).filter((m) => m.text.includes('Weave match'));

describe('exactly once, looking only when an answer was lost', () => {
  it('a round of 9 (three pairs and a trio) whose every intro is posted but its answer lost: one intro per group, none failed, each gets its check-in', async () => {
    const planned = await roundPlanned(9, 'U6L');
    expect(planned.map((g) => g.members.length).sort()).toEqual([2, 2, 2, 3]);
    proxy.cutRequests(/\/api\/chat\.postMessage/, 'lose-answer', planned.length);

    await deliverUntilSettled();

    expect(proxy.cut).toBe(4);
    const groups = await world.db.prisma.group.findMany({ orderBy: { createdAt: 'asc' } });
    expect(groups.every((g) => g.deliveredAt && !g.failedAt && g.conversationId)).toBe(true);
    for (const g of groups) {
      const posted = intros(g.conversationId ?? '');
      expect(posted).toHaveLength(1);
      expect(posted[0]?.ts).toBe(g.messageTs);
    }
    // One narrow look per lost answer, in Weave's own group DMs, from when the lost post started.
    const lookups = world.fake.callsTo('conversations.history');
    expect(lookups).toHaveLength(4);
    expect(new Set(lookups.map((c) => c.args.channel))).toEqual(new Set(groups.map((g) => g.conversationId)));
    expect(lookups.every((c) => Number(c.args.limit) <= MAX_HISTORY_LIMIT && Number(c.args.oldest) > 0)).toBe(
      true,
    );
    const prompts = await world.db.prisma.prompt.findMany({ where: { kind: 'group_intro' } });
    expect(prompts.map((p) => [p.status, p.postingSince])).toEqual(Array(4).fill(['sent', null]));
    expect((await world.db.prisma.round.findFirstOrThrow()).status).toBe('delivered');

    // Later, every group gets its check-in.
    const checkins = await world.db.prisma.prompt.findMany({ where: { kind: 'checkin' } });
    expect(checkins).toHaveLength(4);
    clock.set(new Date(Math.max(...checkins.map((p) => p.dueAt.getTime()))));
    await deliverUntilSettled();
    expect(
      (await world.db.prisma.prompt.findMany({ where: { kind: 'checkin' } })).map((p) => p.status),
    ).toEqual(Array(4).fill('sent'));
    for (const g of groups) expect(world.fake.messagesIn(g.conversationId ?? '')).toHaveLength(2);
  });

  it('a lookup Slack refuses (missing_scope on an old install) is retried, never a failed group', async () => {
    const planned = await roundPlanned(2, 'U6M');
    proxy.cutRequests(/\/api\/chat\.postMessage/, 'lose-answer', 1);
    // One refusal, as from an install made before the history scopes were granted (excluded below).
    world.fake.failNext('conversations.history', { error: 'missing_scope' }, 1);

    await deliverUntilSettled();

    const [group] = await world.db.prisma.group.findMany();
    expect(group?.failedAt).toBeNull();
    expect(group?.deliveredAt).not.toBeNull();
    expect(intros(planned[0]?.conversationId ?? group?.conversationId ?? '')).toHaveLength(1);
    expect(world.fake.callsTo('conversations.history').map((c) => c.error ?? 'ok')).toEqual([
      'missing_scope',
      'ok',
    ]);
    world.fake.clearCalls(); // the one refusal above was injected on purpose
  });

  it('after 429s, refused connections and error answers Weave posts again without looking', async () => {
    const planned = await roundPlanned(8, 'U6R');
    world.fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 }, 2);
    world.fake.failNext('chat.postMessage', { error: 'service_unavailable' }, 1);
    await proxy.down();
    for (let i = 0; i < 3; i += 1) {
      expect((await world.app.scheduler.run('deliver')).ok).toBe(true);
      clock.advance(60_000);
    }
    expect(await world.db.prisma.group.count({ where: { deliveredAt: null } })).toBe(4);
    await proxy.up();
    clock.advance(60 * 60_000);
    await deliverUntilSettled();

    const groups = await world.db.prisma.group.findMany();
    expect(groups.every((g) => g.deliveredAt && !g.failedAt)).toBe(true);
    for (const g of groups) expect(intros(g.conversationId ?? '')).toHaveLength(1);
    expect(world.fake.stats.rateLimitedByMethod['chat.postMessage']).toBe(2);
    expect(world.fake.callsTo('conversations.history')).toEqual([]);
    expect(planned).toHaveLength(4);
  });
});
