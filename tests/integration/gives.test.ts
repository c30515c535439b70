import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import {
  BOT_USER_ID,
  DELETED_USER_ID,
  GENERAL_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { ben, anna, priya, liam, sofia, hannah } = USER_IDS;

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

const gives = () => world.db.prisma.give.findMany({ orderBy: { createdAt: 'asc' } });

/** Posts to the response URL of a command, in order. */
async function responses(res: { responseUrl?: string }, count: number) {
  await world.fake.waitForCount('response_url', count, (a) => String(a.url) === res.responseUrl);
  return world.fake.responseUrlCalls(res.responseUrl).map((c) => c.args as Record<string, unknown>);
}

async function give(userId: string, text: string) {
  return world.slack.command('/give', text, { userId, channelId: GENERAL_CHANNEL_ID });
}

describe('/give', () => {
  it('records one give per receiver, shouts out in the channel and DMs each receiver', async () => {
    const res = await give(anna, `<@${ben}|ben> <@${priya}> #expertise walked me through the pricing model`);
    expect(res.status).toBe(200);
    const [shoutout] = await responses(res, 1);
    expect(shoutout?.response_type).toBe('in_channel');
    expect(String(shoutout?.text)).toContain(`<@${anna}> thanks <@${ben}>, <@${priya}> for shared expertise`);
    const rows = await gives();
    expect(rows.map((g) => [g.giverId, g.receiverId, g.kind, g.source])).toEqual([
      [anna, ben, 'expertise', 'command'],
      [anna, priya, 'expertise', 'command'],
    ]);
    await world.app.scheduler.run('deliver');
    const dms = world.fake.messagesIn().filter((m) => m.text.includes('thanked you'));
    expect(dms).toHaveLength(2);
  });

  it("names the channel in the receiver's DM only when Slack says it is public (a private channel keeps its C id)", async () => {
    // A channel made private keeps its C… id: only conversations.info tells.
    world.fake.addChannel({
      id: 'C0MADEPRIV',
      name: 'made-private',
      isPrivate: true,
      members: [anna, ben, priya, BOT_USER_ID],
    });
    const giveIn = async (channelId: string, to: string, reason: string) => {
      const res = await world.slack.command('/give', `<@${to}> ${reason}`, { userId: anna, channelId });
      expect(res.status).toBe(200);
      await responses(res, 1);
    };
    await giveIn('C0MADEPRIV', ben, 'covered my support shift on Friday');
    await giveIn('C0MADEPRIV', priya, 'reviewed the migration plan twice');
    await giveIn(GENERAL_CHANNEL_ID, priya, 'explained the new expense policy');
    await world.app.scheduler.run('deliver');

    const dmTo = (userId: string) =>
      world.fake.messagesIn(world.fake.conversationIdFor([userId])).map((m) => m.text);
    expect(dmTo(ben)).toHaveLength(1);
    expect(dmTo(ben)[0]).not.toContain('C0MADEPRIV');
    expect(dmTo(priya).find((t) => t.includes('migration'))).not.toContain('C0MADEPRIV');
    expect(dmTo(priya).find((t) => t.includes('expense'))).toContain(`in <#${GENERAL_CHANNEL_ID}>`);
    // Asked once per channel, then remembered.
    expect(world.fake.callsTo('conversations.info', (a) => a.channel === 'C0MADEPRIV')).toHaveLength(1);
  });

  it('defaults to #help and neutralises mass mentions in the reason', async () => {
    const res = await give(
      anna,
      `<@${ben}> thanks <!channel> <!here> <!everyone> <!subteam^S123|@eng> for all the help & more`,
    );
    const [shoutout] = await responses(res, 1);
    const text = String(shoutout?.text);
    expect(text).not.toMatch(/<!(channel|here|everyone|subteam)/);
    expect(text).toContain('&amp; more');
    expect((await gives())[0]?.kind).toBe('help');
  });

  it.each([
    ['a reason that is too short', `<@${ben}> thanks`, /at least 10 characters/],
    ['yourself', `<@${anna}> for being great at everything`, /yourself/],
    ['a bot', `<@${BOT_USER_ID}> for being great at everything`, /not bots/],
    ['an unknown kind', `<@${ben}> #bogus for being great at everything`, /#expertise/],
    ['nobody', 'for being great at everything', /Try/],
  ])(
    'refuses a give to %s privately, with what to type instead, and records nothing',
    async (_label, text, message) => {
      const res = await give(anna, text);
      expect(res.status).toBe(200);
      const [reply] = await responses(res, 1);
      expect(reply?.response_type).toBe('ephemeral');
      expect(String(reply?.text)).toMatch(message);
      expect(await gives()).toHaveLength(0);
    },
  );

  it('refuses a give to a deactivated person Weave knows privately, and records nothing', async () => {
    await world.db.prisma.workspace.upsert({ where: { id: TEAM_ID }, create: { id: TEAM_ID }, update: {} });
    await world.db.prisma.member.create({
      data: { workspaceId: TEAM_ID, userId: DELETED_USER_ID, isDeleted: true, profileSyncedAt: clock.now() },
    });
    const res = await give(anna, `<@${DELETED_USER_ID}> for being great at everything`);
    const [reply] = await responses(res, 1);
    expect(reply?.response_type).toBe('ephemeral');
    expect(String(reply?.text)).toMatch(/no longer in this workspace/);
    expect(await gives()).toHaveLength(0);
  });

  it('a give to someone Weave never saw is recorded at once; if Slack then says they are deactivated or unknown, it is removed and no member row is kept for the unknown one', async () => {
    const res = await give(anna, `<@${DELETED_USER_ID}> <@U0NOSUCHONE> for being great at everything`);
    await responses(res, 1);
    expect((await gives()).map((g) => g.receiverId)).toEqual([DELETED_USER_ID, 'U0NOSUCHONE']);
    await world.app.scheduler.run('deliver');
    expect(await gives()).toHaveLength(0);
    const rows = await world.db.prisma.member.findMany({
      where: { userId: { in: [DELETED_USER_ID, 'U0NOSUCHONE'] } },
    });
    expect(rows.map((m) => [m.userId, m.isDeleted])).toEqual([[DELETED_USER_ID, true]]);
  });

  it('a give to someone unseen stays removed when another input stored their deactivated row before the lookup ran', async () => {
    const res = await give(anna, `<@${DELETED_USER_ID}> for being great at everything`);
    await responses(res, 1);
    expect((await gives()).map((g) => g.receiverId)).toEqual([DELETED_USER_ID]);
    // Before the give's lookup runs, another input reads the person from Slack (as /intro would).
    await world.db.prisma.member.create({
      data: { workspaceId: TEAM_ID, userId: DELETED_USER_ID, isDeleted: true, profileSyncedAt: clock.now() },
    });
    await world.app.scheduler.run('deliver');
    expect(await gives()).toHaveLength(0);
  });

  it("caps each giver at 5 gives per local day, reset at the giver's own midnight (Auckland and Los Angeles)", async () => {
    // 10:30 UTC on Wed 25 Nov = 23:30 Wed in Auckland, 02:30 Wed in Los Angeles.
    clock.set('2026-11-25T10:30:00Z');
    for (const giver of [liam, sofia]) {
      for (let i = 0; i < 6; i += 1) {
        const res = await give(giver, `<@${hannah}> thanks for the review number ${i} today`);
        await responses(res, 1);
      }
    }
    expect((await gives()).filter((g) => g.giverId === liam)).toHaveLength(5);
    expect((await gives()).filter((g) => g.giverId === sofia)).toHaveLength(5);
    // 45 minutes later it is a new day in Auckland, still the same day in Los Angeles.
    clock.set('2026-11-25T11:15:00Z');
    await responses(await give(liam, `<@${hannah}> thanks for the review after midnight`), 1);
    const late = await give(sofia, `<@${hannah}> thanks for the review at 3am`);
    const [refused] = await responses(late, 1);
    expect(String(refused?.text)).toContain('daily limit');
    expect((await gives()).filter((g) => g.giverId === liam)).toHaveLength(6);
    expect((await gives()).filter((g) => g.giverId === sofia)).toHaveLength(5);
  });

  it('nudges the giver to thank someone new after more than 3 gives to the same person in 7 days', async () => {
    for (let i = 0; i < 4; i += 1) {
      const res = await give(anna, `<@${ben}> thank you again for helping, round ${i}`);
      const replies = await responses(res, i === 3 ? 2 : 1);
      if (i === 3) expect(String(replies[1]?.text)).toMatch(/someone new/i);
      clock.advance(60 * 60_000);
    }
  });
});

describe('gives in channel messages', () => {
  const post = (text: string, ts = '1800000000.000100', userId = anna) =>
    world.slack.event(slackEvents.message({ userId, channelId: GENERAL_CHANNEL_ID, text, ts }));

  it('records a give per mentioned person (not the author) and confirms with a reaction', async () => {
    await post(`:gift: <@${ben}> <@${priya}> <@${anna}> thanks for untangling the release notes`);
    await waitUntil(async () => (await gives()).length === 2);
    expect((await gives()).map((g) => g.receiverId).sort()).toEqual([ben, priya].sort());
    await world.fake.waitFor('reactions.add');
    expect(world.fake.lastCall('reactions.add')?.args).toMatchObject({
      name: 'gift',
      timestamp: '1800000000.000100',
    });
  });

  it('an event delivered 3 times (X-Slack-Retry-Num 1–3) records one give', async () => {
    const event = slackEvents.message({
      userId: anna,
      channelId: GENERAL_CHANNEL_ID,
      text: `:gift: <@${ben}> thanks for the quick fix`,
      ts: '1800000000.000200',
    });
    const eventId = 'Ev0RETRY000001';
    await world.slack.event(event, { eventId });
    for (const retryNum of [1, 2, 3]) await world.slack.event(event, { eventId, retryNum });
    await waitUntil(async () => (await gives()).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await gives()).toHaveLength(1);
  });

  it('the same message processed twice under different event ids still records once', async () => {
    const event = slackEvents.message({
      userId: anna,
      channelId: GENERAL_CHANNEL_ID,
      text: `:gift: <@${ben}> thanks for the quick fix`,
      ts: '1800000000.000300',
    });
    await Promise.all([world.slack.event(event), world.slack.event(event)]);
    await waitUntil(async () => (await gives()).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await gives()).toHaveLength(1);
  });

  it('explains a too-short reason privately and records nothing', async () => {
    await post(`:gift: <@${ben}> ty`);
    const eph = await world.fake.waitFor('chat.postEphemeral');
    expect(eph.args.user).toBe(anna);
    expect(String(eph.args.text)).toContain('at least 10 characters');
    expect(await gives()).toHaveLength(0);
  });

  it('an edit that removes a mention removes that give; deleting the message removes the rest', async () => {
    const ts = '1800000000.000400';
    await post(`:gift: <@${ben}> <@${priya}> thanks for pairing on the migration`, ts);
    await waitUntil(async () => (await gives()).length === 2);
    await world.slack.event({
      type: 'message',
      subtype: 'message_changed',
      channel: GENERAL_CHANNEL_ID,
      ts: '1800000001.000000',
      message: {
        type: 'message',
        user: anna,
        text: `:gift: <@${ben}> thanks for pairing on the migration`,
        ts,
      },
      previous_message: {
        type: 'message',
        user: anna,
        text: `:gift: <@${ben}> <@${priya}> thanks for pairing on the migration`,
        ts,
      },
    });
    await waitUntil(async () => (await gives()).length === 1);
    expect((await gives())[0]?.receiverId).toBe(ben);
    await world.slack.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: GENERAL_CHANNEL_ID,
      deleted_ts: ts,
      ts: '1800000002.000000',
    });
    await waitUntil(async () => (await gives()).length === 0);
  });

  it('an edit that removes the emoji removes every give of the message', async () => {
    const ts = '1800000000.000500';
    await post(`:gift: <@${ben}> thanks for pairing on the migration`, ts);
    await waitUntil(async () => (await gives()).length === 1);
    await world.slack.event({
      type: 'message',
      subtype: 'message_changed',
      channel: GENERAL_CHANNEL_ID,
      ts: '1800000001.000000',
      message: { type: 'message', user: anna, text: `<@${ben}> thanks for pairing on the migration`, ts },
    });
    await waitUntil(async () => (await gives()).length === 0);
  });
});

describe('gives by reaction', () => {
  it('reacting with the give emoji gives to the author with a link; removing the reaction removes it', async () => {
    const ts = '1800000000.000600';
    await world.slack.event(
      slackEvents.reactionAdded({
        userId: anna,
        reaction: 'gift',
        channelId: GENERAL_CHANNEL_ID,
        ts,
        itemUser: ben,
      }),
    );
    await waitUntil(async () => (await gives()).length === 1);
    const [g] = await gives();
    expect(g).toMatchObject({ giverId: anna, receiverId: ben, source: 'reaction' });
    // Recorded without waiting on Slack; the link to the message is filled in afterwards.
    // (The link's prompt may still be on its way from the inbox worker: deliver until it is in.)
    await waitUntil(async () => {
      await world.app.scheduler.run('deliver');
      return /^https?:\/\//.test((await gives())[0]?.reason ?? '');
    });
    await world.slack.event({
      type: 'reaction_removed',
      user: anna,
      reaction: 'gift',
      item_user: ben,
      item: { type: 'message', channel: GENERAL_CHANNEL_ID, ts },
      event_ts: '1800000003.000000',
    });
    await waitUntil(async () => (await gives()).length === 0);
  });

  it('ignores other emoji and refuses reacting to your own message', async () => {
    await world.slack.event(
      slackEvents.reactionAdded({
        userId: anna,
        reaction: 'tada',
        channelId: GENERAL_CHANNEL_ID,
        ts: '1800000000.000700',
        itemUser: ben,
      }),
    );
    await world.slack.event(
      slackEvents.reactionAdded({
        userId: anna,
        reaction: 'gift',
        channelId: GENERAL_CHANNEL_ID,
        ts: '1800000000.000800',
        itemUser: anna,
      }),
    );
    const eph = await world.fake.waitFor('chat.postEphemeral');
    expect(String(eph.args.text)).toContain('yourself');
    expect(await gives()).toHaveLength(0);
  });
});
