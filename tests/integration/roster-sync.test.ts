import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BULK_SYNC_MIN } from '../../src/services/members.ts';
import { TestClock } from '../support/clock.ts';
import { BOT_USER_ID, generateUsers, PAIRS_CHANNEL_ID, TEAM_ID } from '../support/fake-workspace.ts';
import { inviteWeave } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// A channel seen for the first time is read from Slack in bulk (users.list), not person by person
// (users.info at 100 a minute would hold a 5,000-person channel's first round back for an hour).

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const prisma = () => world.db.prisma;
const PEOPLE = 120;

beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  // 120 users.profile.get in one go exceed Tier 4 (100 a minute); the pacer spreads them in production
  // (tests run it unthrottled, see FAST_RATE_LIMITS) and pacing is tested in tests/unit/slack/pacer.test.ts.
  world.fake.relax('rateLimits');
});

async function bigChannel(extraIds: string[] = []) {
  const users = generateUsers(PEOPLE, { idPrefix: 'U7R', departments: ['Engineering', 'Sales', 'Design'] });
  world.fake.addUser(...users);
  world.fake.setChannelMembers(PAIRS_CHANNEL_ID, [...users.map((u) => u.id), ...extraIds, BOT_USER_ID]);
  await inviteWeave(world);
  world.fake.clearCalls();
  const program = await prisma().program.findFirstOrThrow({ where: { workspaceId: TEAM_ID } });
  const outcome = await world.app.rounds.runNow(program);
  expect(outcome.status).toBe('ran');
  return users;
}

describe('reading a large channel for its first round', () => {
  it('uses users.list for everyone, and users.profile.get only for the custom department field', async () => {
    expect(PEOPLE).toBeGreaterThan(BULK_SYNC_MIN);
    const users = await bigChannel();
    expect(world.fake.callsTo('users.list').length).toBeGreaterThanOrEqual(1);
    expect(world.fake.callsTo('users.info')).toHaveLength(0);
    expect(world.fake.callsTo('users.profile.get')).toHaveLength(PEOPLE);
    const members = await prisma().member.findMany({ where: { userId: { startsWith: 'U7R' } } });
    expect(members).toHaveLength(PEOPLE);
    const byId = new Map(members.map((m) => [m.userId, m]));
    for (const u of users) {
      expect(byId.get(u.id)).toMatchObject({ slackDepartment: u.department, tz: u.tz, realName: u.realName });
    }
    expect(await prisma().group.count()).toBe(PEOPLE / 2);
  });

  it('needs no per-person call at all when the department is the profile title', async () => {
    await prisma().workspace.upsert({
      where: { id: TEAM_ID },
      create: { id: TEAM_ID, settings: { departmentField: 'title' } },
      update: { settings: { departmentField: 'title' } },
    });
    await bigChannel();
    expect(world.fake.callsTo('users.info')).toHaveLength(0);
    expect(world.fake.callsTo('users.profile.get')).toHaveLength(0);
    const member = await prisma().member.findFirstOrThrow({ where: { userId: 'U7R00001' } });
    expect(member.slackDepartment).toBe('Engineering Specialist');
  });

  it('an org-wide install (whose token needs team_id on users.list) still reads the channel with users.list', async () => {
    // Slack refuses users.list without team_id from an org token; the handler plays that token.
    world.fake.setHandler('users.list', (args) =>
      args.team_id ? undefined : { ok: false, error: 'missing_argument' },
    );
    await prisma().workspace.upsert({
      where: { id: TEAM_ID },
      create: { id: TEAM_ID, settings: { departmentField: 'title' } },
      update: { settings: { departmentField: 'title' } },
    });
    await bigChannel();
    const lists = world.fake.callsTo('users.list');
    expect(lists.length).toBeGreaterThanOrEqual(1);
    expect(lists.every((c) => c.ok && c.args.team_id === TEAM_ID)).toBe(true);
    expect(world.fake.callsTo('users.info')).toHaveLength(0);
    expect(await prisma().member.count({ where: { userId: { startsWith: 'U7R' } } })).toBe(PEOPLE);
  });

  it('someone in the channel but missing from the list is asked for alone (and marked gone if Slack says so)', async () => {
    await bigChannel(['U7RGONE01']);
    expect(world.fake.callsTo('users.info').map((c) => c.args.user)).toEqual(['U7RGONE01']);
    const gone = await prisma().member.findFirstOrThrow({ where: { userId: 'U7RGONE01' } });
    expect(gone.isDeleted).toBe(true);
    expect(await prisma().groupMember.count({ where: { userId: 'U7RGONE01' } })).toBe(0);
  });
});
