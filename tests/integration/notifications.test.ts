// Outbox prompts are typed notifications, parsed when claimed: a stored payload its kind does not take is
// failed once, before anything reaches Slack; rows written by earlier versions are still delivered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import { GENERAL_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { ben } = USER_IDS;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
});

function stored(kind: string, key: string, payload: object, userId: string | null = null) {
  return world.db.prisma.prompt.create({
    data: { workspaceId: TEAM_ID, kind, key, userId, payload, dueAt: clock.now() },
  });
}

describe('stored prompts parsed when claimed', () => {
  it('fails a prompt whose payload its kind does not take once, with the reason, and sends nothing', async () => {
    const reaction = await stored('give_reaction', 'give_reaction:bad', {
      channelId: GENERAL_CHANNEL_ID,
      ts: '1700000000.000100',
    });
    const note = await stored('give_note', 'give_note:bad', { channelId: GENERAL_CHANNEL_ID, text: 42 }, ben);
    world.fake.clearCalls();

    const first = await world.app.outbox.drain();
    const second = await world.app.outbox.drain();

    expect(first).toMatchObject({ failed: 2, sent: 0, retried: 0 });
    expect(second).toMatchObject({ failed: 0, sent: 0, retried: 0 });
    const rows = await world.db.prisma.prompt.findMany({ orderBy: { key: 'asc' } });
    expect(rows.map((r) => [r.id, r.status, r.attempts, r.lastError])).toEqual([
      [
        note.id,
        'failed',
        1,
        'invalid give_note payload: text: Invalid input: expected string, received number',
      ],
      [
        reaction.id,
        'failed',
        1,
        'invalid give_reaction payload: emoji: Invalid input: expected string, received undefined',
      ],
    ]);
    expect(world.fake.callsTo('reactions.add')).toEqual([]);
    expect(world.fake.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('delivers a row of an earlier version with the defaults its handler applied', async () => {
    // The welcome once named no channel: a DM without one.
    const welcome = await stored('welcome', 'welcome:workspace:legacy', {}, ben);
    world.fake.clearCalls();

    expect(await world.app.outbox.drain()).toMatchObject({ sent: 1, failed: 0 });

    const row = await world.db.prisma.prompt.findUniqueOrThrow({ where: { id: welcome.id } });
    expect(row.status).toBe('sent');
    const posts = world.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe((row.result as { channelId?: string }).channelId);
  });
});
