import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.ts';
import { BOT_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { createSlackClient, slackEvents } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld } from '../support/test-app.ts';

// Two workspaces installed side by side, with the same user and channel ids (the hardest case for
// isolation): nothing of one may ever appear in the other.
const OTHER = 'T0OTHER2';
const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { ben, priya, anna } = USER_IDS;

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
});
