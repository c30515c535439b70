import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { TestClock } from '../support/clock.ts';
import { openDashboard } from '../support/dashboard.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { createSlackClient, slackEvents } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld } from '../support/test-app.ts';

// Two workspaces installed side by side, with the same user and channel ids (the hardest case for
// isolation): nothing of one may ever appear in the other.
const OTHER = 'T0OTHER2';
const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { ben, priya, anna, sofia } = USER_IDS;
const KUDOS = 'C0KUDOS';

beforeAll(async () => {
  world = await startWorld({
    clock,
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 's',
      SLACK_STATE_SECRET: 'state-secret',
      ENCRYPTION_KEY: 'tenancy-test-key-0123456789-abcdefghijk',
    },
  });
});
afterAll(async () => {
  await world?.close();
});

async function install(code: string) {
  const start = await fetch(`${world.url}/slack/install`, { redirect: 'manual' });
  const state = new URL(String(start.headers.get('location'))).searchParams.get('state');
  const cookie = String(start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${world.url}/slack/oauth_redirect?code=${code}&state=${state}`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
}

const clientFor = (teamId: string) =>
  createSlackClient({ appUrl: world.url, signingSecret: SIGNING_SECRET, teamId, fake: world.fake });

describe('two workspaces side by side', () => {
  it('keep every row, reply, Home and export to themselves', async () => {
    world.fake.addOAuthCode('code-one', { accessToken: 'xoxb-team-one' });
    world.fake.addOAuthCode('code-two', {
      accessToken: 'xoxb-team-two',
      teamId: OTHER,
      teamName: 'Other Co',
    });
    await install('code-one');
    await install('code-two');
    const one = clientFor(TEAM_ID);
    const two = clientFor(OTHER);

    // Workspace one: gives with a recognisable reason, a program and a round.
    for (let i = 0; i < 5; i += 1) {
      await one.command('/give', `<@${priya}> SECRET-ONE thanks for the review number ${i}`, {
        userId: ben,
        channelId: PAIRS_CHANNEL_ID,
      });
    }
    await world.fake.waitForCount('response_url', 5);
    await one.event(slackEvents.memberJoinedChannel(BOT_USER_ID, PAIRS_CHANNEL_ID, anna));
    await waitUntil(
      async () => (await world.db.prisma.program.count({ where: { workspaceId: TEAM_ID } })) === 1,
    );
    // Workspace one's welcome (it reads the channel's members first) is out before workspace two's turn.
    await waitUntil(
      async () =>
        (await world.db.prisma.prompt.count({
          where: { workspaceId: TEAM_ID, kind: 'program_welcome', status: 'sent' },
        })) === 1,
    );

    // Workspace two: the same giver is not capped by workspace one's 5 gives today.
    world.fake.clearCalls();
    const res = await two.command('/give', `<@${priya}> thanks for helping us in team two`, {
      userId: ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    const [reply] = (await world.fake.waitForCount('response_url', 1)).map((c) => c.args);
    expect(res.status).toBe(200);
    expect(String(reply?.text)).toContain('thanks <@');
    expect(await world.db.prisma.give.count({ where: { workspaceId: OTHER } })).toBe(1);

    // Workspace two has no program in #coffee: the channel of the same id in workspace one doesn't count.
    const preview = await two.command('/intro', 'preview', { userId: anna, channelId: PAIRS_CHANNEL_ID });
    const previewText =
      JSON.stringify(preview.body) + JSON.stringify(world.fake.callsTo('response_url').map((c) => c.args));
    expect(previewText).not.toContain('Preview of the round');

    // Home and export of ben in workspace two show nothing of workspace one.
    world.fake.clearCalls();
    await two.event(slackEvents.appHomeOpened(ben));
    const publish = await world.fake.waitFor('views.publish');
    expect(publish.token).toBe('xoxb-team-two');
    expect(JSON.stringify(publish.args.view)).not.toContain('SECRET-ONE');
    expect(JSON.stringify(publish.args.view)).toContain('team two');

    await two.command('/intro', 'data', { userId: ben, channelId: PAIRS_CHANNEL_ID });
    await world.app.scheduler.run('deliver');
    const exported = world.fake.callsTo('chat.postMessage').filter((c) => c.token === 'xoxb-team-two');
    expect(exported.length).toBeGreaterThan(0);
    const exportText = JSON.stringify(exported.map((c) => c.args));
    expect(exportText).toContain('team two');
    expect(exportText).not.toContain('SECRET-ONE');
    expect(world.fake.callsTo('*').filter((c) => c.token === 'xoxb-team-one')).toHaveLength(0);

    // Every stored row belongs to exactly one of the two workspaces, and workspace two's rows were made
    // only by workspace two's requests.
    for (const table of ['Member', 'Give', 'Prompt', 'Program', 'ProcessedEvent', 'Installation'] as const) {
      const rows = await world.db.prisma.$queryRawUnsafe<Array<{ w: string }>>(
        `SELECT "workspaceId" AS w FROM "${table}"`,
      );
      for (const r of rows) expect([TEAM_ID, OTHER]).toContain(r.w);
    }
    const otherGives = await world.db.prisma.give.findMany({ where: { workspaceId: OTHER } });
    expect(otherGives.every((g) => !g.reason.includes('SECRET-ONE'))).toBe(true);
  });

  it('keep their digests and dashboards to themselves', async () => {
    // Continues from the test above: both installed; workspace one holds five #help gives "SECRET-ONE".
    const one = clientFor(TEAM_ID);
    const two = clientFor(OTHER);
    world.fake.addChannel({ id: KUDOS, name: 'kudos', members: [ben, priya, anna, sofia, BOT_USER_ID] });
    clock.set('2026-11-26T10:00:00Z');
    const before = await world.db.prisma.give.count({ where: { workspaceId: OTHER } });
    for (const [giver, receiver] of [
      [anna, priya],
      [sofia, ben],
      [ben, anna],
    ] as const) {
      await two.command('/give', `<@${receiver}> #expertise SECRET-TWO explained the data model`, {
        userId: giver,
        channelId: PAIRS_CHANNEL_ID,
      });
    }
    await waitUntil(
      async () => (await world.db.prisma.give.count({ where: { workspaceId: OTHER } })) === before + 3,
    );
    for (const id of [TEAM_ID, OTHER]) {
      const ws = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id } });
      await world.db.prisma.workspace.update({
        where: { id },
        data: { settings: { ...(ws.settings as object), digestChannelId: KUDOS } as object },
      });
    }

    // Digests: each workspace's, with its own token, quoting only its own thanks.
    world.fake.clearCalls();
    clock.set('2026-11-28T02:00:00Z'); // Friday 16:00 has passed in every time zone used here
    expect((await world.app.scheduler.run('digest')).ok).toBe(true);
    await world.app.scheduler.run('deliver');
    const digestBy = (token: string) =>
      world.fake
        .callsTo('chat.postMessage', (a) => String(a.text).startsWith('Weekly thank-you digest'))
        .filter((c) => c.token === token)
        .map((c) => JSON.stringify(c.args));
    const [digestOne, ...moreOne] = digestBy('xoxb-team-one');
    const [digestTwo, ...moreTwo] = digestBy('xoxb-team-two');
    expect(moreOne).toHaveLength(0);
    expect(moreTwo).toHaveLength(0);
    expect(digestOne).toContain('SECRET-ONE');
    expect(digestOne).not.toContain('SECRET-TWO');
    expect(digestTwo).toContain('SECRET-TWO');
    expect(digestTwo).not.toContain('SECRET-ONE');

    // Dashboards: each admin's link opens their own workspace's figures. Only workspace two has
    // #expertise gives (three, among four people); workspace one has none.
    const dashboardOf = async (client: ReturnType<typeof clientFor>, token: string) => {
      world.fake.clearCalls();
      await client.event(slackEvents.appHomeOpened(ADMIN_USER_ID));
      const publish = await world.fake.waitFor('views.publish', (a) => a.user_id === ADMIN_USER_ID);
      expect(publish.token).toBe(token);
      const blocks = ((publish.args.view as { blocks?: unknown[] }).blocks ?? []) as Array<{
        elements?: Array<{ action_id?: string; url?: string }>;
      }>;
      const link = blocks
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTIONS.openDashboard)?.url;
      expect(link).toBeTruthy();
      const opened = await openDashboard(world.url, String(link));
      expect(opened.page?.status).toBe(200);
      return opened.html;
    };
    const expertiseBar = (html: string) =>
      /<rect class="bar[^"]*" data-status="(\w+)" data-kind="expertise"[^>]*><title>([^<]*)<\/title>/.exec(
        html,
      );
    const htmlOne = await dashboardOf(one, 'xoxb-team-one');
    const htmlTwo = await dashboardOf(two, 'xoxb-team-two');
    expect(expertiseBar(htmlOne)?.[1]).toBe('none');
    // One of the three names someone from a department with fewer than 3 people in that workspace: left
    // out of every dashboard figure (issue 13), so two are counted.
    expect(expertiseBar(htmlTwo)?.slice(1)).toEqual(['shown', 'shared expertise: 2']);
    expect(htmlOne).not.toContain('Other Co');
  });
});
