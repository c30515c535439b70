import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INTRO_BLOCKS as B, CALLBACKS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { ADMIN_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID } from '../support/fake-workspace.ts';
import { finalReply, inviteWeave, seedPairingChannel } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
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

describe('/intro admin departments', () => {
  const openModal = async () => {
    const res = await world.slack.command('/intro', 'admin departments', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(await finalReply(world, res)).toContain('Opened the departments');
    const view = world.fake.lastCall('views.open')?.args.view;
    expect(view?.callback_id).toBe(CALLBACKS.departments);
    return view as { blocks: Array<Record<string, unknown>>; private_metadata: string };
  };
  const submit = async (values: Record<string, string | Record<string, unknown>>, metadata: string) => {
    world.fake.clearCalls();
    const res = await world.slack.action(
      world.slack.viewSubmission({
        userId: ADMIN_USER_ID,
        callbackId: CALLBACKS.departments,
        privateMetadata: metadata,
        values: Object.fromEntries(Object.entries(values).map(([id, v]) => [id, { [id]: v }])) as never,
      }),
    );
    expect(res.status).toBe(200);
    return res;
  };
  const summary = async (): Promise<string> => {
    const call = await world.fake.waitFor('chat.postMessage', (a) =>
      String(a.text).startsWith('*Departments*'),
    );
    return String(call.args.text);
  };
  const source = (value: string) => ({ type: 'static_select', selected_option: { value } });

  it('lists the departments with counts and the people matched as unknown; a merge applies to matching', async () => {
    const ids = seedPairingChannel(world, 6, ['Engineering', 'ENG', null, 'Sales', 'Sales', 'Sales']);
    await inviteWeave(world);
    await world.app.rounds.preview(await world.db.prisma.program.findFirstOrThrow());
    // The welcome and the admin Home say where departments come from and how many people have none.
    await world.app.scheduler.run('deliver');
    const welcome = world.fake.callsTo('chat.postMessage', (a) => a.channel === PAIRS_CHANNEL_ID);
    // (Posted at once, before the first round has read anyone's profile: it says so.)
    expect(JSON.stringify(welcome.at(-1)?.args.blocks)).toMatch(
      /Departments come from the profile field labelled Department.*reads everyone’s profile before the first round/,
    );
    await world.slack.event(slackEvents.appHomeOpened(ADMIN_USER_ID));
    await world.fake.waitFor('views.publish');
    expect(JSON.stringify(world.fake.homeView(ADMIN_USER_ID)?.blocks)).toContain(
      '3 departments, 1 person matched as unknown',
    );
    const view = await openModal();
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Sales*: 3 people');
    expect(text).toContain('*Engineering*: 2 people'); // with the admin
    expect(text).toContain('*ENG*: 1 person');
    expect(text).toContain(`<@${ids[2]}>`);
    expect(text).toMatch(/1 person is matched as unknown/);

    await submit(
      {
        [B.departmentsMergeFrom]: { type: 'multi_static_select', selected_options: [{ value: 'eng' }] },
        [B.departmentsMergeInto]: 'Engineering',
        [B.departmentsSource]: source('field:auto'),
      },
      view.private_metadata,
    );
    expect(await summary()).toContain('Merged “ENG” into *Engineering*');
    const settings = (await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: TEAM_ID } })).settings;
    expect(settings).toMatchObject({ departmentMerges: { eng: 'Engineering' } });
  });

  it('refuses a merge without a name under the field, and changes nothing', async () => {
    const res = await submit(
      {
        [B.departmentsMergeFrom]: { type: 'multi_static_select', selected_options: [{ value: 'eng' }] },
        [B.departmentsSource]: source('field:auto'),
      },
      JSON.stringify({ source: 'field' }),
    );
    expect(res.body).toMatchObject({
      response_action: 'errors',
      errors: { [B.departmentsMergeInto]: expect.any(String) },
    });
  });

  it('Slack user groups as the source: each chosen group is a department, used by matching', async () => {
    const ids = seedPairingChannel(world, 6, [null]);
    world.fake.setHandler('usergroups.list', () => ({
      ok: true,
      usergroups: [
        { id: 'S0PLATFORM', name: 'Platform', handle: 'platform', users: ids.slice(0, 3) },
        { id: 'S0REVENUE', name: 'Revenue', handle: 'revenue', users: ids.slice(3) },
        { id: 'S0EVERYONE', name: 'Everyone', handle: 'all', users: ids },
      ],
    }));
    await inviteWeave(world);
    await world.app.scheduler.run('deliver'); // the welcome
    const view = await openModal();
    expect(JSON.stringify(view.blocks)).toContain('Platform (@platform, 3)');
    await submit(
      {
        [B.departmentsSource]: source('usergroups'),
        [B.departmentsGroups]: {
          type: 'multi_static_select',
          selected_options: [{ value: 'S0PLATFORM' }, { value: 'S0REVENUE' }],
        },
      },
      view.private_metadata,
    );
    expect(await summary()).toContain('Slack user groups (2 chosen) (6 people in the chosen groups)');
    clock.set(FIRST_ROUND);
    await world.app.scheduler.run('rounds');
    const platform = new Set(ids.slice(0, 3));
    const groups = await world.db.prisma.group.findMany({ include: { members: true } });
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g.members.filter((m) => platform.has(m.userId))).toHaveLength(1);
    expect(await departmentsInMatrix()).toEqual(['Platform', 'Revenue']);
  });

  it('a CSV with unmatched and malformed rows is reported line by line and changes nothing; a clean one applies', async () => {
    const ids = seedPairingChannel(world, 4, ['Engineering', 'Engineering', 'Sales', 'Sales']);
    await inviteWeave(world);
    await world.app.scheduler.run('deliver'); // the welcome
    const emails = ids.map((id) =>
      String((world.fake.getUser(id)?.profile as { email?: string } | undefined)?.email),
    );
    const before = await world.db.prisma.member.findMany({ orderBy: { userId: 'asc' } });
    await submit(
      {
        [B.departmentsSource]: source('csv'),
        [B.departmentsCsv]: `email,department\n${emails[0]}, Research\nnobody@elsewhere.example, Sales\n${emails[1]}\n${ids[2]}, Research`,
      },
      JSON.stringify({ source: 'field' }),
    );
    const report = await summary();
    expect(report).toContain('Nothing from the CSV was applied');
    expect(report).toContain('line 3: nobody@elsewhere.example matches nobody');
    expect(report).toContain('line 4: needs two columns');
    expect(await world.db.prisma.member.findMany({ orderBy: { userId: 'asc' } })).toEqual(before);

    await submit(
      {
        [B.departmentsSource]: source('csv'),
        [B.departmentsCsv]: `${emails[0]}, Research\n${emails[1]},research\n${ids[2]};Support\n${ids[3]}\tSupport`,
      },
      JSON.stringify({ source: 'field' }),
    );
    expect(await summary()).toContain('Applied the CSV: 4 people have a department');
    expect(await departmentsInMatrix()).toEqual(['Research', 'Support']);
    // A later profile sync keeps the CSV's departments.
    await world.db.prisma.member.updateMany({ data: { profileSyncedAt: null } });
    await world.app.rounds.preview(await world.db.prisma.program.findFirstOrThrow());
    expect(await departmentsInMatrix()).toEqual(['Research', 'Support']);
  });
});
