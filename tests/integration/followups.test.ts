import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeave } from '../../src/app.ts';
import { zonedParts } from '../../src/domain/schedule/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { TestClock } from '../support/clock.ts';
import { BOT_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID } from '../support/fake-workspace.ts';
import { openedViewId } from '../support/intro-world.ts';
import { inviteWeave, seedPairingChannel, waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { FAST_RATE_LIMITS, startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
const DAY = 86_400_000;
let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-25T12:00:00Z');
});

const deliver = () => world.app.scheduler.run('deliver');
const prisma = () => world.db.prisma;

/** Moves the clock to a prompt's due time and delivers. */
async function deliverDue(kind: string): Promise<void> {
  const p = await prisma().prompt.findFirstOrThrow({
    where: { kind, status: 'pending' },
    orderBy: { dueAt: 'asc' },
  });
  if (p.dueAt > clock.now()) clock.set(p.dueAt);
  await deliver();
}

/** One round for two people (Engineering + Sales): returns the group and its conversation. */
async function pairOnce() {
  const ids = seedPairingChannel(world, 2, ['Engineering', 'Sales']);
  await inviteWeave(world);
  clock.set(FIRST_ROUND);
  await world.app.scheduler.run('rounds');
  await deliver();
  const group = await prisma().group.findFirstOrThrow({ include: { members: true } });
  return { ids, group, conversation: group.conversationId as string };
}

function click(userId: string, actionId: string, value: string, channelId: string) {
  return world.slack.action(
    world.slack.blockAction({ userId, actionId, value, channelId, messageTs: '1700000000.000100' }),
  );
}

function messagesIn(channel: string, containing: string) {
  return world.fake.messagesIn(channel).filter((m) => m.text.includes(containing));
}

describe('check-ins', () => {
  it('a round → check-in halfway → "We met" → a thank-you give is recorded', async () => {
    const { ids, group, conversation } = await pairOnce();
    const [a, b] = ids as [string, string];
    const checkin = await prisma().prompt.findFirstOrThrow({ where: { kind: 'checkin' } });
    // Halfway through the week: Thursday 22:00 in Berlin (the program's zone), which is a working hour for
    // both members (16:00 in New York, Friday 10:00 in Auckland), so no later.
    expect(checkin.dueAt.toISOString()).toBe('2026-12-03T21:00:00.000Z');
    await deliverDue('checkin');
    expect(messagesIn(conversation, 'Have you met')).toHaveLength(1);

    const res = await click(a, 'checkin_met', group.id, conversation);
    expect(res.status).toBe(200);
    await waitUntil(
      async () => (await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).status === 'met',
    );
    const updated = await world.fake.waitFor('response_url', (args) =>
      JSON.stringify(args).includes('we met'),
    );
    expect(JSON.stringify(updated.args)).toContain(`<@${a}>: we met`);

    await deliver(); // thank-you offers, one per member
    const offers = world.fake.callsTo('chat.postMessage', (args) =>
      String(args.text).includes('say thank you'),
    );
    expect(offers).toHaveLength(2);
    await click(a, 'thank_partner', `${group.id}|${b}`, 'D0OFFER');
    const opened = await world.fake.waitFor('views.open');
    expect(JSON.stringify(opened.args.view)).toContain(`<@${b}>`);
    // The work after the ack ends by updating the modal through Slack (views.update): Slack gets its ack
    // while that call is still held; the modal then says the thanks were sent.
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    world.fake.setHandler('views.update', async () => {
      order.push('slack call started');
      await held;
      order.push('slack call finished');
      return undefined;
    });
    const acked = world.slack
      .action(
        world.slack.viewSubmission({
          userId: a,
          callbackId: 'give_modal',
          values: { reason: { reason: 'explained how the sales pipeline really works' } },
          privateMetadata: JSON.stringify({ groupId: group.id, receiverId: b, connector: false }),
          viewId: openedViewId(world),
        }),
      )
      .then((res) => {
        order.push('acked');
        return res;
      });
    // Releases the held call once Slack has its ack (or, should the ack wait for the call, after a
    // while, so the test fails on the order instead of hanging).
    await Promise.race([acked, new Promise((r) => setTimeout(r, 5000))]);
    release();
    const submit = await acked;
    const result = await world.fake.waitFor('views.update', (args) =>
      JSON.stringify(args.view).includes('Thanks sent'),
    );
    world.fake.setHandler('views.update', null);
    expect(order).toContain('slack call started');
    expect(order.indexOf('acked')).toBeLessThan(order.indexOf('slack call finished'));
    expect(submit.status).toBe(200);
    expect(submit.body.response_action).toBe('update');
    expect(JSON.stringify(submit.body.view)).toContain('Sending your thanks');
    expect(JSON.stringify(result.args.view)).toContain(`Thanks sent to <@${b}>`);
    const give = await prisma().give.findFirstOrThrow();
    expect(give).toMatchObject({ giverId: a, receiverId: b, source: 'thanks', kind: 'help' });
  });

  it("an intro queued without the round's check-in time (an earlier version's) is checked on at the same time", async () => {
    seedPairingChannel(world, 2, ['Engineering', 'Sales']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    const queued = await prisma().prompt.findFirstOrThrow({ where: { kind: 'group_intro' } });
    expect(queued.payload).toMatchObject({ checkInAt: '2026-12-03T21:00:00.000Z' });
    const { checkInAt: _, ...older } = queued.payload as Record<string, unknown>;
    await prisma().prompt.update({ where: { id: queued.id }, data: { payload: older as object } });
    await deliver();
    const checkin = await prisma().prompt.findFirstOrThrow({ where: { kind: 'checkin' } });
    expect(checkin.dueAt.toISOString()).toBe('2026-12-03T21:00:00.000Z');
  });

  it("a trio's thank-you offers are accepted by Slack (one action_id per button) and each button thanks its partner", async () => {
    const ids = seedPairingChannel(world, 3, ['Engineering', 'Sales', 'Design']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    const group = await prisma().group.findFirstOrThrow({ include: { members: true } });
    expect(group.members).toHaveLength(3);
    await deliverDue('checkin');
    const [a, b, c] = group.members.map((m) => m.userId) as [string, string, string];
    await click(a, 'checkin_met', group.id, group.conversationId as string);
    await waitUntil(
      async () => (await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).status === 'met',
    );

    // Thank-you offers, one per member (queued by the stored click: deliver until all three went out).
    const sentOffers = () =>
      world.fake.callsTo('chat.postMessage', (args) => String(args.text).includes('say thank you'));
    await waitUntil(async () => {
      await deliver();
      return sentOffers().length >= 3;
    });
    const offers = sentOffers();
    expect(offers.map((o) => o.error ?? 'ok')).toEqual(['ok', 'ok', 'ok']);
    expect(await prisma().prompt.count({ where: { kind: 'thank_you', status: 'failed' } })).toBe(0);
    const toA = offers.find((o) => o.args.channel === world.fake.conversationIdFor([a]));
    const blocks = (
      typeof toA?.args.blocks === 'string' ? JSON.parse(toA.args.blocks) : toA?.args.blocks
    ) as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const buttons = blocks.find((bl) => bl.type === 'actions')?.elements ?? [];
    expect(buttons.map((e) => e.value).sort()).toEqual([`${group.id}|${b}`, `${group.id}|${c}`].sort());
    expect(new Set(buttons.map((e) => e.action_id)).size).toBe(2);
    expect(ids).toHaveLength(3);

    for (const [i, button] of buttons.entries()) {
      const res = await click(a, button.action_id, button.value, 'D0OFFER');
      expect(res.status).toBe(200);
      const opened = await world.fake.waitForCount('views.open', i + 1);
      const partner = button.value.split('|')[1];
      expect(JSON.stringify(opened[i]?.args.view)).toContain(`<@${partner}>`);
    }
  });

  it('a too-short thank-you reason is refused in the modal and records nothing', async () => {
    const { ids, group } = await pairOnce();
    const res = await world.slack.action(
      world.slack.viewSubmission({
        userId: ids[0] as string,
        callbackId: 'give_modal',
        values: { reason: { reason: 'thx' } },
        privateMetadata: JSON.stringify({ groupId: group.id, receiverId: ids[1], connector: false }),
      }),
    );
    expect(res.body).toMatchObject({ response_action: 'errors' });
    expect(await prisma().give.count()).toBe(0);
  });

  it('"Not yet" → exactly one reminder → nothing more', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_not_yet', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'checkin_reminder' } })) === 1);
    await click(ids[1] as string, 'checkin_not_yet', group.id, conversation);
    await deliverDue('checkin_reminder');
    expect(messagesIn(conversation, 'gentle reminder')).toHaveLength(1);
    clock.advance(30 * DAY);
    await deliver();
    expect(messagesIn(conversation, 'gentle reminder')).toHaveLength(1);
    expect(await prisma().prompt.count({ where: { kind: 'checkin_reminder' } })).toBe(1);
  });

  it('"Not happening" → no more pings for that group', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_not_yet', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'checkin_reminder' } })) === 1);
    await click(ids[1] as string, 'checkin_not_happening', group.id, conversation);
    await waitUntil(
      async () =>
        (await prisma().group.findUniqueOrThrow({ where: { id: group.id } })).status === 'not_happening',
    );
    clock.advance(200 * DAY);
    await deliver();
    expect(messagesIn(conversation, 'gentle reminder')).toHaveLength(0);
    expect(await prisma().prompt.count({ where: { groupId: group.id, status: 'pending' } })).toBe(0);
  });
});

describe('reconnects', () => {
  it('90 days after meeting each gets one private offer; both say yes → a new group DM opens', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_met', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'reconnect' } })) === 2);
    await deliver();
    const offers = await prisma().prompt.findMany({ where: { kind: 'reconnect' } });
    for (const o of offers)
      expect(o.dueAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(90 * DAY - 60_000);
    clock.set(new Date(Math.max(...offers.map((o) => o.dueAt.getTime()))));
    await deliver();
    expect(world.fake.callsTo('chat.postMessage', (a) => String(a.text).includes('Reconnect?'))).toHaveLength(
      2,
    );
    for (const o of offers) await click(o.userId as string, 'reconnect_yes', o.id, 'D0RECONNECT');
    await waitUntil(async () => (await prisma().group.count({ where: { kind: 'reconnect' } })) === 1);
    await deliver();
    const again = await prisma().group.findFirstOrThrow({ where: { kind: 'reconnect' } });
    expect(again.deliveredAt).not.toBeNull();
    expect(again.conversationId).toBe(conversation);
  });

  it('"never" from one side means no new group', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_met', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'reconnect' } })) === 2);
    const offers = await prisma().prompt.findMany({ where: { kind: 'reconnect' } });
    await click(offers[0]?.userId as string, 'reconnect_never', offers[0]?.id as string, 'D0X');
    await click(offers[1]?.userId as string, 'reconnect_yes', offers[1]?.id as string, 'D0Y');
    await new Promise((r) => setTimeout(r, 300));
    expect(await prisma().group.count({ where: { kind: 'reconnect' } })).toBe(0);
  });

  it('both say yes at the same moment (and one click arrives twice): exactly one new group and one intro', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_met', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'reconnect' } })) === 2);
    const offers = await prisma().prompt.findMany({ where: { kind: 'reconnect' } });
    const [a, b] = offers as [(typeof offers)[0], (typeof offers)[0]];
    const postsTo = () => world.fake.callsTo('chat.postMessage', (x) => x.channel === conversation).length;
    const before = postsTo();
    await Promise.all([
      click(a.userId as string, 'reconnect_yes', a.id, 'D0A'),
      click(b.userId as string, 'reconnect_yes', b.id, 'D0B'),
      click(b.userId as string, 'reconnect_yes', b.id, 'D0B'),
    ]);
    await waitUntil(async () => (await prisma().group.count({ where: { kind: 'reconnect' } })) >= 1);
    await deliver();
    await new Promise((r) => setTimeout(r, 300)); // a second group, if any, would be stored by now
    expect(await prisma().group.count({ where: { kind: 'reconnect' } })).toBe(1);
    expect(await prisma().prompt.count({ where: { key: { startsWith: 'reconnect_group:' } } })).toBe(1);
    expect(postsTo()).toBe(before + 1); // one intro in the group DM, not two
    const again = await prisma().group.findFirstOrThrow({ where: { kind: 'reconnect' } });
    expect(again.deliveredAt).not.toBeNull();
  });
});

describe('quiet members and newcomers', () => {
  it('3 rounds without any response → auto-paused with a kind DM and a Resume button', async () => {
    const ids = seedPairingChannel(world, 4, ['Engineering', 'Sales']);
    await inviteWeave(world);
    for (let week = 0; week < 3; week += 1) {
      clock.set(new Date(new Date(FIRST_ROUND).getTime() + week * 7 * DAY));
      await world.app.scheduler.run('rounds');
      await deliver();
    }
    clock.set(new Date(new Date(FIRST_ROUND).getTime() + 3 * 7 * DAY));
    await world.app.scheduler.run('rounds');
    const paused = await prisma().member.findMany({ where: { status: 'auto_paused' } });
    expect(paused.map((m) => m.userId).sort()).toEqual([...ids].sort());
    clock.advance(DAY); // each DM waits for its receiver's working hours
    await deliver();
    const dm = world.fake.callsTo('chat.postMessage', (a) =>
      String(a.text).includes('paused your Weave intros'),
    );
    expect(dm).toHaveLength(4);
    expect(JSON.stringify(dm[0]?.args.blocks)).toContain('"action_id":"resume"');
    // The round that found them quiet did not pair them.
    const lastRound = await prisma().round.findFirstOrThrow({ orderBy: { number: 'desc' } });
    expect(await prisma().group.count({ where: { roundId: lastRound.id } })).toBe(0);
  });

  it('a member who joins the program channel gets a welcome DM and is paired within 2 working days', async () => {
    seedPairingChannel(world, 4, ['Engineering', 'Sales']);
    await inviteWeave(world);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    // Tuesday: a newcomer from Design joins; the next round is 6 days away.
    clock.set('2026-12-01T09:30:00Z');
    world.fake.addUser({
      id: 'U2NEW01',
      name: 'nova',
      realName: 'Nova New',
      tz: 'Europe/Berlin',
      department: 'Design',
    });
    world.fake.setChannelMembers(PAIRS_CHANNEL_ID, [
      ...world.fake.channelMembers(PAIRS_CHANNEL_ID),
      'U2NEW01',
    ]);
    const joined = await world.slack.event(slackEvents.memberJoinedChannel('U2NEW01', PAIRS_CHANNEL_ID));
    expect(joined.status).toBe(200);
    await waitUntil(async () => (await prisma().prompt.count({ where: { userId: 'U2NEW01' } })) === 2);
    await deliver();
    expect(
      world.fake.callsTo('chat.postMessage', (a) => String(a.text).startsWith('Welcome to Weave')),
    ).toHaveLength(1);
    await deliverDue('onboarding_match');
    await deliver();
    const intro = await prisma().groupMember.findFirstOrThrow({
      where: { userId: 'U2NEW01' },
      include: { group: true },
    });
    expect(intro.group.deliveredAt).not.toBeNull();
    expect(intro.group.deliveredAt?.getTime()).toBeLessThanOrEqual(
      new Date('2026-12-03T09:30:00Z').getTime(),
    );
  });
});

describe('timing', () => {
  it('someone who joins the workspace gets the welcome DM when the admin turned onboarding on (and not when off)', async () => {
    const join = async (id: string) => {
      world.fake.addUser({ id, name: id.toLowerCase(), realName: `New ${id}`, tz: 'Europe/Berlin' });
      const res = await world.slack.event(
        slackEvents.teamJoin(world.fake.getUser(id) as Record<string, unknown>),
      );
      expect(res.status).toBe(200);
      await waitUntil(async () => (await prisma().member.count({ where: { userId: id } })) === 1);
    };
    await join('U2OFF01');
    await prisma().workspace.upsert({
      where: { id: TEAM_ID },
      create: { id: TEAM_ID, settings: { onboardOnWorkspaceJoin: true } },
      update: { settings: { onboardOnWorkspaceJoin: true } },
    });
    await join('U2ON001');
    await waitUntil(async () => (await prisma().prompt.count({ where: { userId: 'U2ON001' } })) === 1);
    const welcome = await prisma().prompt.findFirstOrThrow({ where: { userId: 'U2ON001' } });
    expect(welcome.kind).toBe('welcome');
    clock.set(welcome.dueAt);
    await deliver();
    expect(world.fake.messagesIn(world.fake.conversationIdFor(['U2ON001'])).map((m) => m.text)).toEqual([
      expect.stringMatching(/^Welcome to Weave/),
    ]);
    expect(await prisma().prompt.count({ where: { userId: 'U2OFF01' } })).toBe(0);
  });

  it('members in Kolkata, Berlin and New York get prompts in their local working hours, never at weekends', async () => {
    world.fake.addUser(
      { id: 'U4KOL', name: 'kol', realName: 'K', tz: 'Asia/Kolkata', department: 'Sales' },
      { id: 'U4BER', name: 'ber', realName: 'B', tz: 'Europe/Berlin', department: 'Engineering' },
      { id: 'U4NYC', name: 'nyc', realName: 'N', tz: 'America/New_York', department: 'Design' },
      { id: 'U4BER2', name: 'ber2', realName: 'B2', tz: 'Europe/Berlin', department: 'Finance' },
    );
    world.fake.setChannelMembers(PAIRS_CHANNEL_ID, ['U4KOL', 'U4BER', 'U4NYC', 'U4BER2', BOT_USER_ID]);
    await inviteWeave(world);
    // A Friday evening in Berlin: per-member welcome prompts go to each one's next working time.
    clock.set('2026-12-04T18:30:00Z');
    for (const id of ['U4KOL', 'U4BER', 'U4NYC']) {
      await world.slack.event(slackEvents.memberJoinedChannel(id, PAIRS_CHANNEL_ID));
    }
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'welcome' } })) === 3);
    const tzOf: Record<string, string> = {
      U4KOL: 'Asia/Kolkata',
      U4BER: 'Europe/Berlin',
      U4NYC: 'America/New_York',
    };
    for (const p of await prisma().prompt.findMany({
      where: { kind: { in: ['welcome', 'onboarding_match'] } },
    })) {
      const local = zonedParts(p.dueAt, tzOf[p.userId as string] as string);
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(local.hour).toBeGreaterThanOrEqual(8);
      expect(local.hour).toBeLessThan(19);
    }
    // Group check-ins land in the working hours of everyone in the group when they overlap.
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    await deliver();
    const checkins = await prisma().prompt.findMany({ where: { kind: 'checkin' } });
    expect(checkins.length).toBeGreaterThan(0);
    for (const c of checkins) {
      const members = await prisma().groupMember.findMany({ where: { groupId: c.groupId as string } });
      const zones = members.map((m) => tzOf[m.userId] ?? 'Europe/Berlin');
      for (const tz of zones) expect(zonedParts(c.dueAt, tz).weekday).toBeLessThanOrEqual(5);
    }
  });

  it('a round across the daylight-saving change keeps its local hour and schedules each check-in once', async () => {
    seedPairingChannel(world, 2, ['Engineering', 'Sales']);
    clock.set('2026-10-14T12:00:00Z');
    await inviteWeave(world);
    for (const at of ['2026-10-19T08:00:00Z', '2026-10-26T09:00:00Z', '2026-10-26T09:30:00Z']) {
      clock.set(at); // 10:00 Berlin in summer time, then 10:00 Berlin in winter time (twice: same round)
      await world.app.scheduler.run('rounds');
      await deliver();
    }
    expect((await prisma().round.findMany({ orderBy: { number: 'asc' } })).map((r) => r.periodKey)).toEqual([
      '2026-W43',
      '2026-W44',
    ]);
    const checkins = await prisma().prompt.findMany({ where: { kind: 'checkin' } });
    expect(checkins).toHaveLength(2);
  });
});

describe('exactly once and the politeness budget', () => {
  it('prompts due during a restart, and with two workers on one database, are each sent once', async () => {
    const { group, conversation } = await pairOnce();
    const checkin = await prisma().prompt.findFirstOrThrow({ where: { kind: 'checkin' } });
    clock.set(checkin.dueAt);
    await world.restart();
    const log = createLogger('silent');
    const second = await createWeave(world.config, log, {
      db: world.db,
      clock,
      manualScheduler: true,
      rateLimits: FAST_RATE_LIMITS,
      workerId: 'second',
    });
    await Promise.all([
      deliver(),
      second.scheduler.run('deliver'),
      deliver(),
      second.scheduler.run('deliver'),
    ]);
    await second.stop();
    expect(messagesIn(conversation, 'Have you met')).toHaveLength(1);
    expect((await prisma().prompt.findUniqueOrThrow({ where: { id: checkin.id } })).status).toBe('sent');
    expect(group.id).toBeTruthy();
  });

  it('no member gets more than 3 Weave messages in a round unless they asked', async () => {
    const { ids, group, conversation } = await pairOnce();
    await deliverDue('checkin');
    await click(ids[0] as string, 'checkin_not_yet', group.id, conversation);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'checkin_reminder' } })) === 1);
    clock.set('2026-12-06T09:00:00Z'); // Sunday: the heads-up for Monday's round
    await world.app.scheduler.run('heads-up');
    await deliver();
    await deliverDue('checkin_reminder');
    // Messages each member received during the first round's week (Mon 10:00 → Mon 10:00 Berlin).
    const from = new Date(FIRST_ROUND);
    const to = new Date(from.getTime() + 7 * DAY);
    const sent = await prisma().prompt.findMany({ where: { status: 'sent', sentAt: { gte: from, lt: to } } });
    for (const userId of ids) {
      const mine = sent.filter((p) => p.userId === userId || (p.userId === null && p.groupId === group.id));
      const received = mine.filter((p) => !(p.result as { skipped?: string } | null)?.skipped);
      expect(received.length, JSON.stringify(received.map((p) => p.kind))).toBeLessThanOrEqual(3);
    }
    expect(await prisma().prompt.count({ where: { kind: 'heads_up', status: 'sent' } })).toBe(2);
  });
});
