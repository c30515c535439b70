import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import { TEAM_ID } from '../support/fake-workspace.ts';
import { inviteWeave, seedPairingChannel } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// One department identity: profile fields are free text, so spellings of one department must count as one
// everywhere (matching and the heatmap here), and an admin's merge must change both.

const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
const NINE = [
  'Engineering',
  'engineering ',
  'ENGINEERING',
  'Sales',
  'sales',
  'Design',
  'design',
  'Finance',
  'People',
];
let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  world.fake.reset();
  clock.set('2026-11-25T12:00:00Z');
});

/** The departments (raw Slack spellings) of each group of the latest round. */
async function groupsByDepartment(spelling: Map<string, string>): Promise<string[][]> {
  const groups = await world.db.prisma.group.findMany({ include: { members: true } });
  return groups.map((g) => g.members.map((m) => spelling.get(m.userId) ?? '?'));
}

async function departmentsInMatrix(): Promise<string[]> {
  const m = await world.app.stats.matrix(TEAM_ID, { from: new Date(0), to: clock.now() });
  return [...m.departments.keys()].sort();
}

async function runFirstRound(): Promise<void> {
  await inviteWeave(world);
  clock.set(FIRST_ROUND);
  expect(await world.app.scheduler.run('rounds')).toEqual({ ok: true, summary: { ran: 1, outcomes: 1 } });
}

describe('department identity', () => {
  it('9 people spelling 5 departments 9 ways: no group holds two of one department, the heatmap has 5', async () => {
    const ids = seedPairingChannel(world, 9, NINE);
    const spelling = new Map(ids.map((id, i) => [id, NINE[i] as string]));
    await runFirstRound();
    for (const members of await groupsByDepartment(spelling)) {
      const keys = members.map((d) => d.trim().toLowerCase());
      expect(new Set(keys).size, `group ${members.join(' / ')}`).toBe(keys.length);
    }
    expect(await departmentsInMatrix()).toEqual(['Design', 'Engineering', 'Finance', 'People', 'Sales']);
  });

  it('a merge of "ENG" and "Eng." into "Engineering" changes matching and the heatmap', async () => {
    const depts = ['Engineering', 'ENG', 'Eng.', 'Sales', 'Sales', 'Sales'];
    const ids = seedPairingChannel(world, 6, depts);
    await inviteWeave(world);
    const program = await world.db.prisma.program.findFirstOrThrow();
    await world.app.rounds.preview(program); // reads everyone's profile; nothing is sent
    expect(await departmentsInMatrix()).toEqual(['Eng.', 'Engineering', 'Sales']);
    await world.db.prisma.workspace.update({
      where: { id: TEAM_ID },
      data: { settings: { departmentMerges: { eng: 'Engineering' } } },
    });
    expect(await departmentsInMatrix()).toEqual(['Engineering', 'Sales']);
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    // Three engineers and three in Sales: with the merge every pair is Engineering + Sales.
    const engineering = new Set(ids.slice(0, 3));
    const groups = await world.db.prisma.group.findMany({ include: { members: true } });
    expect(groups).toHaveLength(3);
    for (const g of groups) {
      expect(g.members.filter((m) => engineering.has(m.userId))).toHaveLength(1);
    }
  });
});
