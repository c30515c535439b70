import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextRoundAt, zonedParts } from '../../src/domain/schedule/index.ts';
import { ACTIONS, INTRO_BLOCKS as B, CALLBACKS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  DEPARTMENT_FIELD_ID,
  GENERAL_CHANNEL_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import {
  click,
  clickHome,
  intro,
  inviteFor,
  joinProgram,
  openedViewId,
  rowCounts,
  said,
  seedMembers,
  submitModal,
} from '../support/intro-world.ts';
import { waitUntil } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// Wednesday 25 Nov 2026, 12:00 UTC. The #coffee program (Berlin time) has its first round Monday 30 Nov.
const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben, priya, liam, sofia, marcus, hannah, arjun, maia, noah, emma, kai } = USER_IDS;
const EVERYONE = [anna, ben, priya, liam, sofia, marcus, hannah, arjun, maia, noah, emma, kai];

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-25T12:00:00Z');
  await seedMembers(world, EVERYONE);
});

const prisma = () => world.db.prisma;
const deliver = () => world.app.scheduler.run('deliver');
const member = (userId: string) =>
  prisma().member.findUniqueOrThrow({ where: { workspaceId_userId: { workspaceId: TEAM_ID, userId } } });

async function expertise(tags: Record<string, string[]>) {
  for (const [userId, list] of Object.entries(tags)) {
    await prisma().member.update({
      where: { workspaceId_userId: { workspaceId: TEAM_ID, userId } },
      data: { expertise: list },
    });
  }
}

describe('/intro help', () => {
  it("lists every subcommand with an example and the caller's status", async () => {
    await joinProgram(world, [ben]);
    const { status, reply } = await intro(world, ben, 'help', PAIRS_CHANNEL_ID);
    expect(status).toBe(200);
    expect(reply.response_type).toBe('ephemeral');
    const text = said(reply);
    for (const sub of ['/intro @maria @li', '/intro find onboarding', '/intro me', '/intro profile']) {
      expect(text).toContain(sub);
    }
    expect(text).toContain(`<#${PAIRS_CHANNEL_ID}> next round`);
    // Monday 30 Nov 2026, 10:00 Berlin.
    expect(text).toContain(String(Date.parse('2026-11-30T09:00:00Z') / 1000));

    await intro(world, ben, 'pause 2w');
    expect(said((await intro(world, ben, '')).reply)).toContain('Paused until');
  });

  it('says when the caller is not in a pairing channel yet', async () => {
    const { reply } = await intro(world, emma, 'help');
    expect(said(reply)).toContain('not in a pairing channel yet');
  });

  it.each([
    ['an unknown subcommand', 'dance', /I don't know `\/intro dance`/],
    ['a typo', 'pasue 2w', /Did you mean `\/intro pause`/],
    ['a pause in the past', 'pause until 2020-01-01', /already passed/],
    ['an unreadable pause', 'pause for a while', /couldn't read how long/],
    ['find without a topic', 'find', /What should they know about/],
    ['round without now', 'round', /\/intro round now/],
  ])('answers %s with what to type instead and changes nothing', async (_l, text, message) => {
    const before = await rowCounts(world);
    const { status, reply } = await intro(world, ben, text);
    expect(status).toBe(200);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(message);
    expect(await rowCounts(world)).toEqual(before);
  });
});

describe('/intro find', () => {
  it('finds up to 3 people in other departments with matching expertise, least connected first', async () => {
    await expertise({
      [ben]: ['Kubernetes'], // Engineering, like the caller Priya: never found
      [sofia]: ['kubernetes operators'],
      [marcus]: ['Kubernetes', 'pricing'],
      [arjun]: ['KUBERNETES'],
      [noah]: ['k8s'],
      [hannah]: ['sales'],
    });
    // Priya already met Marcus in a round: he is listed last (and falls off at 3).
    await prisma().group.create({
      data: {
        workspaceId: TEAM_ID,
        kind: 'round',
        members: {
          create: [
            { workspaceId: TEAM_ID, userId: priya },
            { workspaceId: TEAM_ID, userId: marcus },
          ],
        },
      },
    });
    const { reply } = await intro(world, priya, 'find Kubernetes');
    const text = said(reply);
    const order = reply.blocks
      ?.filter((b) => String(b.block_id ?? '').startsWith('find_result_'))
      .map((b) => JSON.parse(String((b.accessory as { value: string }).value)).u);
    expect(order).toHaveLength(3);
    expect(order).not.toContain(ben);
    expect(order).not.toContain(hannah);
    expect(order).not.toContain(marcus);
    expect(new Set(order)).toEqual(new Set([sofia, arjun, noah]));
    expect(text).toContain('Request intro');
  });

  it('matches regardless of case, accents and plurals', async () => {
    await expertise({ [sofia]: ['Négociation'], [arjun]: ['User research interviews'] });
    expect(said((await intro(world, ben, 'find negociations')).reply)).toContain(`<@${sofia}>`);
    expect(said((await intro(world, ben, 'find  "user interview"')).reply)).toContain(`<@${arjun}>`);
  });

  it('never lists people on either side of a "don\'t pair me with" list, nor people who left', async () => {
    await expertise({ [sofia]: ['pricing'], [arjun]: ['pricing'], [noah]: ['pricing'] });
    await prisma().member.update({
      where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: sofia } },
      data: { doNotPair: [ben] },
    });
    await prisma().member.update({
      where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: noah } },
      data: { status: 'opted_out' },
    });
    const text = said((await intro(world, ben, 'find pricing')).reply);
    expect(text).toContain(`<@${arjun}>`);
    expect(text).not.toContain(`<@${sofia}>`);
    expect(text).not.toContain(`<@${noah}>`);
  });

  it('says what to try when nobody matches', async () => {
    const { reply } = await intro(world, ben, 'find underwater basket weaving');
    expect(reply.text).toContain('Nobody in another department lists');
    expect(reply.text).toContain('/intro me');
  });

  it('"Request intro" invites the other person, who must accept; then both get a group DM', async () => {
    await expertise({ [sofia]: ['pricing'] });
    const { reply } = await intro(world, ben, 'find pricing');
    const button = reply.blocks?.find((b) => b.block_id === 'find_result_0')?.accessory as { value: string };
    const requested = await click(world, {
      userId: ben,
      actionId: ACTIONS.introRequest,
      value: button.value,
    });
    expect(requested.posted.text).toContain(`Asked <@${sofia}>`);
    expect(requested.posted.replace_original).toBe(false);
    const row = await prisma().intro.findFirstOrThrow();
    expect(row).toMatchObject({
      introducerId: ben,
      userAId: ben,
      userBId: sofia,
      source: 'find',
      reason: 'pricing',
    });
    expect(row.acceptedA).not.toBeNull();

    await deliver();
    expect(() => inviteFor(world, ben)).toThrow();
    const invite = inviteFor(world, sofia);
    expect(invite.message.text).toContain(`<@${ben}> would like to meet you`);
    expect(JSON.stringify(invite.message.blocks)).toContain('*pricing*');

    const again = await click(world, { userId: ben, actionId: ACTIONS.introRequest, value: button.value });
    expect(again.posted.text).toContain('already an intro');

    await click(world, { userId: sofia, actionId: ACTIONS.introAccept, value: invite.introId });
    await deliver();
    const dm = world.fake.conversationIdFor([ben, sofia]);
    expect(world.fake.messagesIn(dm).at(-1)?.text).toContain(`<@${ben}> and <@${sofia}>`);
    expect((await prisma().group.findFirstOrThrow({ where: { kind: 'intro' } })).conversationId).toBe(dm);
    expect(await prisma().give.count()).toBe(0); // nobody introduced anybody else
  });

  it('refuses a forged "Request intro" value', async () => {
    const r = await click(world, {
      userId: ben,
      actionId: ACTIONS.introRequest,
      value: '{"u":"<!channel>"}',
    });
    expect(r.posted.text).toContain('no longer works');
    expect(await prisma().intro.count()).toBe(0);
  });
});

describe('/intro me', () => {
  it('asks someone from another department in a program, least connected first; one request at a time', async () => {
    await joinProgram(world, [ben, liam, sofia, arjun]);
    // Ben has thanked Sofia before, so Arjun (never connected) is picked.
    await prisma().give.create({
      data: {
        workspaceId: TEAM_ID,
        giverId: ben,
        receiverId: sofia,
        reason: 'helped with the launch',
        source: 'command',
        sourceKey: 'seed:1',
      },
    });
    const { reply } = await intro(world, ben, 'me');
    expect(reply.text).toContain(`Weave picked <@${arjun}>`);
    expect(await prisma().intro.findFirstOrThrow()).toMatchObject({
      introducerId: ben,
      userAId: ben,
      userBId: arjun,
      source: 'me',
      status: 'pending',
    });
    await deliver();
    expect(inviteFor(world, arjun).message.text).toContain(`<@${ben}> would like to meet you`);

    const second = await intro(world, ben, 'me');
    expect(second.reply.text).toContain('still waiting for their answer');
    expect(await prisma().intro.count()).toBe(1);
  });

  it('says so when nobody from another department is available', async () => {
    await joinProgram(world, [ben, liam]);
    const { reply } = await intro(world, ben, 'me');
    expect(reply.text).toContain('Nobody from another department is available');
    expect(await prisma().intro.count()).toBe(0);
  });
});

describe('/intro profile', () => {
  it('opens the profile modal prefilled from Slack and saves what the member submits', async () => {
    const { reply, triggerId } = await intro(world, ben, 'profile');
    expect(reply.text).toContain('Opened your profile');
    const open = world.fake.lastCall('views.open');
    expect(open?.args.trigger_id).toBe(triggerId);
    expect(open?.args.view.callback_id).toBe(CALLBACKS.profile);
    const dept = open?.args.view.blocks.find((b: { block_id: string }) => b.block_id === B.profileDepartment);
    expect(dept.element.initial_value).toBe('Engineering');
    expect(JSON.stringify(dept.hint)).toContain('From your Slack profile: Engineering');

    const submit = await world.slack.action(
      world.slack.viewSubmission({
        userId: ben,
        callbackId: CALLBACKS.profile,
        values: {
          [B.profileDepartment]: { [B.profileDepartment]: 'Platform' },
          [B.profileExpertise]: { [B.profileExpertise]: 'Kubernetes, pricing ,kubernetes,\nSQL' },
          [B.profileInterests]: { [B.profileInterests]: 'climbing; jazz' },
          [B.profileDoNotPair]: {
            [B.profileDoNotPair]: { type: 'multi_users_select', selected_users: [marcus, ben] },
          },
          [B.profileGiveDms]: { [B.profileGiveDms]: { type: 'checkboxes', selected_options: [] } },
        },
      }),
    );
    expect(submit.status).toBe(200);
    expect(submit.body).toBe('');
    await waitUntil(async () => (await member(ben)).department === 'Platform');
    expect(await member(ben)).toMatchObject({
      department: 'Platform',
      slackDepartment: 'Engineering',
      expertise: ['Kubernetes', 'pricing', 'SQL'],
      interests: ['climbing', 'jazz'],
      doNotPair: [marcus],
      giveDmsOff: true,
    });
    await world.fake.waitFor('views.publish', (a) => a.user_id === ben);
  });

  it('keeps following Slack when the department is left as Slack has it, and shows errors for bad input', async () => {
    const tooLong = 'x'.repeat(60);
    const bad = await world.slack.action(
      world.slack.viewSubmission({
        userId: ben,
        callbackId: CALLBACKS.profile,
        values: { [B.profileExpertise]: { [B.profileExpertise]: `pricing, ${tooLong}` } },
      }),
    );
    expect(bad.body.response_action).toBe('errors');
    expect(bad.body.errors[B.profileExpertise]).toContain('under 50 characters');
    expect((await member(ben)).expertise).toEqual([]);

    await world.slack.action(
      world.slack.viewSubmission({
        userId: ben,
        callbackId: CALLBACKS.profile,
        values: {
          [B.profileDepartment]: { [B.profileDepartment]: 'Engineering' },
          [B.profileGiveDms]: {
            [B.profileGiveDms]: { type: 'checkboxes', selected_options: [{ value: 'on' }] },
          },
        },
      }),
    );
    await world.fake.waitFor('views.publish', (a) => a.user_id === ben);
    expect(await member(ben)).toMatchObject({ department: null, giveDmsOff: false });
  });

  it('department defaults to the admin-chosen Slack field', async () => {
    world.fake.updateUser(kai, { title: 'Finance Analyst' });
    await prisma().member.delete({ where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: kai } } });
    await prisma().workspace.update({
      where: { id: TEAM_ID },
      data: { settings: { departmentField: 'title' } },
    });
    await intro(world, kai, 'profile');
    const open = world.fake.lastCall('views.open');
    const dept = open?.args.view.blocks.find((b: { block_id: string }) => b.block_id === B.profileDepartment);
    expect(dept.element.initial_value).toBe('Finance Analyst');
    expect(DEPARTMENT_FIELD_ID).toBeTruthy();
  });
});

describe('/intro pause, resume, skip, leave', () => {
  it('pauses for a duration or until a date, and resumes', async () => {
    const paused = await intro(world, ben, 'pause 2w');
    expect(paused.reply.text).toContain('Paused until');
    expect(await member(ben)).toMatchObject({
      status: 'paused',
      pausedUntil: new Date('2026-12-09T12:00:00Z'),
    });

    // Ben is in New York: "until 2026-12-31" ends at his local midnight.
    await intro(world, ben, 'pause until 2026-12-31');
    expect((await member(ben)).pausedUntil).toEqual(new Date('2027-01-01T05:00:00Z'));

    const resumed = await intro(world, ben, 'resume');
    expect(resumed.reply.text).toContain('Welcome back');
    expect(await member(ben)).toMatchObject({ status: 'active', pausedUntil: null, skipPeriodKey: null });
    expect((await intro(world, ben, 'resume')).reply.text).toContain('already taking part');
    await world.fake.waitFor('views.publish', (a) => a.user_id === ben);
  });

  it('skips the next round of the program the member is in, once', async () => {
    expect((await intro(world, ben, 'skip')).reply.text).toContain('not in a pairing channel');
    await joinProgram(world, [ben]);
    const skipped = await intro(world, ben, 'skip');
    expect(skipped.reply.text).toContain(`<#${PAIRS_CHANNEL_ID}>`);
    expect((await member(ben)).skipPeriodKey).toBe('2026-W49');
    expect((await intro(world, ben, 'skip')).reply.text).toContain('already skipping');
    expect(said((await intro(world, ben, 'help')).reply)).toContain('Skipping the next round');
  });

  it('leaves Weave intros until resume', async () => {
    const left = await intro(world, ben, 'leave');
    expect(left.reply.text).toContain("You've left Weave intros");
    expect((await member(ben)).status).toBe('opted_out');
    expect((await intro(world, ben, 'leave')).reply.text).toContain('already left');
    expect((await intro(world, ben, 'pause 1w')).reply.text).toContain('already left');
    expect((await intro(world, ben, 'resume')).reply.text).toContain('Welcome back');
    expect((await member(ben)).status).toBe('active');
  });
});

describe('App Home buttons', () => {
  it('opens the profile, pauses for 2 weeks, resumes, skips and exports data', async () => {
    await joinProgram(world, [ben]);
    expect((await clickHome(world, ben, ACTIONS.openProfile)).status).toBe(200);
    const open = await world.fake.waitFor('views.open', (a) => a.view?.callback_id === CALLBACKS.profile);
    expect(open.ok).toBe(true);

    await clickHome(world, ben, ACTIONS.pauseToggle);
    await waitUntil(async () => (await member(ben)).status === 'paused');
    expect((await member(ben)).pausedUntil).toEqual(new Date('2026-12-09T12:00:00Z'));
    await world.fake.waitFor('views.publish', (a) => a.user_id === ben);
    expect(JSON.stringify(world.fake.homeView(ben)?.blocks)).toContain("You're paused");

    await clickHome(world, ben, ACTIONS.resume);
    await waitUntil(async () => (await member(ben)).status === 'active');

    await clickHome(world, ben, ACTIONS.skip);
    await waitUntil(async () => (await member(ben)).skipPeriodKey === '2026-W49');

    await clickHome(world, ben, ACTIONS.exportData);
    await waitUntil(async () => (await prisma().prompt.count({ where: { kind: 'data_export' } })) > 0);
    await deliver();
    expect(world.fake.messagesIn(world.fake.conversationIdFor([ben])).at(-1)?.text).toContain(
      '"userId": "U0BEN"',
    );
  });
});

describe('/intro admin', () => {
  it('refuses non-admins clearly and changes nothing', async () => {
    for (const sub of ['admin', 'preview', 'round now']) {
      const before = await rowCounts(world);
      const { reply } = await intro(world, ben, sub, PAIRS_CHANNEL_ID);
      expect(reply.text).toContain('Only workspace admins');
      expect(await rowCounts(world)).toEqual(before);
    }
    expect(world.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('starts a program in a channel without one and opens its settings; saving updates the program', async () => {
    expect(world.fake.channelMembers(GENERAL_CHANNEL_ID)).not.toContain(BOT_USER_ID);
    const { reply, triggerId } = await intro(world, ADMIN_USER_ID, 'admin', GENERAL_CHANNEL_ID);
    expect(reply.text).toContain(`Started Weave's pairing program in <#${GENERAL_CHANNEL_ID}>`);
    // Weave was not in the public channel: it joined it before starting the program there.
    expect(world.fake.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([GENERAL_CHANNEL_ID]);
    expect(world.fake.channelMembers(GENERAL_CHANNEL_ID)).toContain(BOT_USER_ID);
    const program = await prisma().program.findFirstOrThrow({ where: { channelId: GENERAL_CHANNEL_ID } });
    expect(program).toMatchObject({ tz: 'Europe/Berlin', createdBy: ADMIN_USER_ID });
    const open = world.fake.lastCall('views.open');
    expect(open?.args.trigger_id).toBe(triggerId);
    const view = open?.args.view;
    expect(view.callback_id).toBe(CALLBACKS.settings);
    expect(JSON.parse(view.private_metadata)).toEqual({
      programId: program.id,
      channelId: GENERAL_CHANNEL_ID,
    });
    expect(JSON.stringify(view.blocks)).toContain('Profile field: Department');
    await deliver();
    expect(world.fake.messagesIn(GENERAL_CHANNEL_ID).at(-1)?.text).toBeTruthy();

    const values = {
      [B.settingsCadence]: {
        [B.settingsCadence]: { type: 'static_select', selected_option: { value: 'biweekly' } },
      },
      [B.settingsWeekday]: {
        [B.settingsWeekday]: { type: 'static_select', selected_option: { value: '3' } },
      },
      [B.settingsHour]: { [B.settingsHour]: { type: 'static_select', selected_option: { value: '14' } } },
      [B.settingsTz]: { [B.settingsTz]: 'America/New_York' },
      [B.settingsGroupSize]: {
        [B.settingsGroupSize]: { type: 'static_select', selected_option: { value: '3' } },
      },
      [B.settingsRepeatWindow]: { [B.settingsRepeatWindow]: { type: 'number_input', value: '6' } },
      [B.settingsHeadsUp]: { [B.settingsHeadsUp]: { type: 'checkboxes', selected_options: [] } },
      [B.settingsDepartmentField]: {
        [B.settingsDepartmentField]: { type: 'static_select', selected_option: { value: 'title' } },
      },
    };
    const viewId = openedViewId(world);
    const submission = (userId: string, v: Record<string, Record<string, unknown>> = values) =>
      submitModal(
        world,
        {
          userId,
          callbackId: CALLBACKS.settings,
          privateMetadata: view.private_metadata,
          values: v as never,
        },
        viewId,
      );

    const badTz = await submission(ADMIN_USER_ID, {
      ...values,
      [B.settingsTz]: { [B.settingsTz]: 'Mars/Olympus' },
      [B.settingsRepeatWindow]: { [B.settingsRepeatWindow]: { type: 'number_input', value: '99' } },
    });
    expect(badTz.ack.response_action).toBe('errors');
    expect(Object.keys(badTz.ack.errors).sort()).toEqual([B.settingsRepeatWindow, B.settingsTz].sort());

    const notAdmin = await submission(ben);
    expect(JSON.stringify(notAdmin.view)).toContain('Only workspace admins');
    expect((await prisma().program.findUniqueOrThrow({ where: { id: program.id } })).cadence).toBe('weekly');

    // Saving waits on Slack (the admin's profile is stale, so who is an admin is asked again): Slack
    // gets its ack while that call is still held, and the saved settings arrive afterwards.
    await prisma().member.update({
      where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: ADMIN_USER_ID } },
      data: { profileSyncedAt: null },
    });
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    world.fake.setHandler('users.info', async () => {
      order.push('slack call started');
      await held;
      order.push('slack call finished');
      return undefined;
    });
    const acked = world.slack
      .action(
        world.slack.viewSubmission({
          userId: ADMIN_USER_ID,
          callbackId: CALLBACKS.settings,
          privateMetadata: view.private_metadata,
          values: values as never,
          viewId,
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
    const ack = (await acked).body;
    const saved = await world.fake.waitFor('views.update', (a) =>
      JSON.stringify(a.view).includes('Every 2 weeks on Wednesday at 14:00 (America/New_York)'),
    );
    world.fake.setHandler('users.info', null);
    expect(order).toContain('slack call started');
    expect(order.indexOf('acked')).toBeLessThan(order.indexOf('slack call finished'));
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view)).toContain('Saving the settings');
    expect(saved.args.view_id).toBe(viewId);
    expect(await prisma().program.findUniqueOrThrow({ where: { id: program.id } })).toMatchObject({
      cadence: 'biweekly',
      weekday: 3,
      hour: 14,
      tz: 'America/New_York',
      groupSize: 3,
      repeatWindow: 6,
      headsUp: false,
    });
    const ws = await prisma().workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    expect((ws.settings as { departmentField?: string }).departmentField).toBe('title');

    // The next round follows the new settings: not at the old Monday 10:00 slot, but at Wednesday 14:00
    // New York time (every 2 weeks).
    const stored = await prisma().program.findUniqueOrThrow({ where: { id: program.id } });
    const due = nextRoundAt(
      { cadence: 'biweekly', weekday: 3, hour: 14, tz: 'America/New_York', anchor: stored.anchor },
      world.clock.now(),
    );
    expect(zonedParts(due, 'America/New_York')).toMatchObject({ weekday: 3, hour: 14, minute: 0 });
    world.clock.set(new Date(due.getTime() - 60 * 60_000));
    await world.app.scheduler.run('rounds');
    expect(await prisma().round.count()).toBe(0);
    world.clock.set(due);
    await world.app.scheduler.run('rounds');
    const rounds = await prisma().round.findMany();
    expect(rounds).toHaveLength(1);
    expect(rounds[0]?.periodKey).toMatch(/\/2$/);
  });

  it('asks the admin to invite Weave to a private channel it is not in, and starts nothing', async () => {
    world.fake.addChannel({
      id: 'C0SECRET',
      name: 'secret-coffee',
      isPrivate: true,
      members: [ADMIN_USER_ID, ben],
    });
    // Real Slack: a private channel is invisible to a bot that is not in it.
    world.fake.setHandler('conversations.info', (args) =>
      args.channel === 'C0SECRET' && !world.fake.channelMembers('C0SECRET').includes(BOT_USER_ID)
        ? { ok: false, error: 'channel_not_found' }
        : undefined,
    );
    const before = await rowCounts(world);
    const { reply } = await intro(world, ADMIN_USER_ID, 'admin', 'C0SECRET');
    expect(reply.text).toContain('Invite it first (`/invite @Weave` in the channel)');
    expect(await rowCounts(world)).toEqual(before);
    expect(world.fake.callsTo('views.open')).toHaveLength(0);
    expect(world.fake.callsTo('conversations.join')).toHaveLength(0);

    // Once invited, the same command starts the program.
    world.fake.setChannelMembers('C0SECRET', [ADMIN_USER_ID, ben, BOT_USER_ID]);
    const again = await intro(world, ADMIN_USER_ID, 'admin', 'C0SECRET');
    expect(again.reply.text).toContain("Started Weave's pairing program in <#C0SECRET>");
    expect(world.fake.callsTo('conversations.join')).toHaveLength(0);
  });

  it('reopens the existing program without starting another, and points DMs at a channel', async () => {
    await joinProgram(world, []);
    const { reply } = await intro(world, ADMIN_USER_ID, 'admin', PAIRS_CHANNEL_ID);
    expect(reply.text).toBe(`Opened the settings for <#${PAIRS_CHANNEL_ID}>.`);
    expect(await prisma().program.count()).toBe(1);
    const dm = await intro(world, ADMIN_USER_ID, 'admin', 'D0ANNA');
    expect(dm.reply.text).toContain('Run `/intro admin` in the channel');
  });

  it('preview and round now still answer admins in a program channel, and say how to start one elsewhere', async () => {
    const none = await intro(world, ADMIN_USER_ID, 'preview', GENERAL_CHANNEL_ID);
    expect(none.reply.text).toContain('There is no Weave program');
    await joinProgram(world, []);
    const preview = await intro(world, ADMIN_USER_ID, 'preview', PAIRS_CHANNEL_ID);
    expect(preview.reply.text).toContain('Preview');
    const now = await intro(world, ADMIN_USER_ID, 'round now', PAIRS_CHANNEL_ID);
    expect(now.reply.text).toContain('Round started');
  });

  it('counts people named as admins in the workspace settings', async () => {
    await prisma().workspace.update({ where: { id: TEAM_ID }, data: { settings: { adminIds: [ben] } } });
    await joinProgram(world, []);
    const { reply } = await intro(world, ben, 'preview', PAIRS_CHANNEL_ID);
    expect(reply.text).toContain('Preview');
  });
});
