import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import {
  click,
  intro,
  inviteFor,
  joinProgram,
  rowCounts,
  rowsMentioning,
  said,
  seedMembers,
} from '../support/intro-world.ts';
import { waitUntil } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben, sofia, marcus, arjun, noah } = USER_IDS;

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

const prisma = () => world.db.prisma;
const deliver = () => world.app.scheduler.run('deliver');

/**
 * Ben with something in every table that can hold him: profile, program membership, a round group and an
 * unmatched entry, intros (made, received, requested), gives given and received (one mentioning him in
 * its reason), someone else's "don't pair me with" entry, prompts, a program he started, admin rights.
 */
async function seedBensLife() {
  await seedMembers(world, [anna, ben, sofia, marcus, arjun, noah], {
    [ben]: { department: 'Platform', expertise: ['Kubernetes'], interests: ['jazz'], doNotPair: [marcus] },
    [marcus]: { doNotPair: [ben] },
  });
  const programId = await joinProgram(world, [ben, sofia, marcus, arjun]);
  await prisma().program.update({ where: { id: programId }, data: { createdBy: ben } });
  await prisma().workspace.update({ where: { id: TEAM_ID }, data: { settings: { adminIds: [ben, noah] } } });
  const round = await prisma().round.create({
    data: {
      workspaceId: TEAM_ID,
      programId,
      periodKey: '2026-W48',
      number: 1,
      seed: 1,
      unmatched: [ben, noah],
    },
  });
  await prisma().group.create({
    data: {
      workspaceId: TEAM_ID,
      roundId: round.id,
      reasons: ['different departments'],
      members: {
        create: [
          { workspaceId: TEAM_ID, userId: ben, response: 'met' },
          { workspaceId: TEAM_ID, userId: sofia },
        ],
      },
    },
  });
  // Anna introduces Ben and Sofia; both accept (a group, intro gives from Anna to both).
  await intro(world, anna, `<@${ben}> <@${sofia}> you both like jazz`);
  await deliver();
  for (const who of [ben, sofia]) {
    await click(world, { userId: who, actionId: ACTIONS.introAccept, value: inviteFor(world, who).introId });
  }
  await deliver();
  // Ben introduces Marcus and Arjun (pending).
  await intro(world, ben, `<@${marcus}> <@${arjun}> pricing and design`);
  // Gives: Ben → Sofia, Arjun → Ben, and Marcus → Arjun mentioning Ben in the reason.
  const give = (giverId: string, receiverId: string, reason: string, key: string) =>
    prisma().give.create({
      data: { workspaceId: TEAM_ID, giverId, receiverId, reason, source: 'command', sourceKey: key },
    });
  await give(ben, sofia, 'walked me through the sales playbook', 'g1');
  await give(arjun, ben, 'fixed my cluster in an hour', `cmd:1234.5678:${ben}`);
  await give(marcus, arjun, `thanks for the intro to <@${ben}|ben> last week`, 'g3');
  await deliver();
}

describe('/intro data', () => {
  it("DMs the caller a JSON export with every table's rows about them", async () => {
    await seedBensLife();
    const { reply } = await intro(world, ben, 'data');
    expect(reply.text).toContain('Sending you everything Weave stores about you');
    await deliver();
    const dm = world.fake.conversationIdFor([ben]);
    const parts = world.fake.messagesIn(dm).filter((m) => m.text.includes('Weave stores about you'));
    expect(parts.length).toBeGreaterThanOrEqual(1);
    const json = parts.map((m) => /```\n([\s\S]*)\n```/.exec(m.text)?.[1] ?? '').join('');
    const data = JSON.parse(json);

    expect(data).toMatchObject({ workspaceId: TEAM_ID, userId: ben, namedAsAdmin: true });
    expect(data.member).toMatchObject({
      userId: ben,
      department: 'Platform',
      expertise: ['Kubernetes'],
      interests: ['jazz'],
      doNotPair: [marcus],
    });
    expect(data.programMemberships).toEqual([expect.objectContaining({ channelId: PAIRS_CHANNEL_ID })]);
    expect(data.programsStarted).toHaveLength(1);
    expect(data.groups).toHaveLength(2);
    expect(data.groups.map((g: { kind: string }) => g.kind).sort()).toEqual(['intro', 'round']);
    expect(data.groups.every((g: { with: string[] }) => g.with.includes(sofia))).toBe(true);
    expect(data.roundsNotMatched).toEqual([expect.objectContaining({ periodKey: '2026-W48' })]);
    expect(data.intros).toHaveLength(2);
    expect(data.givesGiven.map((g: { receiverId: string }) => g.receiverId)).toEqual([sofia]);
    expect(data.givesReceived.map((g: { giverId: string }) => g.giverId).sort()).toEqual(
      [anna, arjun].sort(),
    );
    const kinds = data.prompts.map((p: { kind: string }) => p.kind);
    expect(kinds).toContain('intro_invite');

    // The prompt no longer keeps a copy of the export once it has been sent.
    const stored = await prisma().prompt.findMany({ where: { kind: 'data_export' } });
    expect(stored.every((p) => p.status === 'sent' && !JSON.stringify(p.payload).includes('Platform'))).toBe(
      true,
    );
  });

  it('says so, and sends nothing, when Weave stores nothing about the caller', async () => {
    const { reply } = await intro(world, ben, 'data');
    expect(reply.text).toContain("Weave doesn't store anything about you yet");
    expect(await prisma().prompt.count()).toBe(0);
    expect(await prisma().member.count()).toBe(0);
  });

  it('splits a large export over several DMs that join back into the whole', async () => {
    await seedMembers(world, [ben, sofia]);
    for (let i = 0; i < 300; i += 1) {
      await prisma().give.create({
        data: {
          workspaceId: TEAM_ID,
          giverId: sofia,
          receiverId: ben,
          reason: `thanks for help number ${i}: ${'a long explanation '.repeat(8)}`,
          source: 'command',
          sourceKey: `bulk:${i}`,
        },
      });
    }
    const { reply } = await intro(world, ben, 'data');
    expect(reply.text).toMatch(/\(\d+ messages\)/);
    // The third part fails once: the retry sends the rest without repeating the first two.
    let posts = 0;
    world.fake.failNext('chat.postMessage', { status: 500, when: () => ++posts === 3 });
    await deliver();
    expect(world.fake.callsTo('chat.postMessage', (_a, call) => !call.ok)).toHaveLength(1);
    clock.advance(60_000);
    await deliver();
    const parts = world.fake
      .messagesIn(world.fake.conversationIdFor([ben]))
      .filter((m) => m.text.includes('Weave stores about you'));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(40_000);
    expect(parts.map((p) => Number(/part (\d+) of/.exec(p.text)?.[1]))).toEqual(parts.map((_, i) => i + 1));
    const data = JSON.parse(parts.map((m) => /```\n([\s\S]*)\n```/.exec(m.text)?.[1] ?? '').join(''));
    expect(data.givesReceived).toHaveLength(300);
  });
});

/** Runs `/intro data` as `userId` and returns the export joined back from its DMs. */
async function exportOf(userId: string) {
  world.fake.clearCalls();
  await intro(world, userId, 'data');
  await deliver();
  const parts = world.fake
    .messagesIn(world.fake.conversationIdFor([userId]))
    .filter((m) => m.text.includes('Weave stores about you'));
  const json = parts.map((m) => /```\n([\s\S]*)\n```/.exec(m.text)?.[1] ?? '').join('');
  return { json, data: JSON.parse(json) };
}

describe('who said no stays unknown', () => {
  it('stores no decliner, and no export tells the introducer or the other person who said no', async () => {
    await seedMembers(world, [anna, ben, sofia], { [ben]: { department: 'Platform' } });
    await intro(world, anna, `<@${ben}> <@${sofia}> you both like jazz`);
    await deliver();
    await click(world, { userId: ben, actionId: ACTIONS.introAccept, value: inviteFor(world, ben).introId });
    await click(world, {
      userId: sofia,
      actionId: ACTIONS.introDecline,
      value: inviteFor(world, sofia).introId,
      messageTs: inviteFor(world, sofia).message.ts,
    });
    await deliver();
    const closed = await prisma().prompt.findFirstOrThrow({ where: { kind: 'intro_closed' } });
    expect(closed.status).toBe('sent');
    expect(JSON.stringify(closed.payload)).not.toContain(sofia);
    expect(JSON.stringify(closed.payload)).not.toMatch(/declined ?by/i);

    const annas = await exportOf(anna);
    expect(annas.data.intros).toEqual([
      expect.objectContaining({ role: 'introducer', status: 'declined', people: [ben, sofia] }),
    ]);
    // Neither side's answer time: Ben's acceptance would say that Sofia was the one who said no.
    expect(annas.json).not.toMatch(/accepted[AB]|myAcceptedAt|declinedBy/);
    const bens = await exportOf(ben);
    expect(bens.data.intros).toEqual([expect.objectContaining({ myAcceptedAt: expect.any(String) })]);
    expect(bens.json).not.toMatch(/accepted[AB]|declinedBy/);
    const sofias = await exportOf(sofia);
    expect(sofias.data.intros).toEqual([expect.objectContaining({ myAcceptedAt: null })]);
    expect(sofias.json).not.toMatch(/accepted[AB]|declinedBy/);
  });

  it('the privacy migration strips the decliner from notices stored before it', async () => {
    const sql = readFileSync(
      join(import.meta.dirname, '../../prisma/migrations/20261204170000_privacy/migration.sql'),
      'utf8',
    );
    const notice = (key: string, payload: object) =>
      prisma().prompt.create({
        data: { workspaceId: TEAM_ID, kind: 'intro_closed', key, userId: anna, payload, dueAt: clock.now() },
      });
    await notice('intro_closed:old', { introId: 'i1', outcome: 'declined', declinedBy: sofia });
    await notice('intro_closed:new', { introId: 'i2', outcome: 'expired' });
    await prisma().$executeRawUnsafe(sql);
    const rows = await prisma().prompt.findMany({ orderBy: { key: 'asc' } });
    expect(rows.map((r) => r.payload)).toEqual([
      { introId: 'i2', outcome: 'expired' },
      { introId: 'i1', outcome: 'declined' },
    ]);
  });
});

describe('/intro forget', () => {
  it('asks for confirmation first and deletes nothing until the button is clicked', async () => {
    await seedBensLife();
    const before = await rowCounts(world);
    const { reply } = await intro(world, ben, 'forget');
    expect(reply.response_type).toBe('ephemeral');
    expect(said(reply)).toContain(ACTIONS.forgetConfirm);
    expect(said(reply)).toContain('"confirm"');
    expect(await rowCounts(world)).toEqual(before);
  });

  it('leaves no row mentioning the caller; the gives they received stay for their givers, anonymised', async () => {
    await seedBensLife();
    expect((await rowsMentioning(world, ben)).length).toBeGreaterThan(10);
    const receivedBefore = await prisma().give.findMany({ where: { receiverId: ben } });
    expect(receivedBefore).toHaveLength(2);

    const r = await click(world, { userId: ben, actionId: ACTIONS.forgetConfirm, value: 'forget' });
    expect(r.status).toBe(200);
    expect(r.posted.replace_original).toBe(true);
    expect(r.posted.text).toContain('Weave deleted everything it stored about you');
    // The click itself was stored before its ack; its body is dropped once it is processed.
    await world.app.inflight.drain(5000);

    expect(await rowsMentioning(world, ben), (await rowsMentioning(world, ben)).join('\n')).toEqual([]);
    // Gives Ben received stay for their givers, without him; gives he gave are gone.
    const anonymised = await prisma().give.findMany({
      where: { id: { in: receivedBefore.map((g) => g.id) } },
    });
    expect(anonymised.map((g) => [g.giverId, g.receiverId]).sort()).toEqual(
      [
        [anna, null],
        [arjun, null],
      ].sort(),
    );
    expect(await prisma().give.count({ where: { giverId: ben } })).toBe(0);
    // Marcus's give to Arjun stays, its mention of Ben replaced.
    const marcusGive = await prisma().give.findFirstOrThrow({ where: { giverId: marcus } });
    expect(marcusGive.reason).toBe('thanks for the intro to @someone last week');
    // Other people's rows are untouched apart from Ben.
    expect((await prisma().member.findFirstOrThrow({ where: { userId: marcus } })).doNotPair).toEqual([]);
    expect(await prisma().member.count({ where: { userId: sofia } })).toBe(1);
    expect(await prisma().groupMember.count({ where: { userId: sofia } })).toBe(2);
    expect((await prisma().round.findFirstOrThrow()).unmatched).toEqual([noah]);
    const ws = await prisma().workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    expect((ws.settings as { adminIds: string[] }).adminIds).toEqual([noah]);
    expect(await prisma().intro.count()).toBe(0);
  });

  it('matches ids exactly (another id that contains theirs is untouched) and erases what was written about them', async () => {
    await seedBensLife();
    // U0BEN2 is someone else whose id starts with Ben's.
    const ben2 = `${ben}2`;
    await prisma().member.create({
      data: { workspaceId: TEAM_ID, userId: ben2, name: 'ben2', doNotPair: [sofia] },
    });
    const g = await prisma().give.create({
      data: {
        workspaceId: TEAM_ID,
        giverId: ben2,
        receiverId: sofia,
        reason: `with <@${ben2}|ben2> and ${ben2}`,
        source: 'command',
        sourceKey: `cmd:9.9:${ben2}`,
      },
    });
    const notice = await prisma().prompt.create({
      data: {
        workspaceId: TEAM_ID,
        kind: 'intro_closed',
        key: `intro_closed:x:${ben2}`,
        userId: sofia,
        payload: { about: ben2, text: `<@${ben2}>` },
        dueAt: clock.now(),
      },
    });
    const introGroup = await prisma().group.findFirstOrThrow({ where: { kind: 'intro' } });
    expect(introGroup.reasons).toEqual(['you both like jazz']);
    // Slack inputs that failed to process keep their body: one names Ben, one only Ben's longer-id namesake.
    const inboxFor = (key: string, who: string) =>
      prisma().inboxItem.create({
        data: {
          workspaceId: TEAM_ID,
          key,
          kind: 'event',
          status: 'failed',
          body: { event: { type: 'message', user: sofia, text: `thanks <@${who}> :gift:` } },
        },
      });
    const aboutBen = await inboxFor('Ev0BEN', ben);
    const aboutBen2 = await inboxFor('Ev0BEN2', ben2);

    await click(world, { userId: ben, actionId: ACTIONS.forgetConfirm, value: 'forget' });

    expect(await prisma().inboxItem.findUnique({ where: { id: aboutBen.id } })).toBeNull();
    expect(await prisma().inboxItem.findUnique({ where: { id: aboutBen2.id } })).not.toBeNull();

    expect(await prisma().give.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({
      giverId: ben2,
      reason: `with <@${ben2}|ben2> and ${ben2}`,
      sourceKey: `cmd:9.9:${ben2}`,
    });
    expect(await prisma().prompt.findUnique({ where: { id: notice.id } })).not.toBeNull();
    expect((await prisma().member.findFirstOrThrow({ where: { userId: ben2 } })).doNotPair).toEqual([sofia]);
    // The intro's reason was copied into its group and into Anna's intro give to Sofia: gone from both.
    expect((await prisma().group.findUniqueOrThrow({ where: { id: introGroup.id } })).reasons).toEqual([]);
    const introGive = await prisma().give.findFirstOrThrow({ where: { source: 'intro', receiverId: sofia } });
    expect(introGive.reason).toBe(`Introduced @someone and <@${sofia}>`);
    const everything = JSON.stringify(
      await Promise.all([prisma().give.findMany(), prisma().group.findMany(), prisma().prompt.findMany()]),
    );
    expect(everything).not.toContain('you both like jazz');
    // The forget click itself was stored in the inbox; its body goes once the worker has finished with it.
    await waitUntil(async () => (await prisma().inboxItem.count({ where: { status: 'sending' } })) === 0);
    expect(await rowsMentioning(world, `"${ben}"`)).toEqual([]);
  });
});
