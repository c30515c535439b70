import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { openDashboard } from '../support/dashboard.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  GENERAL_CHANNEL_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
} from '../support/fake-workspace.ts';
import { people, seedGive, seedMembers, seedProgram, seedRound } from '../support/network-history.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// k-anonymity end to end: a department of two people ("Zeta"), and a department pair connected only by
// one pair of people seven times (Engineering ↔ Sales), must not show in the admin Home, on the dashboard
// or in a recap; a recap built from fewer than 3 people is not posted.

// Friday 20 Nov 2026, 16:30 Berlin: the recap slot (16:00) has just passed.
const clock = new TestClock('2026-11-20T15:30:00Z');
const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(clock.now().getTime() - n * DAY_MS);
const ZETA = 'Tiny Team Zeta';
let world: TestWorld;
let adminSection = '';
let dashboard = '';

beforeAll(async () => {
  world = await startWorld({ clock });
  const prisma = world.db.prisma;
  await seedMembers(
    prisma,
    [
      { userId: ADMIN_USER_ID, department: 'Engineering', isAdmin: true },
      ...people('Engineering', 5, 'U4ENG'),
      ...people('Sales', 4, 'U4SAL'),
      ...people('Support', 3, 'U4SUP'),
      ...people(ZETA, 2, 'U4ZET'),
    ],
    clock.now(),
  );
  const pairs = await seedProgram(prisma, { channelId: PAIRS_CHANNEL_ID, createdAt: daysAgo(40) });
  const general = await seedProgram(prisma, { channelId: GENERAL_CHANNEL_ID, createdAt: daysAgo(40) });
  // A program's channel has Weave in it (Slack refuses posts elsewhere: not_in_channel).
  world.fake.setChannelMembers(GENERAL_CHANNEL_ID, [
    ...world.fake.channelMembers(GENERAL_CHANNEL_ID),
    BOT_USER_ID,
  ]);
  // #coffee this week: only Engineering 1 and Sales 1 met (2 people) → no recap, meet rate not shown.
  await seedRound(prisma, {
    programId: pairs.id,
    number: 1,
    at: daysAgo(4),
    groups: [
      { members: ['U4ENG001', 'U4SAL001'], metAt: daysAgo(2) },
      { members: ['U4ENG005', 'U4SAL002'], metAt: null },
      { members: ['U4SUP001', 'U4SAL003'], metAt: null },
    ],
  });
  // The same two people also thanked each other six times: 7 connections, still 2 people.
  for (let i = 0; i < 6; i += 1) {
    await seedGive(prisma, {
      giverId: i % 2 ? 'U4ENG001' : 'U4SAL001',
      receiverId: i % 2 ? 'U4SAL001' : 'U4ENG001',
      kind: 'help',
      at: daysAgo(10 + i),
      key: `pair-${i}`,
    });
  }
  // #general earlier: Zeta's two people met five different engineers (a cell with 7 people, but a
  // department of 2); this week three Engineering ↔ Support pairs met.
  await seedRound(prisma, {
    programId: general.id,
    number: 1,
    at: daysAgo(20),
    groups: [
      { members: ['U4ZET001', 'U4ENG001'], metAt: daysAgo(18) },
      { members: ['U4ZET001', 'U4ENG002'], metAt: daysAgo(18) },
      { members: ['U4ZET002', 'U4ENG003'], metAt: daysAgo(18) },
      { members: ['U4ZET002', 'U4ENG004', 'U4ENG005'], metAt: daysAgo(18) },
    ],
  });
  await seedRound(prisma, {
    programId: general.id,
    number: 2,
    at: daysAgo(4),
    groups: [
      { members: ['U4ENG002', 'U4SUP001'], metAt: daysAgo(3) },
      { members: ['U4ENG003', 'U4SUP002'], metAt: daysAgo(3) },
      { members: ['U4ENG004', 'U4SUP003'], metAt: daysAgo(2) },
    ],
  });

  // The admin Home and the dashboard it links to.
  await world.slack.event(slackEvents.appHomeOpened(ADMIN_USER_ID));
  await world.fake.waitFor('views.publish', (args) => args.user_id === ADMIN_USER_ID);
  const blocks = (world.fake.homeView(ADMIN_USER_ID)?.blocks ?? []) as unknown[];
  const json = JSON.stringify(blocks);
  adminSection = json.slice(json.indexOf('Admin: programs and network'));
  const link =
    (blocks as Array<{ elements?: Array<{ action_id?: string; url?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTIONS.openDashboard)?.url ?? '';
  const opened = await openDashboard(world.url, link);
  expect(opened.page?.status).toBe(200);
  dashboard = opened.html;
});
afterAll(async () => {
  await world?.close();
});

describe('no figure built from fewer than 3 people appears anywhere', () => {
  it('admin Home: the 2-person department is never named, the 2-person pair is locked and uncounted', () => {
    expect(adminSection.length).toBeGreaterThan(100);
    expect(adminSection).not.toContain('Zeta');
    expect(adminSection).toContain('1 department with fewer than 3 people left out');
    expect(adminSection).toContain('Engineering ↔ Sales: a few connections (fewer than 3 people)');
    expect(adminSection).toContain('Sales ↔ Support: never connected');
    expect(adminSection).not.toMatch(/\b7 connections\b/);
    // Heatmap rows: Engineering (6), Sales (4), Support (3). Within Engineering only one pair (in a trio
    // with Zeta) and Engineering ↔ Sales only one pair: both locked; Engineering ↔ Support (6 people) shown.
    const rows = /Who connects with whom[^\\]*\\n([^"]+)"/.exec(adminSection)?.[1]?.split('\\n') ?? [];
    expect(rows[0]).toBe('1️⃣2️⃣3️⃣');
    expect(rows[1]).toBe('🔒🔒🟥  1️⃣ Engineering (6)');
    expect(rows[2]).toBe('🔒⬜⬜  2️⃣ Sales (4)');
    // #coffee's round: 6 people took part, but only one pair met — its meet rate is not shown.
    expect(adminSection).toContain('Round 1: 6 people in 3 groups, meet rate not shown');
  });

  it('dashboard: no Zeta, the pair cell is hidden and every shown cell has 3 or more people behind it', () => {
    expect(dashboard).not.toContain('Zeta');
    expect(dashboard).toContain('1 smaller department (fewer than 3 people) left out.');
    const cells = [
      ...dashboard.matchAll(/<rect class="cell" data-status="(\w+)"[^>]*><title>([^<]+)<\/title>/g),
    ];
    expect(cells).toHaveLength(9);
    const pair = cells.find((c) => c[2]?.startsWith('Engineering ↔ Sales'));
    expect(pair?.[1]).toBe('hidden');
    expect(pair?.[2]).toBe('Engineering ↔ Sales: fewer than 3 people, not shown');
    // Titles give no count of the people behind a cell, labels no exact size of a small department.
    for (const [, , title] of cells) expect(title).not.toMatch(/connections \(\d+ people\)/);
    expect(dashboard).not.toMatch(/\((\d) people\)/);
    expect(dashboard).not.toMatch(/\b7 connections\b/);
    // Gives: all "help" gives came from the same two people → hidden.
    expect(dashboard).toMatch(/data-status="hidden" data-kind="help"/);
    // Meet rate of #coffee's round (one pair met) has no figure.
    expect(dashboard).toContain('Round 1: 6 people, meet rate not shown yet');
  });

  it('dashboard: the hidden department is left out of the trend and the gives too (no subtraction)', () => {
    // Zeta's week (18 days ago: 5 connections with engineers, nothing else) would show in the trend,
    // and trend minus heatmap would be Zeta's figure. It is not counted anywhere.
    const trend = /<svg[^>]*data-chart="trend"[\s\S]*?<\/svg>/.exec(dashboard)?.[0] ?? '';
    const titles = [...trend.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1] ?? '');
    expect(titles.length).toBeGreaterThan(10);
    expect(titles.join('\n')).not.toMatch(/\b5 connections\b/);
    // Only this week is shown: three Engineering ↔ Support meetings and one Engineering ↔ Sales (8 people).
    const shown = titles.filter((t) => /\d+ connections/.test(t));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/: 4 connections$/);
  });

  it('recap: posted where 6 people met, not posted where only 2 did; never twice', async () => {
    const first = await world.app.scheduler.run('recap');
    expect(first).toEqual({ ok: true, summary: { scheduled: 2 } });
    await world.app.scheduler.run('deliver');
    const general = world.fake.messagesIn(GENERAL_CHANNEL_ID).map((m) => m.text);
    expect(general).toEqual(['6 people met across 2 departments this week.']);
    expect(world.fake.messagesIn(PAIRS_CHANNEL_ID)).toEqual([]);
    const skipped = await world.db.prisma.prompt.findFirst({
      where: {
        workspaceId: TEAM_ID,
        kind: 'program_recap',
        status: 'sent',
        result: { path: ['skipped'], equals: 'fewer than 3 people met' },
      },
    });
    expect(skipped).not.toBeNull();

    expect(await world.app.scheduler.run('recap')).toEqual({ ok: true, summary: { scheduled: 0 } });
    await world.app.scheduler.run('deliver');
    expect(world.fake.messagesIn(GENERAL_CHANNEL_ID)).toHaveLength(1);
  });

  it('recap: an admin who turned it off gets none', async () => {
    await world.db.prisma.program.updateMany({ where: { workspaceId: TEAM_ID }, data: { recap: false } });
    clock.set('2026-11-27T15:30:00Z');
    expect(await world.app.scheduler.run('recap')).toEqual({ ok: true, summary: { scheduled: 0 } });
  });
});
