import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { finalReply, inviteWeave, seedPairingChannel, waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// Wednesday 25 Nov 2026, 12:00 UTC: the program starts; its first round is Monday 30 Nov 10:00 Berlin time.
const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  world.fake.reset();
  clock.set('2026-11-25T12:00:00Z');
});

/** Intro messages Weave posted, by conversation. */
function introsByConversation(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of world.fake.messagesIn().filter((m) => m.text.includes('Weave match'))) {
    counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  }
  return counts;
}

/** A program of `size` members in `departments`, welcomed, and its first round planned (not delivered). */
async function firstRoundPlanned(size: number, departments: string[]): Promise<string[]> {
  const ids = seedPairingChannel(world, size, departments);
  await inviteWeave(world);
  await world.app.scheduler.run('deliver');
  clock.set(FIRST_ROUND);
  await world.app.scheduler.run('rounds');
  return ids;
}

describe('pairing rounds', () => {
  it('starts a program when invited and welcomes the channel with its default schedule', async () => {
    await inviteWeave(world);
    const program = await world.db.prisma.program.findFirstOrThrow({
      where: { channelId: PAIRS_CHANNEL_ID },
    });
    expect(program).toMatchObject({ cadence: 'weekly', weekday: 1, hour: 10, tz: 'Europe/Berlin' });
    await world.app.scheduler.run('deliver');
    const welcome = world.fake.lastCall('chat.postMessage');
    expect(welcome?.args.channel).toBe(PAIRS_CHANNEL_ID);
    expect(String(welcome?.args.text)).toContain('Every week on Monday at 10:00 (Europe/Berlin)');
  });

  it('runs on schedule: 9 members in 3 departments get 4 group DMs (one trio), each introduced once; the same tick again sends nothing', async () => {
    const ids = seedPairingChannel(world, 9, ['Engineering', 'Sales', 'Design']);
    await inviteWeave(world);
    await world.app.scheduler.run('deliver');
    world.fake.clearCalls();

    // Before the first slot: nothing is due.
    expect((await world.app.scheduler.run('rounds')).ok).toBe(true);
    expect(await world.db.prisma.round.count()).toBe(0);

    clock.set(FIRST_ROUND);
    const first = await world.app.scheduler.run('rounds');
    expect(first).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    await world.app.scheduler.run('deliver');

    const opens = world.fake.callsTo('conversations.open').filter((c) => c.ok);
    expect(opens).toHaveLength(4);
    const groupSizes = opens.map((c) => String(c.args.users).split(',').length).sort();
    expect(groupSizes).toEqual([2, 2, 2, 3]);
    const everyone = opens.flatMap((c) => String(c.args.users).split(','));
    expect(everyone.sort()).toEqual([...ids].sort());
    const intros = introsByConversation();
    expect(intros.size).toBe(4);
    expect([...intros.values()].every((n) => n === 1)).toBe(true);

    // Each intro explains itself and tells the trio why they are three.
    const texts = world.fake.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.blocks));
    expect(texts.filter((t) => t.includes('Why you')).length).toBe(4);
    expect(texts.filter((t) => t.includes('odd number')).length).toBe(1);

    // Every group crosses departments (3 departments of 3: the bound is 9 of 9).
    const groups = await world.db.prisma.group.findMany({ include: { members: true } });
    const dept = new Map((await world.db.prisma.member.findMany()).map((m) => [m.userId, m.slackDepartment]));
    for (const g of groups) {
      const departments = new Set(g.members.map((m) => dept.get(m.userId)));
      expect(departments.size).toBeGreaterThan(1);
      expect(g.deliveredAt).not.toBeNull();
    }
    const round = await world.db.prisma.round.findFirstOrThrow();
    expect(round.status).toBe('delivered');

    // The same tick again: nothing new.
    world.fake.clearCalls();
    expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 0, outcomes: 0 } });
    await world.app.scheduler.run('deliver');
    expect(world.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await world.db.prisma.round.count()).toBe(1);
  });

  it('a program stored before a crash still gets its welcome when the invite is handled again, once', async () => {
    // The first attempt stored the workspace and the program, and died before queuing the welcome.
    await world.db.prisma.workspace.upsert({ where: { id: TEAM_ID }, create: { id: TEAM_ID }, update: {} });
    await world.db.prisma.program.create({ data: { workspaceId: TEAM_ID, channelId: PAIRS_CHANNEL_ID } });
    const invite = () =>
      world.slack.event(slackEvents.memberJoinedChannel(BOT_USER_ID, PAIRS_CHANNEL_ID, ADMIN_USER_ID));
    const welcomesQueued = () => world.db.prisma.prompt.count({ where: { kind: 'program_welcome' } });
    expect((await invite()).status).toBe(200);
    await waitUntil(async () => (await welcomesQueued()) === 1);
    await world.app.scheduler.run('deliver');
    // Invited once more: no second welcome.
    expect((await invite()).status).toBe(200);
    await world.app.scheduler.run('deliver');
    const welcomes = world.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.ok && c.args.channel === PAIRS_CHANNEL_ID);
    expect(welcomes).toHaveLength(1);
    expect(await welcomesQueued()).toBe(1);
    expect(await world.db.prisma.program.count()).toBe(1);
  });

  it('a round is delivered when its last group is, not before: one group held back by Slack keeps it delivering', async () => {
    await firstRoundPlanned(8, ['Engineering', 'Sales']);
    const [held] = await world.db.prisma.group.findMany({
      include: { members: true },
      orderBy: { id: 'asc' },
    });
    const heldUser = held?.members[0]?.userId ?? '';
    world.fake.failNext(
      'conversations.open',
      {
        status: 503,
        when: (a) =>
          String(a.users ?? '')
            .split(',')
            .includes(heldUser),
      },
      1,
    );

    await world.app.scheduler.run('deliver');
    const waiting = await world.db.prisma.group.findMany({ where: { deliveredAt: null } });
    expect(waiting.map((g) => g.id)).toEqual([held?.id]);
    expect(await world.db.prisma.group.count({ where: { deliveredAt: { not: null } } })).toBe(3);
    const delivering = await world.db.prisma.round.findFirstOrThrow();
    expect(delivering.status).toBe('delivering');
    expect(delivering.deliveredAt).toBeNull();

    // The retry delivers the last group, and with it the round.
    for (
      let run = 0;
      run < 10 && (await world.db.prisma.group.count({ where: { deliveredAt: null } })) > 0;
      run += 1
    ) {
      clock.advance(60_000);
      await world.app.scheduler.run('deliver');
    }
    const delivered = await world.db.prisma.round.findFirstOrThrow();
    expect(delivered.status).toBe('delivered');
    expect(delivered.deliveredAt).not.toBeNull();
    expect([...introsByConversation().values()]).toEqual([1, 1, 1, 1]);
  });

  it('a round missed while the app was down runs later in the same period, never after it', async () => {
    seedPairingChannel(world, 4, ['Engineering', 'Sales']);
    await inviteWeave(world);
    clock.set('2026-12-03T15:00:00Z'); // Thursday of the first round's week
    expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    clock.set('2026-12-15T09:00:00Z'); // Tuesday two periods later: only that week's round, once
    expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    const keys = (await world.db.prisma.round.findMany({ orderBy: { createdAt: 'asc' } })).map(
      (r) => r.periodKey,
    );
    expect(keys).toEqual(['2026-W49', '2026-W51']);
  });

  it('delivers every group exactly once through 429s (Retry-After: 1) and 500s', async () => {
    await firstRoundPlanned(8, ['Engineering', 'Sales', 'Design', 'Finance']);
    world.fake.failNext('conversations.open', { status: 429, retryAfterSec: 1 }, 2);
    world.fake.failNext('chat.postMessage', { status: 500 }, 2);
    world.fake.failNext('chat.postMessage', { error: 'internal_error' }, 1);
    for (
      let i = 0;
      i < 20 && (await world.db.prisma.group.count({ where: { deliveredAt: null } })) > 0;
      i += 1
    ) {
      await world.app.scheduler.run('deliver');
      clock.advance(60_000); // retries are scheduled with backoff on the app's clock
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await world.db.prisma.group.count({ where: { deliveredAt: null } })).toBe(0);
    const intros = introsByConversation();
    expect(intros.size).toBe(4);
    expect([...intros.values()]).toEqual([1, 1, 1, 1]);
    expect(world.fake.stats.rateLimited).toBeGreaterThanOrEqual(2);
  });

  it('a message Slack accepted but whose answer was lost is not posted twice', async () => {
    await firstRoundPlanned(2, ['Engineering', 'Sales']);
    // Slack posts the message, then the connection drops: Weave sees a 500.
    world.fake.failNext('chat.postMessage', { status: 500, afterProcessing: true });
    await world.app.scheduler.run('deliver');
    clock.advance(60_000);
    await world.app.scheduler.run('deliver');
    expect(await world.db.prisma.group.count({ where: { deliveredAt: null } })).toBe(0);
    expect([...introsByConversation().values()]).toEqual([1]);
  });

  it('records a permanent failure (a deactivated member) and delivers the rest of the round', async () => {
    const ids = seedPairingChannel(world, 6, ['Engineering', 'Sales', 'Design']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    // Deactivated between planning and delivery.
    world.fake.updateUser(ids[0] as string, { deleted: true });
    await world.app.scheduler.run('deliver');
    const failed = await world.db.prisma.group.findMany({ where: { failedAt: { not: null } } });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.failure).toMatch(/account_inactive|user_disabled/);
    expect(await world.db.prisma.group.count({ where: { deliveredAt: { not: null } } })).toBe(2);
    expect(await world.db.prisma.prompt.count({ where: { kind: 'group_intro', status: 'failed' } })).toBe(1);
  });

  it('/intro round now runs the current round early for admins, says so when it already ran, and refuses non-admins', async () => {
    seedPairingChannel(world, 4, ['Engineering', 'Sales']);
    await inviteWeave(world);
    const denied = await world.slack.command('/intro', 'round now', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(JSON.stringify(denied.body)).toContain('admins');
    const ran = await world.slack.command('/intro', 'round now', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(await finalReply(world, ran)).toContain('Round started: 2 groups');
    const again = await world.slack.command('/intro', 'round now', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(await finalReply(world, again)).toContain('already ran');
    await waitUntil(
      async () => (await world.db.prisma.group.count({ where: { deliveredAt: { not: null } } })) === 2,
    );
  });

  it("/intro round now on Monday 08:00 before a Monday 10:00 round is that week's round: no second round that week, one check-in per group", async () => {
    seedPairingChannel(world, 4, ['Engineering', 'Sales']);
    await inviteWeave(world);
    await world.app.scheduler.run('deliver');
    clock.set('2026-11-30T07:00:00Z'); // Monday 30 November (ISO week 49), 08:00 in Berlin
    const ran = await world.slack.command('/intro', 'round now', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(await finalReply(world, ran)).toContain('Round started: 2 groups');
    await waitUntil(
      async () => (await world.db.prisma.group.count({ where: { deliveredAt: { not: null } } })) === 2,
    );
    // The scheduled hour, then restarts and ticks on Thursday and Friday: nothing more this week.
    for (const t of ['2026-11-30T09:00:00Z', '2026-12-03T12:00:00Z', '2026-12-04T15:00:00Z']) {
      clock.set(t);
      expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 0, outcomes: 0 } });
    }
    const rounds = await world.db.prisma.round.findMany();
    expect(rounds.map((r) => r.periodKey)).toEqual(['2026-W49']);
    // Every group gets its one check-in, from Thursday evening of that week (moved into working hours).
    await world.app.scheduler.run('deliver');
    const checkins = await world.db.prisma.prompt.findMany({ where: { kind: 'checkin' } });
    expect(checkins.map((c) => c.groupId).sort()).toEqual(
      (await world.db.prisma.group.findMany()).map((g) => g.id).sort(),
    );
    for (const c of checkins) {
      expect(c.dueAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-03T21:00:00Z'));
      expect(c.dueAt.getTime()).toBeLessThan(Date.parse('2026-12-04T15:00:00Z'));
      expect(c.status).toBe('sent');
    }
    // The next week's round runs on schedule.
    clock.set('2026-12-07T09:00:00Z');
    expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    expect(
      (await world.db.prisma.round.findMany({ orderBy: { createdAt: 'asc' } })).map((r) => r.periodKey),
    ).toEqual(['2026-W49', '2026-W50']);
  });

  it('/intro preview shows the next pairs to admins and sends nothing', async () => {
    seedPairingChannel(world, 5, ['Engineering', 'Sales']);
    await inviteWeave(world);
    await world.app.scheduler.run('deliver');
    world.fake.clearCalls();
    const res = await world.slack.command('/intro', 'preview', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    const text = await finalReply(world, res);
    expect(text).toContain('Preview');
    expect(text).toContain('5 people in 2 groups');
    expect(
      world.fake.callsTo('chat.postMessage', (a) => String(a.text).includes('Weave match')),
    ).toHaveLength(0);
    expect(world.fake.callsTo('conversations.open')).toHaveLength(0);
    expect(await world.db.prisma.round.count()).toBe(0);
  });
});

describe('groups of three', () => {
  it('a program set to groups of 3 with 9 members in 3 departments gets 3 group DMs of 3, each introduced once', async () => {
    const ids = seedPairingChannel(world, 9, ['Engineering', 'Sales', 'Design']);
    await inviteWeave(world);
    await world.db.prisma.program.updateMany({
      where: { channelId: PAIRS_CHANNEL_ID },
      data: { groupSize: 3 },
    });
    await world.app.scheduler.run('deliver');
    world.fake.clearCalls();

    // /intro preview plans with the same group size.
    const preview = await world.slack.command('/intro', 'preview', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(await finalReply(world, preview)).toContain('9 people in 3 groups');

    clock.set(FIRST_ROUND);
    expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
    await world.app.scheduler.run('deliver');

    const opens = world.fake.callsTo('conversations.open').filter((c) => c.ok);
    expect(opens).toHaveLength(3);
    expect(opens.map((c) => String(c.args.users).split(',').length)).toEqual([3, 3, 3]);
    const everyone = opens.flatMap((c) => String(c.args.users).split(','));
    expect(everyone.sort()).toEqual([...ids].sort());
    const intros = introsByConversation();
    expect(intros.size).toBe(3);
    expect([...intros.values()]).toEqual([1, 1, 1]);

    // Groups of the size asked for are not told they are an odd one out.
    const texts = world.fake.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.blocks));
    expect(texts.filter((t) => t.includes('Why you')).length).toBe(3);
    expect(texts.filter((t) => t.includes('odd number')).length).toBe(0);

    // 3 departments of 3: every group crosses departments.
    const groups = await world.db.prisma.group.findMany({ include: { members: true } });
    expect(groups.map((g) => g.members.length)).toEqual([3, 3, 3]);
    const dept = new Map((await world.db.prisma.member.findMany()).map((m) => [m.userId, m.slackDepartment]));
    for (const g of groups) {
      expect(new Set(g.members.map((m) => dept.get(m.userId))).size).toBeGreaterThan(1);
      expect(g.deliveredAt).not.toBeNull();
    }
    const round = await world.db.prisma.round.findFirstOrThrow();
    expect(round.stats).toMatchObject({ n: 9, coverage: 9, bound: 9, trios: 0 });
  });
});
