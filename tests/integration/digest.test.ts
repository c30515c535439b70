import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeave } from '../../src/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { INTRO_BLOCKS as B, CALLBACKS, DIGEST_OFF } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import type { CallArgs, FakeMessage } from '../support/fake-slack.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  GENERAL_CHANNEL_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { submitModal } from '../support/intro-world.ts';
import { inviteWeave, waitUntil } from '../support/scenarios.ts';
import { FAST_RATE_LIMITS, startWorld, type TestWorld } from '../support/test-app.ts';

const { anna, ben, sofia, marcus, hannah, arjun, noah } = USER_IDS;
const KUDOS = 'C0KUDOS';
/** A private channel with a C id: only Slack can tell it is private. */
const SECRET = 'C0SECRET';
/** Friday 27 Nov 2026, 16:00 in Berlin (the #coffee program's time zone). */
const FRIDAY_16 = '2026-11-27T15:00:00Z';

const clock = new TestClock('2026-11-20T09:00:00Z');
let world: TestWorld;
const prisma = () => world.db.prisma;

beforeAll(async () => {
  world = await startWorld({ clock });
  const everyone = [anna, ben, sofia, marcus, hannah, arjun, noah, BOT_USER_ID];
  world.fake.addChannel({ id: KUDOS, name: 'kudos', members: everyone });
  world.fake.addChannel({ id: SECRET, name: 'secret-project', isPrivate: true, members: everyone });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-20T09:00:00Z');
  await inviteWeave(world); // the #coffee program (Europe/Berlin) sets the digest's time zone
});

const runDigest = () => world.app.scheduler.run('digest');
const deliver = () => world.app.scheduler.run('deliver');
const digests = (channel = KUDOS) =>
  world.fake.messagesIn(channel).filter((m) => m.text.startsWith('Weekly thank-you digest'));
const everything = (m: FakeMessage | undefined) => `${m?.text}\n${JSON.stringify(m?.blocks ?? [])}`;

async function setSettings(patch: Record<string, unknown>) {
  const ws = await prisma().workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
  await prisma().workspace.update({
    where: { id: TEAM_ID },
    data: { settings: { ...(ws.settings as object), ...patch } as object },
  });
}

/** `/give` at the clock's current time; waits until it is recorded. */
async function give(at: string, userId: string, text: string, channelId = GENERAL_CHANNEL_ID) {
  clock.set(at);
  const before = await prisma().give.count();
  const res = await world.slack.command('/give', text, { userId, channelId });
  expect(res.status).toBe(200);
  await waitUntil(async () => (await prisma().give.count()) > before);
}

/** A fixed week (Fri 20 Nov 16:00 – Fri 27 Nov 16:00 Berlin) plus one give on each side of it. */
async function seedWeek() {
  await give('2026-11-20T14:00:00Z', anna, `<@${ben}> #help thanks for last week's on-call cover`);
  await give('2026-11-23T10:00:00Z', anna, `<@${ben}> #expertise walked me through the pricing model`);
  await give('2026-11-24T10:00:00Z', sofia, `<@${anna}> #help thanks for fixing the CRM sync so quickly`);
  await give('2026-11-25T10:00:00Z', arjun, `<@${noah}> #mentoring for the hour on budgeting basics`);
  await give(
    '2026-11-25T11:00:00Z',
    marcus,
    `<@${hannah}> #feedback thanks <!channel> <!here> for the honest notes on my pitch & deck`,
  );
  await give('2026-11-26T10:00:00Z', ben, `<@${sofia}> #help for pairing on the customer escalation`);
  await give('2026-11-26T12:00:00Z', hannah, `<@${sofia}> #help the launch plan details here`, SECRET);
  // In a DM with Weave, and through the thank-you modal (no channel at all): private as well.
  await give(
    '2026-11-26T13:00:00Z',
    noah,
    `<@${marcus}> #help for the salary advice over coffee`,
    world.fake.conversationIdFor([noah]),
  );
  await prisma().give.create({
    data: {
      workspaceId: TEAM_ID,
      giverId: marcus,
      receiverId: noah,
      reason: 'for listening when the move got hard',
      source: 'thanks',
      sourceKey: 'thanks:modal:1',
      createdAt: new Date('2026-11-26T14:00:00Z'),
    },
  });
  await give('2026-11-27T15:30:00Z', noah, `<@${arjun}> #help for the design review after the digest`);
}

describe('weekly thank-you digest', () => {
  it('is posted once, on Friday 16:00 in the program time zone, in the chosen channel, grouped by kind', async () => {
    await seedWeek();
    await setSettings({ digestChannelId: KUDOS });

    clock.set('2026-11-27T14:59:00Z');
    expect(await runDigest()).toMatchObject({ ok: true, summary: { scheduled: 0 } });
    clock.set(FRIDAY_16);
    expect(await runDigest()).toMatchObject({ ok: true, summary: { scheduled: 1 } });
    expect(await runDigest()).toMatchObject({ ok: true, summary: { scheduled: 0 } });
    await deliver();
    clock.set('2026-11-27T18:00:00Z');
    await runDigest();
    await deliver();

    const [digest, ...more] = digests();
    expect(more).toHaveLength(0);
    expect(digests(GENERAL_CHANNEL_ID)).toHaveLength(0);
    expect(digest?.text).toBe('Weekly thank-you digest: 5 thank-yous this week, 3 across departments.');
    const text = everything(digest);
    // Grouped by kind, in the usual order.
    const order = [
      'Thanks for shared expertise* (1)',
      'Thanks for help* (2)',
      'Thanks for mentoring',
      'Thanks for feedback',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Cross-department gives marked with both departments; same-department ones plain.
    expect(text).toContain(
      `*<@${sofia}> → <@${anna}>* _(Sales → Engineering)_: thanks for fixing the CRM sync`,
    );
    expect(text).toContain(`*<@${arjun}> → <@${noah}>* _(Design → Finance)_`);
    expect(text).toContain(`• <@${anna}> → <@${ben}>: walked me through the pricing model`);
    expect(text).toContain(`• <@${marcus}> → <@${hannah}>:`);
    // Only this week; no per-person counts by default.
    expect(text).not.toContain('on-call cover');
    expect(text).not.toContain('after the digest');
    expect(text).not.toMatch(/Most thanked|Most thankful/);
    // Gives made in a private channel, a DM or the thank-you modal are not there at all (nor counted).
    expect(text).not.toContain(`<@${hannah}> → <@${sofia}>`);
    expect(text).not.toContain('launch plan');
    expect(text).not.toContain(`<@${noah}> → <@${marcus}>`);
    expect(text).not.toContain('salary advice');
    expect(text).not.toContain(`<@${marcus}> → <@${noah}>`);
    expect(text).not.toContain('when the move got hard');
    // Mass mentions in a reason are neutralised, text escaped.
    expect(text).not.toMatch(/<!(channel|here|everyone)/);
    expect(text).toContain('my pitch &amp; deck');

    expect(await prisma().jobRun.count({ where: { workspaceId: TEAM_ID, job: 'digest' } })).toBe(1);
    expect(await prisma().prompt.findFirstOrThrow({ where: { kind: 'digest' } })).toMatchObject({
      key: 'digest:2026-W48',
      status: 'sent',
    });
  });

  it('shows per-person counts only when the admin turned the leaderboard on', async () => {
    await seedWeek();
    await setSettings({ digestChannelId: KUDOS, leaderboard: true });
    clock.set(FRIDAY_16);
    await runDigest();
    await deliver();
    const text = everything(digests()[0]);
    // Sofia's give from the private channel does not count here: one each.
    expect(text).toContain(
      `*Most thanked:* <@${anna}> 1 · <@${ben}> 1 · <@${hannah}> 1 · <@${noah}> 1 · <@${sofia}> 1`,
    );
    expect(text).toContain('*Most thankful:*');
  });

  it('follows the weekday chosen by the admin, and lists a forgotten receiver anonymously', async () => {
    await give('2026-11-23T10:00:00Z', sofia, `<@${anna}> #intro for introducing me to the data team`);
    await give('2026-11-23T11:00:00Z', sofia, `<@${ben}> #intro for the intro to the platform folks`);
    await prisma().give.updateMany({ where: { receiverId: ben }, data: { receiverId: null } });
    await setSettings({ digestChannelId: KUDOS, digestWeekday: 3 });
    clock.set('2026-11-25T14:59:00Z'); // Wednesday 15:59 Berlin
    await runDigest();
    await deliver();
    expect(digests()).toHaveLength(0);
    clock.set('2026-11-25T15:00:00Z');
    await runDigest();
    await deliver();
    const text = everything(digests()[0]);
    expect(text).toContain(`<@${sofia}> → _someone who has since left Weave_`);
    expect(text).not.toContain(`<@${ben}>`);
  });

  it('is not posted when no channel is chosen or the week had no gives', async () => {
    await seedWeek();
    clock.set(FRIDAY_16);
    expect(await runDigest()).toMatchObject({ ok: true, summary: { scheduled: 0 } });
    await setSettings({ digestChannelId: KUDOS });
    clock.set('2026-12-04T15:00:00Z'); // the next Friday: a week without gives
    await prisma().give.deleteMany({ where: { createdAt: { gte: new Date(FRIDAY_16) } } });
    expect(await runDigest()).toMatchObject({ ok: true, summary: { scheduled: 1 } });
    await deliver();
    expect(digests()).toHaveLength(0);
    expect((await prisma().prompt.findFirstOrThrow({ where: { kind: 'digest' } })).status).toBe('sent');
  });

  it('joins a public channel Weave is not in, and a lost Slack response never posts it twice', async () => {
    await give('2026-11-24T10:00:00Z', sofia, `<@${anna}> #help thanks for fixing the CRM sync so quickly`);
    await setSettings({ digestChannelId: KUDOS });
    world.fake.failNext('chat.postMessage', { error: 'not_in_channel', when: (a) => a.channel === KUDOS });
    world.fake.failNext('chat.postMessage', {
      status: 500,
      afterProcessing: true,
      when: (a) => a.channel === KUDOS,
    });
    clock.set(FRIDAY_16);
    await runDigest();
    await deliver();
    expect(world.fake.callsTo('conversations.join')).toHaveLength(1);
    const prompt = await prisma().prompt.findFirstOrThrow({ where: { kind: 'digest' } });
    expect(prompt.status).toBe('pending'); // retried later: Slack's answer was lost
    clock.set(prompt.dueAt);
    await deliver();
    expect(digests()).toHaveLength(1);
    expect((await prisma().prompt.findFirstOrThrow({ where: { kind: 'digest' } })).status).toBe('sent');
  });

  it('two app instances on one database running the job and the outbox together post it once', async () => {
    await seedWeek();
    await setSettings({ digestChannelId: KUDOS });
    clock.set(FRIDAY_16);
    const second = await createWeave(world.config, createLogger('silent'), {
      db: world.db,
      clock,
      manualScheduler: true,
      rateLimits: FAST_RATE_LIMITS,
      workerId: 'second',
    });
    try {
      const runs = await Promise.all([runDigest(), second.scheduler.run('digest'), runDigest()]);
      const scheduled = runs.map((r) => (r.ok ? Number(r.summary.scheduled) : 0));
      expect(scheduled.reduce((a, b) => a + b, 0)).toBe(1);
      await Promise.all([
        deliver(),
        second.scheduler.run('deliver'),
        deliver(),
        second.scheduler.run('deliver'),
      ]);
    } finally {
      await second.stop();
    }
    expect(digests()).toHaveLength(1);
  });
});

describe('settings modal: digest, leaderboard, recap, gives, reconnects and data kept after an uninstall', () => {
  async function openSettings() {
    const res = await world.slack.command('/intro', 'admin', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    const opened = await world.fake.waitFor('views.open');
    return opened.args.view as { private_metadata: string; blocks: Array<Record<string, unknown>> };
  }
  const sel = (id: string, value: string) => ({
    [id]: { [id]: { type: 'static_select', selected_option: { value } } },
  });
  const num = (id: string, value: string) => ({ [id]: { [id]: { type: 'number_input', value } } });
  const box = (id: string, on: boolean) => ({
    [id]: { [id]: { type: 'checkboxes', selected_options: on ? [{ value: 'on' }] : [] } },
  });
  const values = {
    ...sel(B.settingsCadence, 'weekly'),
    ...sel(B.settingsWeekday, '1'),
    ...sel(B.settingsHour, '10'),
    [B.settingsTz]: { [B.settingsTz]: 'Europe/Berlin' },
    ...sel(B.settingsGroupSize, '2'),
    ...num(B.settingsRepeatWindow, '12'),
    ...box(B.settingsHeadsUp, true),
    ...box(B.settingsRecap, false),
    [B.settingsDigestChannel]: {
      [B.settingsDigestChannel]: { type: 'conversations_select', selected_conversation: KUDOS },
    },
    ...sel(B.settingsDigestWeekday, '4'),
    ...box(B.settingsLeaderboard, true),
    [B.settingsGiveEmoji]: { [B.settingsGiveEmoji]: ':Taco:' },
    ...num(B.settingsDailyGiveCap, '3'),
    ...num(B.settingsReconnectDays, '70'),
    ...num(B.settingsPurgeGraceDays, '7'),
    ...sel(B.settingsDepartmentField, 'auto'),
  };
  /** Submits the settings modal: `body` is the ack, its view the one the modal finally shows. */
  const submit = async (privateMetadata: string, v: Record<string, unknown>) => {
    const r = await submitModal(world, {
      userId: ADMIN_USER_ID,
      callbackId: CALLBACKS.settings,
      privateMetadata,
      values: v as never,
    });
    return { body: { ...r.ack, view: r.view } as CallArgs };
  };
  const stored = async () =>
    (await prisma().workspace.findUniqueOrThrow({ where: { id: TEAM_ID } })).settings as Record<
      string,
      unknown
    >;

  it('shows the current values and saves the new fields; the digest then follows them', async () => {
    const view = await openSettings();
    const ids = view.blocks.map((b) => b.block_id);
    for (const id of [
      B.settingsRecap,
      B.settingsDigestChannel,
      B.settingsDigestWeekday,
      B.settingsLeaderboard,
      B.settingsGiveEmoji,
      B.settingsDailyGiveCap,
      B.settingsReconnectDays,
      B.settingsPurgeGraceDays,
    ]) {
      expect(ids).toContain(id);
    }
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"gift"');
    const grace = view.blocks.find((b) => b.block_id === B.settingsPurgeGraceDays);
    expect(grace?.element).toMatchObject({ min_value: '0', max_value: '365', initial_value: '30' });

    const saved = await submit(view.private_metadata, values);
    expect(saved.body.response_action).toBe('update');
    expect(JSON.stringify(saved.body.view)).toContain(
      `thank-you digest in <#${KUDOS}> on Thursdays at 16:00`,
    );
    expect(JSON.stringify(saved.body.view)).toContain('data kept 7 days after an uninstall');
    expect(await stored()).toMatchObject({
      digestChannelId: KUDOS,
      digestWeekday: 4,
      leaderboard: true,
      giveEmoji: 'taco',
      dailyGiveCap: 3,
      reconnectDays: 70,
      purgeGraceDays: 7,
    });
    expect((await prisma().program.findFirstOrThrow({ where: { channelId: PAIRS_CHANNEL_ID } })).recap).toBe(
      false,
    );

    // The saved cap is what /give now uses: a fourth give the same day is refused.
    for (const [i, who] of [anna, ben, hannah].entries()) {
      await give(
        `2026-11-23T1${i}:00:00Z`,
        sofia,
        `<@${who}> #help thanks for fixing the CRM sync so quickly`,
      );
    }
    const fourth = await world.slack.command('/give', `<@${noah}> thanks for the quick budget review`, {
      userId: sofia,
      channelId: GENERAL_CHANNEL_ID,
    });
    await world.fake.waitFor('response_url', (a) => String(a.url) === fourth.responseUrl);
    expect(JSON.stringify(world.fake.responseUrlCalls(fourth.responseUrl))).toContain('daily limit');
    expect(await prisma().give.count()).toBe(3);
    clock.set('2026-11-26T15:00:00Z'); // Thursday 16:00 Berlin
    await runDigest();
    await deliver();
    expect(everything(digests()[0])).toContain(`*Most thanked:* <@${anna}> 1`);

    // Picking Off stops the digest.
    const off = await submit(view.private_metadata, {
      ...values,
      ...sel(B.settingsDigestWeekday, DIGEST_OFF),
    });
    expect(off.body.response_action).toBe('update');
    expect((await stored()).digestChannelId).toBeNull();
  });

  it('refuses bad values under their fields and saves nothing', async () => {
    const view = await openSettings();
    const before = await stored();
    const bad = await submit(view.private_metadata, {
      ...values,
      ...num(B.settingsDailyGiveCap, '0'),
      ...num(B.settingsReconnectDays, '200'),
      ...num(B.settingsPurgeGraceDays, '366'),
      [B.settingsGiveEmoji]: { [B.settingsGiveEmoji]: 'not an emoji!' },
    });
    expect(bad.body.response_action).toBe('errors');
    expect(Object.keys(bad.body.errors).sort()).toEqual(
      [B.settingsDailyGiveCap, B.settingsReconnectDays, B.settingsPurgeGraceDays, B.settingsGiveEmoji].sort(),
    );
    expect(bad.body.errors[B.settingsPurgeGraceDays]).toContain('from 0 to 365');
    expect(await stored()).toEqual(before);
    expect((await prisma().program.findFirstOrThrow({ where: { channelId: PAIRS_CHANNEL_ID } })).recap).toBe(
      true,
    );
  });

  it('the saved grace period is what an uninstall uses to schedule the data deletion', async () => {
    const view = await openSettings();
    const saved = await submit(view.private_metadata, values); // 7 days
    expect(saved.body.response_action).toBe('update');
    expect((await stored()).purgeGraceDays).toBe(7);

    const res = await world.slack.event({ type: 'app_uninstalled', event_ts: '1700000000.000001' });
    expect(res.status).toBe(200);
    const workspace = () => prisma().workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    await waitUntil(async () => (await workspace()).purgeAfter !== null);
    expect((await workspace()).purgeAfter?.getTime()).toBe(clock.now().getTime() + 7 * 86_400_000);
  });
});
