import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import { GENERAL_CHANNEL_ID, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// Slack delivers events at least once and not necessarily in order: a retry of a message event can
// arrive after the edit that followed it, a deletion before the message it deletes. Gives must end up
// as the message's latest state says, whatever the order: the app remembers, per message that concerns
// gives, its latest edit (by Slack ts) or its deletion, and ignores older events about it.

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben, priya, liam } = USER_IDS;
const CHANNEL = GENERAL_CHANNEL_ID;

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

/** Receivers of the gives currently recorded for a message, sorted. */
async function receiversOf(ts: string): Promise<string[]> {
  const rows = await world.db.prisma.give.findMany({ where: { channelId: CHANNEL, messageTs: ts } });
  return rows.map((g) => g.receiverId ?? '').sort();
}

/**
 * Sends an event and waits until the app has finished with it: it is stored before the ack, processed
 * after, and its inbox row is marked sent only once its listener succeeded (so this also shows the
 * listener raised no error).
 */
async function deliver(event: Record<string, unknown>, eventId?: string): Promise<void> {
  const res = await world.slack.event(event, eventId ? { eventId } : {});
  expect(res.status).toBe(200);
  await waitUntil(async () => {
    const key = `event:${eventId ?? res.eventId}`;
    return (await world.db.prisma.inboxItem.count({ where: { key, status: 'sent' } })) === 1;
  });
  await world.app.inflight.drain(5000);
}

const posted = (ts: string, text: string, userId: string = anna) =>
  slackEvents.message({ userId, channelId: CHANNEL, text, ts });

/** A `message_changed` event for message `ts`, itself sent at `changeTs`, as Slack shapes it. */
const changed = (
  ts: string,
  changeTs: string,
  text: string,
  previousText: string,
  userId: string = anna,
) => ({
  type: 'message',
  subtype: 'message_changed',
  hidden: true,
  channel: CHANNEL,
  ts: changeTs,
  event_ts: changeTs,
  message: { type: 'message', user: userId, text, ts, edited: { user: userId, ts: changeTs } },
  previous_message: { type: 'message', user: userId, text: previousText, ts },
});

const deleted = (ts: string, deleteTs: string, previousText: string) => ({
  type: 'message',
  subtype: 'message_deleted',
  hidden: true,
  channel: CHANNEL,
  deleted_ts: ts,
  ts: deleteTs,
  event_ts: deleteTs,
  previous_message: { type: 'message', user: anna, text: previousText, ts },
});

/** Marks kept per message (JobRun rows): how late events are recognised. */
const marks = () => world.db.prisma.jobRun.count();

const reaction = (type: 'reaction_added' | 'reaction_removed', ts: string, eventTs: string) => ({
  type,
  user: anna,
  reaction: 'gift',
  item_user: ben,
  item: { type: 'message', channel: CHANNEL, ts },
  event_ts: eventTs,
});

describe('out-of-order message events', () => {
  const text = (mentions: string, emoji = ':gift: ') =>
    `${emoji}${mentions} thanks for the release checklist`;

  it('an edit processed before its message: gives follow the edited text, and the late original changes nothing', async () => {
    const ts = '1800000100.000100';
    // Original: thanks Ben and Priya. Edited 5 s later: Ben and Liam.
    const original = text(`<@${ben}> <@${priya}>`);
    await deliver(changed(ts, '1800000105.000000', text(`<@${ben}> <@${liam}>`), original));
    expect(await receiversOf(ts)).toEqual([ben, liam].sort());
    await deliver(posted(ts, original));
    expect(await receiversOf(ts)).toEqual([ben, liam].sort());
  });

  it('an edit that removed the give emoji, processed first: the late original records nothing', async () => {
    const ts = '1800000200.000100';
    const original = text(`<@${ben}>`);
    await deliver(changed(ts, '1800000201.000000', text(`<@${ben}>`, ''), original));
    await deliver(posted(ts, original));
    expect(await receiversOf(ts)).toEqual([]);
  });

  it('two edits in reverse order: the later edit wins', async () => {
    const ts = '1800000300.000100';
    await deliver(posted(ts, text(`<@${ben}>`)));
    await deliver(changed(ts, '1800000320.000000', text(`<@${priya}>`), text(`<@${liam}>`)));
    await deliver(changed(ts, '1800000310.000000', text(`<@${liam}>`), text(`<@${ben}>`)));
    expect(await receiversOf(ts)).toEqual([priya]);
  });

  it('a deletion processed before its message: the late message (and a late edit, and a reaction) record nothing', async () => {
    const ts = '1800000400.000100';
    await deliver(deleted(ts, '1800000409.000000', text(`<@${priya}>`)));
    await deliver(posted(ts, text(`<@${ben}>`)));
    await deliver(changed(ts, '1800000405.000000', text(`<@${priya}>`), text(`<@${ben}>`)));
    await deliver(reaction('reaction_added', ts, '1800000406.000000'));
    expect(await receiversOf(ts)).toEqual([]);
    expect(await world.db.prisma.give.count()).toBe(0);
  });

  it('in order, edits and a deletion still apply as before', async () => {
    const ts = '1800000500.000100';
    await deliver(posted(ts, text(`<@${ben}>`)));
    expect(await receiversOf(ts)).toEqual([ben]);
    await deliver(changed(ts, '1800000501.000000', text(`<@${ben}> <@${priya}>`), text(`<@${ben}>`)));
    expect(await receiversOf(ts)).toEqual([ben, priya].sort());
    await deliver(deleted(ts, '1800000502.000000', text(`<@${ben}> <@${priya}>`)));
    expect(await receiversOf(ts)).toEqual([]);
  });

  it('edits and deletions of messages that never concerned gives store nothing', async () => {
    const ts = '1800000550.000100';
    await deliver(posted(ts, 'lunch at noon?'));
    await deliver(changed(ts, '1800000551.000000', 'lunch at 12:30?', 'lunch at noon?'));
    await deliver(deleted(ts, '1800000552.000000', 'lunch at 12:30?'));
    expect(await marks()).toBe(0);
    expect(await world.db.prisma.give.count()).toBe(0);
  });
});

describe('duplicate reaction events', () => {
  it('the same reaction added twice (two event ids) records one give and one DM', async () => {
    const ts = '1800000600.000100';
    await deliver(reaction('reaction_added', ts, '1800000601.000000'));
    await deliver(reaction('reaction_added', ts, '1800000601.000000'));
    expect(await receiversOf(ts)).toEqual([ben]);
    await world.app.scheduler.run('deliver');
    expect(world.fake.messagesIn().filter((m) => m.text.includes('thanked you'))).toHaveLength(1);
  });

  it('the same reaction added twice at once records one give', async () => {
    const ts = '1800000650.000100';
    const event = reaction('reaction_added', ts, '1800000651.000000');
    await Promise.all([world.slack.event(event), world.slack.event(event)]);
    await waitUntil(async () => (await world.db.prisma.inboxItem.count({ where: { status: 'sent' } })) === 2);
    await world.app.inflight.drain(5000);
    expect(await receiversOf(ts)).toEqual([ben]);
  });

  it('a reaction removed twice removes its give once, touches nothing else and raises no error', async () => {
    const ts = '1800000700.000100';
    await deliver(reaction('reaction_added', ts, '1800000701.000000'));
    // Another give on the same message (from the message itself) must survive both removals.
    await deliver(posted(ts, `:gift: <@${priya}> thanks for the release checklist`, ben));
    expect(await receiversOf(ts)).toEqual([ben, priya].sort());
    await deliver(reaction('reaction_removed', ts, '1800000702.000000'));
    await deliver(reaction('reaction_removed', ts, '1800000702.000000'));
    // Both removals were handled without an error (`deliver` waits for each to be marked sent).
    expect(await receiversOf(ts)).toEqual([priya]);
  });

  it('a Slack retry of an event (same event id) arriving while the first is still processed records once', async () => {
    const ts = '1800000800.000100';
    const event = posted(ts, `:gift: <@${ben}> thanks for the release checklist`);
    const eventId = 'Ev0FAULTRETRY1';
    await Promise.all([
      world.slack.event(event, { eventId }),
      world.slack.event(event, { eventId, retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    // One inbox row: the retry's insert met the first one's key.
    await waitUntil(async () => (await world.db.prisma.inboxItem.count({ where: { status: 'sent' } })) === 1);
    await world.app.inflight.drain(5000);
    expect(await receiversOf(ts)).toEqual([ben]);
    await world.app.scheduler.run('deliver');
    expect(world.fake.messagesIn().filter((m) => m.text.includes('thanked you'))).toHaveLength(1);
  });
});
