import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { validateView } from '../support/fake-slack.ts';
import { ADMIN_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { people, seedGive, seedMembers, seedProgram, seedRound } from '../support/network-history.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(clock.now().getTime() - n * DAY_MS);
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

type Block = {
  type: string;
  text?: { text: string };
  elements?: unknown[];
  accessory?: Record<string, unknown>;
};

/** Opens the Home tab as `userId`; returns the published view's blocks and all its text. */
async function openHome(userId: string) {
  world.fake.clearCalls();
  const res = await world.slack.event(slackEvents.appHomeOpened(userId));
  expect(res.status).toBe(200);
  const call = await world.fake.waitFor('views.publish', (args) => args.user_id === userId);
  expect(call.ok).toBe(true);
  const view = world.fake.homeView(userId);
  expect(validateView(view, 'home')).toEqual([]);
  const blocks = (view?.blocks ?? []) as Block[];
  const json = JSON.stringify(blocks);
  const actionIds = [...json.matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);
  return { blocks, json, actionIds };
}

describe('App Home on app_home_opened', () => {
  it('shows a new member what happens next, and no admin section', async () => {
    const { json, actionIds } = await openHome(USER_IDS.ben);
    expect(json).toContain('Your first intro comes with the next round');
    expect(json).toContain('not in a pairing channel yet');
    expect(actionIds).toEqual([ACTIONS.openProfile, ACTIONS.pauseToggle, ACTIONS.skip, ACTIONS.exportData]);
    expect(json).not.toContain('Admin: programs and network');
  });

  it("shows a member their round, current intro, network and gives — and nothing of the admin's", async () => {
    const program = await seedProgram(world.db.prisma, {
      channelId: PAIRS_CHANNEL_ID,
      createdAt: daysAgo(30),
    });
    await seedMembers(
      world.db.prisma,
      [
        { userId: USER_IDS.sofia, department: 'Sales' },
        { userId: USER_IDS.arjun, department: 'Design' },
      ],
      clock.now(),
    );
    await world.db.prisma.programMember.create({
      data: { workspaceId: TEAM_ID, programId: program.id, userId: USER_IDS.ben, joinedAt: daysAgo(30) },
    });
    await seedRound(world.db.prisma, {
      programId: program.id,
      number: 1,
      at: daysAgo(9),
      groups: [{ members: [USER_IDS.ben, USER_IDS.arjun], metAt: daysAgo(7) }],
    });
    await seedRound(world.db.prisma, {
      programId: program.id,
      number: 2,
      at: daysAgo(2),
      groups: [{ members: [USER_IDS.ben, USER_IDS.sofia], metAt: null }],
    });
    await seedGive(world.db.prisma, {
      giverId: USER_IDS.arjun,
      receiverId: USER_IDS.ben,
      kind: 'mentoring',
      at: daysAgo(6),
      key: 'g1',
    });

    const { json, actionIds } = await openHome(USER_IDS.ben);
    expect(json).toContain(`<#${PAIRS_CHANNEL_ID}>: next round`);
    expect(json).toContain(`*Current intro:* <@${USER_IDS.sofia}> — not met yet`);
    expect(json).toContain("You've met *2* people and reached *2* of");
    expect(json).toContain(`from <@${USER_IDS.arjun}>`);
    expect(actionIds).not.toContain(ACTIONS.openDashboard);
    expect(actionIds).not.toContain(ACTIONS.openSettings);
  });

  it('adds the admin section for a workspace admin: programs with edit buttons, heatmap, least-connected pairs, dashboard link', async () => {
    const program = await seedProgram(world.db.prisma, {
      channelId: PAIRS_CHANNEL_ID,
      createdAt: daysAgo(60),
    });
    const staff = [
      ...people('Engineering', 4, 'U5ENG'),
      ...people('Sales', 4, 'U5SAL'),
      ...people('Design', 3, 'U5DES'),
    ];
    await seedMembers(world.db.prisma, staff, clock.now());
    await seedRound(world.db.prisma, {
      programId: program.id,
      number: 1,
      at: daysAgo(14),
      groups: [
        { members: ['U5ENG001', 'U5SAL001'], metAt: daysAgo(12) },
        { members: ['U5ENG002', 'U5SAL002'], metAt: daysAgo(12) },
        { members: ['U5ENG003', 'U5SAL003'], metAt: null },
        { members: ['U5DES001', 'U5SAL004'], metAt: daysAgo(12) },
      ],
    });

    const { blocks, json, actionIds } = await openHome(ADMIN_USER_ID);
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(json).toContain('Admin: programs and network');
    const edit = blocks.find((b) => b.accessory?.action_id === ACTIONS.openSettings);
    expect(edit?.accessory?.value).toBe(program.id);
    expect(edit?.text?.text).toContain(`*<#${PAIRS_CHANNEL_ID}>*`);
    expect(edit?.text?.text).toContain('Round 1: 8 people in 4 groups, 3 of 4 met (75%)');
    expect(actionIds).toContain(ACTIONS.openDashboard);
    expect(json).toMatch(/"url":"http[^"]+\/dashboard\?t=[^"]+"/);
    expect(json).toContain('Who connects with whom');
    expect(json).toContain('Design ↔ Engineering: never connected');
    // The member part is still there, above the admin section.
    expect(json.indexOf('Your network')).toBeLessThan(json.indexOf('Admin: programs and network'));
  });

  it('treats admins named in the workspace settings as admins', async () => {
    await world.db.prisma.workspace.upsert({
      where: { id: TEAM_ID },
      create: { id: TEAM_ID, settings: { adminIds: [USER_IDS.ben] } },
      update: { settings: { adminIds: [USER_IDS.ben] } },
    });
    const { json, actionIds } = await openHome(USER_IDS.ben);
    expect(json).toContain('Admin: programs and network');
    expect(json).toContain('No pairing channel yet');
    expect(actionIds).toContain(ACTIONS.openDashboard);
  });

  it('publishes a valid Home for an admin of a workspace with 500 departments and long names', async () => {
    const long = (i: number) => `Department of Very Long Names & <Things> number ${i} ${'z'.repeat(120)}`;
    const staff = Array.from({ length: 500 }, (_, i) =>
      people(long(i), 3, `U6D${String(i).padStart(3, '0')}X`),
    ).flat();
    await seedMembers(world.db.prisma, staff, clock.now());
    for (let p = 0; p < 25; p += 1) {
      await seedProgram(world.db.prisma, {
        channelId: `C7P${String(p).padStart(3, '0')}`,
        createdAt: daysAgo(60),
      });
    }
    const { blocks, json } = await openHome(ADMIN_USER_ID);
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(json).toContain('the 8 largest of 500 departments');
    expect(json).toMatch(/…and \d+ more programs/);
    expect(json).not.toContain('<Things>');
  });
});
