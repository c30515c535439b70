import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInboxRepository } from '../../src/persistence/repositories/inbox.ts';
import { TestClock } from '../support/clock.ts';
import { GENERAL_CHANNEL_ID, generateUsers, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben } = USER_IDS;

beforeAll(async () => {
  world = await startWorld({ clock, env: { INBOX_MAX_BACKLOG: '3' } });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  clock.set('2026-11-25T12:00:00Z');
});

const prisma = () => world.db.prisma;
let seq = 0;
function postMessage(user: string, text: string, o: { eventId?: string } = {}) {
  seq += 1;
  return world.slack.event(
    {
      type: 'message',
      channel: GENERAL_CHANNEL_ID,
      user,
      text,
      ts: `1800000100.${String(seq).padStart(6, '0')}`,
    },
    o,
  );
}

describe('the inbox', () => {
  it('a users.info outage (500s for a minute) delays names, not records', async () => {
    const people = generateUsers(6, { idPrefix: 'U7OUT' });
    world.fake.addUser(...people);
    world.fake.failNext('users.info', { status: 500 }, 10_000);
    const [giver, ...receivers] = people.map((p) => p.id) as [string, ...string[]];
    // One message naming all five (this world's backlog limit is 3, counted with a short cache).
    const named = receivers.map((r) => `<@${r}>`).join(' ');
    expect((await postMessage(giver, `:gift: ${named} thanks for the outage drill`)).status).toBe(200);
    // Every give is recorded while Slack cannot say who these people are.
    await waitUntil(async () => (await prisma().give.count()) === receivers.length);
    // Every lookup is tried (and fails) during the outage.
    for (let i = 0; i < 20; i += 1) {
      await world.app.scheduler.run('deliver');
      const tried = await prisma().prompt.count({
        where: { kind: 'member_sync', status: 'pending', lastError: { not: null } },
      });
      if (tried === people.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await prisma().member.count({ where: { userId: { in: [giver, ...receivers] } } })).toBe(0);
    const syncs = await prisma().prompt.findMany({ where: { kind: 'member_sync' } });
    expect(syncs).toHaveLength(people.length);
    expect(syncs.every((p) => p.status === 'pending' && p.lastError)).toBe(true);
    // A minute later Slack answers again: the profiles are read and the names filled in.
    clock.advance(60_000);
    world.fake.clearFaults('users.info');
    // Retries back off (up to 15 minutes): step the clock until every lookup has been retried.
    for (let i = 0; i < 30; i += 1) {
      clock.advance(60_000);
      await world.app.scheduler.run('deliver');
      if ((await prisma().prompt.count({ where: { kind: 'member_sync', status: { not: 'sent' } } })) === 0)
        break;
    }
    const rows = await prisma().member.findMany({ where: { userId: { in: [giver, ...receivers] } } });
    expect(rows.map((m) => m.realName).sort()).toEqual(people.map((p) => p.realName).sort());
    expect(await prisma().give.count()).toBe(receivers.length);
  });

  it('stores that arrive together are each kept once: a retry racing its original in the same group insert is a duplicate', async () => {
    const repo = createInboxRepository(prisma());
    const at = clock.now();
    const keys = Array.from({ length: 150 }, (_, i) => `event:Ev${i % 120}`);
    const results = await Promise.all(
      keys.map((key) =>
        repo.store({ workspaceId: TEAM_ID, key, kind: 'event', body: { key }, receivedAt: at }),
      ),
    );
    expect(results.filter((r) => r === 'stored')).toHaveLength(120);
    // The first of each pair was stored, its twin refused.
    expect(results.slice(0, 120).every((r) => r === 'stored')).toBe(true);
    expect(results.slice(120).every((r) => r === 'duplicate')).toBe(true);
    expect(await prisma().inboxItem.count()).toBe(120);
    // Later retries are duplicates too; another workspace's same key is its own row.
    expect(
      await repo.store({ workspaceId: TEAM_ID, key: 'event:Ev7', kind: 'event', body: {}, receivedAt: at }),
    ).toBe('duplicate');
    expect(
      await repo.store({ workspaceId: 'T0OTHER', key: 'event:Ev7', kind: 'event', body: {}, receivedAt: at }),
    ).toBe('stored');
  });

  it('a message naming 500 people Weave never saw records 20 gives, tells the giver privately, and costs at most 20 lookups of the people named', async () => {
    const people = generateUsers(500, { idPrefix: 'U7MNY' });
    world.fake.addUser(...people);
    // A daily cap above the limit, so the limit is what stops the gives.
    await prisma().workspace.create({ data: { id: TEAM_ID, settings: { dailyGiveCap: 50 } } });
    const mentions = people.map((p) => `<@${p.id}>`).join(' ');
    expect((await postMessage(anna, `:gift: ${mentions} thanks for the all-hands`)).status).toBe(200);
    await waitUntil(async () => (await prisma().give.count()) === 20);
    for (let i = 0; i < 3; i += 1) await world.app.scheduler.run('deliver');
    const note = await world.fake.waitFor('chat.postEphemeral');
    expect(String(note.args.text)).toContain('at most 20 people');
    const named = new Set(people.map((p) => p.id));
    const lookups = world.fake.callsTo('users.info').filter((c) => named.has(String(c.args.user)));
    expect(lookups.length).toBeLessThanOrEqual(20);
    expect(world.fake.callsTo('users.list')).toHaveLength(0);
    expect(await prisma().member.count({ where: { userId: { in: [...named] } } })).toBeLessThanOrEqual(20);
  });

  it('over the backlog limit, events are refused with 503 (Slack delivers them again) and /readyz reports the backlog; commands are still stored', async () => {
    // Nothing is processed while the worker is stopped: the backlog grows past the limit of 3.
    world.app.inbox.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await postMessage(anna, `:gift: <@${ben}> thanks for backlog test ${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 503, 503]);
    const ready = await fetch(`${world.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', inbox: { backlog: 3, limit: 3 } });
    const cmd = await world.slack.command('/give', `<@${ben}> thanks for staying late`, {
      userId: anna,
      channelId: GENERAL_CHANNEL_ID,
    });
    expect(cmd.status).toBe(200);
    expect(await prisma().inboxItem.count({ where: { workspaceId: TEAM_ID } })).toBe(4);
    // A restart processes everything stored, and nothing twice.
    await world.restart();
    await waitUntil(async () => (await prisma().inboxItem.count({ where: { status: 'sent' } })) === 4);
    expect(await prisma().give.count()).toBe(4);
  });
});
