import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, CALLBACKS, INTRO_BLOCKS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { BOT_USER_ID, DELETED_USER_ID, USER_IDS } from '../support/fake-workspace.ts';
import { click, intro, inviteFor, rowCounts, seedMembers, submitModal } from '../support/intro-world.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben, sofia, arjun, noah } = USER_IDS;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-25T12:00:00Z');
  await seedMembers(world, [anna, ben, sofia, arjun, noah, DELETED_USER_ID, BOT_USER_ID]);
});

const deliver = () => world.app.scheduler.run('deliver');
const prisma = () => world.db.prisma;

/** Anna introduces Ben and Sofia; both invites delivered. */
async function introduceBenAndSofia(reason = 'you both work on onboarding') {
  const { status, reply } = await intro(world, anna, `<@${ben}|ben> <@${sofia}|sofia> ${reason}`);
  expect(status).toBe(200);
  expect(reply.response_type).toBe('ephemeral');
  await deliver();
  return { reply, ben: inviteFor(world, ben), sofia: inviteFor(world, sofia) };
}

describe('/intro @a @b: double opt-in', () => {
  it('invites both people by DM with Accept / Not now and stores a pending intro expiring in 7 days', async () => {
    const { reply, ben: invite } = await introduceBenAndSofia();
    expect(reply.text).toContain(`Asked <@${ben}> and <@${sofia}>`);
    const row = await prisma().intro.findFirstOrThrow();
    expect(row).toMatchObject({
      introducerId: anna,
      userAId: ben,
      userBId: sofia,
      reason: 'you both work on onboarding',
      source: 'command',
      status: 'pending',
      acceptedA: null,
      acceptedB: null,
    });
    expect(row.expiresAt.toISOString()).toBe('2026-12-02T12:00:00.000Z');
    expect(invite.introId).toBe(row.id);
    expect(invite.message.text).toContain(`<@${anna}> would like to introduce you to <@${sofia}>`);
    expect(JSON.stringify(invite.message.blocks)).toContain('you both work on onboarding');
    expect(JSON.stringify(invite.message.blocks)).toContain(ACTIONS.introDecline);
  });

  it("opens a group DM with the introducer when both accept, and records the introducer's intro gives", async () => {
    const invites = await introduceBenAndSofia();
    const first = await click(world, {
      userId: ben,
      actionId: ACTIONS.introAccept,
      value: invites.ben.introId,
      messageTs: invites.ben.message.ts,
    });
    expect(first.status).toBe(200);
    expect(first.posted.replace_original).toBe(true);
    expect(first.posted.text).toContain(`as soon as <@${sofia}> accepts too`);
    expect(await prisma().group.count()).toBe(0);

    const second = await click(world, {
      userId: sofia,
      actionId: ACTIONS.introAccept,
      value: invites.sofia.introId,
      messageTs: invites.sofia.message.ts,
    });
    expect(second.posted.text).toContain('You both accepted');
    await deliver();

    const row = await prisma().intro.findFirstOrThrow();
    expect(row.status).toBe('accepted');
    expect(row.acceptedA).not.toBeNull();
    expect(row.acceptedB).not.toBeNull();
    const group = await prisma().group.findFirstOrThrow({ include: { members: true } });
    expect(group.id).toBe(row.groupId);
    expect(group.kind).toBe('intro');
    expect(group.members.map((m) => m.userId).sort()).toEqual([ben, sofia].sort());
    expect(group.deliveredAt).not.toBeNull();

    const groupDm = world.fake.conversationIdFor([anna, ben, sofia]);
    expect(group.conversationId).toBe(groupDm);
    const [message] = world.fake.messagesIn(groupDm);
    expect(message?.text).toContain('an introduction from Weave');
    expect(JSON.stringify(message?.blocks)).toContain(`<@${anna}> thought you should meet`);
    expect(JSON.stringify(message?.blocks)).toContain('you both work on onboarding');

    const gives = await prisma().give.findMany({ orderBy: { receiverId: 'asc' } });
    expect(gives.map((g) => [g.giverId, g.receiverId, g.kind, g.source, g.sourceKey])).toEqual(
      [ben, sofia].sort().map((id) => [anna, id, 'intro', 'intro', `intro:${row.id}:${id}`]),
    );
    // The invites lose their buttons once the intro is made.
    const updates = world.fake.callsTo('chat.update');
    expect(updates.map((u) => u.args.ts).sort()).toEqual(
      [invites.ben.message.ts, invites.sofia.message.ts].sort(),
    );
    expect(world.fake.getMessage(invites.ben.message.channel, invites.ben.message.ts)?.text).toContain(
      'You both accepted',
    );
    // No "thanked you" DM for a give that nobody typed.
    expect(world.fake.messagesIn().filter((m) => m.text.includes('thanked you'))).toHaveLength(0);
  });

  it('treats a repeated Accept click as one answer: one group, one group DM, one give per person', async () => {
    const invites = await introduceBenAndSofia();
    const benClick = { userId: ben, actionId: ACTIONS.introAccept, value: invites.ben.introId };
    await click(world, benClick);
    const again = await click(world, benClick);
    expect(again.posted.text).toContain(`as soon as <@${sofia}> accepts too`);
    const acceptedAt = (await prisma().intro.findFirstOrThrow()).acceptedA;

    const sofiaClick = { userId: sofia, actionId: ACTIONS.introAccept, value: invites.sofia.introId };
    await click(world, sofiaClick);
    await click(world, sofiaClick);
    await click(world, benClick);
    await deliver();
    await click(world, sofiaClick);
    await deliver();

    const row = await prisma().intro.findFirstOrThrow();
    expect(row.acceptedA).toEqual(acceptedAt);
    expect(await prisma().group.count()).toBe(1);
    expect(await prisma().prompt.count({ where: { kind: 'intro_group' } })).toBe(1);
    expect(await prisma().give.count()).toBe(2);
    expect(world.fake.messagesIn(world.fake.conversationIdFor([anna, ben, sofia]))).toHaveLength(1);
  });

  it('counts accepts clicked at the same moment exactly once', async () => {
    const invites = await introduceBenAndSofia();
    await Promise.all([
      click(world, { userId: ben, actionId: ACTIONS.introAccept, value: invites.ben.introId }),
      click(world, { userId: sofia, actionId: ACTIONS.introAccept, value: invites.sofia.introId }),
      click(world, { userId: sofia, actionId: ACTIONS.introAccept, value: invites.sofia.introId }),
    ]);
    await deliver();
    expect((await prisma().intro.findFirstOrThrow()).status).toBe('accepted');
    expect(await prisma().group.count()).toBe(1);
    expect(await prisma().give.count()).toBe(2);
  });

  it('ends politely when one says "Not now": the introducer is told without naming who declined', async () => {
    const invites = await introduceBenAndSofia();
    await click(world, { userId: ben, actionId: ACTIONS.introAccept, value: invites.ben.introId });
    const declined = await click(world, {
      userId: sofia,
      actionId: ACTIONS.introDecline,
      value: invites.sofia.introId,
      messageTs: invites.sofia.message.ts,
    });
    expect(declined.posted.text).toContain('Nobody is told who said no');
    await deliver();

    const row = await prisma().intro.findFirstOrThrow();
    expect(row.status).toBe('declined');
    expect(row.closedAt).not.toBeNull();
    expect(await prisma().group.count()).toBe(0);
    expect(await prisma().give.count()).toBe(0);

    const notice = world.fake.messagesIn(world.fake.conversationIdFor([anna])).at(-1);
    expect(notice?.text).toContain(`Your intro of <@${ben}> and <@${sofia}> won't go ahead this time`);
    expect(notice?.text).not.toMatch(/declined|said no/);
    // Ben's invite (already accepted) now says it is not going ahead; Sofia's keeps her own answer.
    expect(world.fake.getMessage(invites.ben.message.channel, invites.ben.message.ts)?.text).toContain(
      "isn't going ahead",
    );
    const sofiaUpdates = world.fake.callsTo('chat.update', (a) => a.ts === invites.sofia.message.ts);
    expect(sofiaUpdates).toHaveLength(0);

    // Clicking Accept afterwards changes nothing.
    const late = await click(world, {
      userId: ben,
      actionId: ACTIONS.introAccept,
      value: invites.ben.introId,
    });
    expect(late.posted.text).toContain("isn't going ahead");
    expect(await prisma().group.count()).toBe(0);
  });

  it('expires invites unanswered for 7 days and tells the introducer', async () => {
    const invites = await introduceBenAndSofia();
    await click(world, { userId: ben, actionId: ACTIONS.introAccept, value: invites.ben.introId });

    clock.advance(6 * 86_400_000);
    expect(await world.app.scheduler.run('intro-expiry')).toEqual({ ok: true, summary: { expired: 0 } });
    clock.advance(86_400_000);
    expect(await world.app.scheduler.run('intro-expiry')).toEqual({ ok: true, summary: { expired: 1 } });
    expect(await world.app.scheduler.run('intro-expiry')).toEqual({ ok: true, summary: { expired: 0 } });
    await deliver();

    expect((await prisma().intro.findFirstOrThrow()).status).toBe('expired');
    const notice = world.fake.messagesIn(world.fake.conversationIdFor([anna])).at(-1);
    expect(notice?.text).toContain('expired after 7 days');
    for (const invite of [invites.ben, invites.sofia]) {
      expect(world.fake.getMessage(invite.message.channel, invite.message.ts)?.text).toContain('expired');
    }
    const late = await click(world, {
      userId: sofia,
      actionId: ACTIONS.introAccept,
      value: invites.sofia.introId,
    });
    expect(late.posted.text).toContain('expired');
    expect(await prisma().group.count()).toBe(0);
  });

  it("refuses a click on someone else's invite and changes nothing", async () => {
    const invites = await introduceBenAndSofia();
    const before = await rowCounts(world);
    const r = await click(world, { userId: noah, actionId: ACTIONS.introAccept, value: invites.ben.introId });
    expect(r.posted.text).toContain('for someone else');
    expect(r.posted.replace_original).toBe(false);
    const bogus = await click(world, { userId: ben, actionId: ACTIONS.introAccept, value: 'not-an-intro' });
    expect(bogus.posted.text).toContain('no longer works');
    expect(await rowCounts(world)).toEqual(before);
    expect((await prisma().intro.findFirstOrThrow()).acceptedA).toBeNull();
  });

  it.each([
    ['yourself', () => `<@${anna}> <@${ben}>`, /can't introduce yourself/],
    ['a bot', () => `<@${ben}> <@${BOT_USER_ID}>`, /is a bot/],
    ['a deactivated person', () => `<@${ben}> <@${DELETED_USER_ID}>`, /isn't in this workspace/],
    ['the same person twice', () => `<@${ben}> <@${ben}|ben>`, /two different people/],
    ['an unknown @name', () => `@nobody <@${ben}>`, /couldn't find `@nobody`/],
    ['three people', () => `<@${ben}> <@${sofia}> <@${noah}>`, /two people at a time/],
    ['a channel', () => '<!here> <@ben>', /not channels or groups/],
  ])(
    'refuses to introduce %s, saying what to type instead, and stores nothing',
    async (_l, text, message) => {
      const before = await rowCounts(world);
      const { status, reply } = await intro(world, anna, text());
      expect(status).toBe(200);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(message);
      expect(await rowCounts(world)).toEqual(before);
    },
  );

  it('resolves plain @names through the names Weave knows', async () => {
    const ok = await intro(world, anna, '@ben and @sofia, you should talk pricing');
    expect(ok.reply.text).toContain(`Asked <@${ben}> and <@${sofia}>`);
    expect(await prisma().intro.findFirstOrThrow()).toMatchObject({
      userAId: ben,
      userBId: sofia,
      reason: 'you should talk pricing',
    });
  });

  it('refuses a second intro of the same two people while the first waits for answers', async () => {
    await introduceBenAndSofia();
    const { reply } = await intro(world, noah, `<@${sofia}> <@${ben}> pricing`);
    expect(reply.text).toContain('already have an intro waiting');
    expect(await prisma().intro.count()).toBe(1);
  });
});

describe('/intro @someone: the introduce modal', () => {
  it('opens the modal prefilled with the person and the reason, and sends invites on submit', async () => {
    const { reply, triggerId } = await intro(world, anna, `<@${ben}> knows our billing system`);
    expect(reply.text).toContain('Opened the intro form');
    const open = world.fake.lastCall('views.open');
    expect(open?.args.trigger_id).toBe(triggerId);
    expect(open?.args.view.callback_id).toBe(CALLBACKS.introduce);
    const blocks = JSON.stringify(open?.args.view.blocks);
    expect(blocks).toContain(`"initial_users":["${ben}"]`);
    expect(blocks).toContain('knows our billing system');

    const tooFew = await world.slack.action(
      world.slack.viewSubmission({
        userId: anna,
        callbackId: CALLBACKS.introduce,
        values: {
          [INTRO_BLOCKS.introducePeople]: {
            [INTRO_BLOCKS.introducePeople]: { type: 'multi_users_select', selected_users: [ben] },
          },
        },
      }),
    );
    expect(tooFew.body).toEqual({
      response_action: 'errors',
      errors: { [INTRO_BLOCKS.introducePeople]: 'Pick exactly two people to introduce to each other.' },
    });
    expect(await prisma().intro.count()).toBe(0);

    // Who the people are is checked after the ack: the form comes back with what stopped the invites.
    const bot = await submitModal(world, {
      userId: anna,
      callbackId: CALLBACKS.introduce,
      values: {
        [INTRO_BLOCKS.introducePeople]: {
          [INTRO_BLOCKS.introducePeople]: {
            type: 'multi_users_select',
            selected_users: [ben, BOT_USER_ID],
          },
        },
      },
    });
    expect(bot.ack.response_action).toBe('update');
    expect(bot.view?.callback_id).toBe(CALLBACKS.introduce);
    expect(JSON.stringify(bot.view?.blocks)).toContain(
      `<@${BOT_USER_ID}> is a bot; Weave introduces people.`,
    );
    expect(await prisma().intro.count()).toBe(0);

    const ok = await submitModal(world, {
      userId: anna,
      callbackId: CALLBACKS.introduce,
      values: {
        [INTRO_BLOCKS.introducePeople]: {
          [INTRO_BLOCKS.introducePeople]: { type: 'multi_users_select', selected_users: [ben, arjun] },
        },
        [INTRO_BLOCKS.introduceReason]: { [INTRO_BLOCKS.introduceReason]: 'billing & design' },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.ack.response_action).toBe('update');
    expect(JSON.stringify(ok.view)).toContain(`Asked <@${ben}> and <@${arjun}>`);
    expect(await prisma().intro.findFirstOrThrow()).toMatchObject({
      introducerId: anna,
      userAId: ben,
      userBId: arjun,
      reason: 'billing & design',
    });
    await deliver();
    expect(inviteFor(world, arjun).message.text).toContain(
      `<@${anna}> would like to introduce you to <@${ben}>`,
    );
  });
});
