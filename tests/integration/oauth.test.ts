import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeave } from '../../src/app.ts';
import { rotateKeys } from '../../src/cli/rotate-keys.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { SecretBox } from '../../src/persistence/crypto.ts';
import { TestClock } from '../support/clock.ts';
import { BOT_USER_ID, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { createSlackClient } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld, testConfig } from '../support/test-app.ts';

const ENCRYPTION_KEY = 'test-encryption-key-0123456789-abcdefgh';
const OAUTH_ENV = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: '1234.5678',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'state-secret-for-tests',
  ENCRYPTION_KEY,
};
const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;

beforeAll(async () => {
  world = await startWorld({ clock, env: OAUTH_ENV });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
});

/** Walks Slack's install flow against the app: /slack/install, then the redirect back with `code`. */
async function install(code: string, opts: { state?: string } = {}) {
  const start = await fetch(`${world.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(String(start.headers.get('location')));
  expect(location.pathname).toBe('/oauth/v2/authorize');
  const state = opts.state ?? String(location.searchParams.get('state'));
  const cookie = String(start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(
    `${world.url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    {
      headers: { cookie },
      redirect: 'manual',
    },
  );
}

const rows = () => world.db.prisma.installation.findMany({ orderBy: { installedAt: 'asc' } });
const box = new SecretBox(ENCRYPTION_KEY);

describe('OAuth installs', () => {
  it('installs through /slack/install and oauth.v2.access, storing the bot token encrypted', async () => {
    world.fake.addOAuthCode('code-1', { accessToken: 'xoxb-first-install-token' });
    const res = await install('code-1');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Weave is installed');
    const access = world.fake.lastCall('oauth.v2.access');
    expect(access?.args.code).toBe('code-1');
    const [row] = await rows();
    expect(row).toMatchObject({
      installKey: `T:${TEAM_ID}`,
      workspaceId: TEAM_ID,
      isEnterpriseInstall: false,
    });
    // The column holds ciphertext, never the token; it decrypts to the token.
    const raw = await world.db.prisma.$queryRaw<
      Array<{ t: string }>
    >`SELECT "tokenCiphertext" AS t FROM "Installation"`;
    expect(raw[0]?.t).not.toContain('xoxb');
    expect(box.decrypt(String(raw[0]?.t), `T:${TEAM_ID}`)).toBe('xoxb-first-install-token');

    // Requests from the installed workspace are authorised with the stored token.
    const reply = await world.slack.command('/intro', 'help', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('/intro find');
  });

  it('refuses a redirect whose state does not match, storing nothing', async () => {
    world.fake.addOAuthCode('code-2', { accessToken: 'xoxb-never-stored' });
    const res = await install('code-2', { state: 'forged-state' });
    expect(res.status).toBe(400);
    expect(await rows()).toHaveLength(0);
    expect(world.fake.callsTo('oauth.v2.access')).toHaveLength(0);
  });

  it('an unknown code ends on a friendly 400 page, not a 5xx', async () => {
    const res = await install('code-that-slack-does-not-know');
    expect(res.status).toBe(400);
    expect(await rows()).toHaveLength(0);
  });

  it('a reinstall replaces the token and the app uses the new one', async () => {
    world.fake.addOAuthCode('code-a', { accessToken: 'xoxb-old-token' });
    world.fake.addOAuthCode('code-b', { accessToken: 'xoxb-new-token' });
    expect((await install('code-a')).status).toBe(200);
    expect((await install('code-b')).status).toBe(200);
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(box.decrypt(String(all[0]?.tokenCiphertext), `T:${TEAM_ID}`)).toBe('xoxb-new-token');
    world.fake.clearCalls();
    await world.slack.command('/give', `<@${USER_IDS.priya}> thanks for the thorough review`, {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    await world.fake.waitFor('users.info');
    expect(world.fake.callsTo('users.info').every((c) => c.token === 'xoxb-new-token')).toBe(true);
  });

  it('an Enterprise Grid org-wide install serves the workspaces of the org', async () => {
    world.fake.addOAuthCode('code-org', {
      accessToken: 'xoxb-org-token',
      teamId: null,
      enterpriseId: 'E0ACME',
      enterpriseName: 'Acme Corp',
      isEnterpriseInstall: true,
    });
    expect((await install('code-org')).status).toBe(200);
    const [row] = await rows();
    expect(row).toMatchObject({ installKey: 'E:E0ACME', isEnterpriseInstall: true, workspaceId: 'E0ACME' });
    const orgClient = createSlackClient({
      appUrl: world.url,
      signingSecret: SIGNING_SECRET,
      teamId: TEAM_ID,
      fake: world.fake,
      enterpriseId: 'E0ACME',
    });
    const reply = await orgClient.command('/intro', 'help', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('/intro find');
  });

  it('app_uninstalled deletes the token at once and the data after the grace period', async () => {
    world.fake.addOAuthCode('code-u', { accessToken: 'xoxb-to-be-removed' });
    await install('code-u');
    await world.slack.command('/give', `<@${USER_IDS.priya}> thanks for the thorough review`, {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    await world.fake.waitFor('response_url');
    expect(await world.db.prisma.give.count()).toBe(1);
    const res = await world.slack.event({ type: 'app_uninstalled', event_ts: '1700000000.000001' });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await rows())[0]?.tokenCiphertext)
      await new Promise((r) => setTimeout(r, 25));
    expect((await rows())[0]).toMatchObject({ tokenCiphertext: null, dataCiphertext: null });
    const ws = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    expect(ws.purgeAfter?.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    clock.set(new Date(clock.now().getTime() + 29 * 86_400_000));
    await world.app.scheduler.run('purge-uninstalled');
    expect(await world.db.prisma.give.count()).toBe(1);
    clock.set(new Date(clock.now().getTime() + 2 * 86_400_000));
    await world.app.scheduler.run('purge-uninstalled');
    expect(await world.db.prisma.give.count()).toBe(0);
    expect(await world.db.prisma.workspace.count()).toBe(0);
    expect(await world.db.prisma.installation.count()).toBe(0);
  });

  it('tokens_revoked: a revoked user token changes nothing; the bot token revoked deletes it at once, and a reinstall cancels the deletion', async () => {
    world.fake.addOAuthCode('code-r', { accessToken: 'xoxb-to-be-revoked' });
    await install('code-r');
    await world.slack.command('/give', `<@${USER_IDS.priya}> thanks for the thorough review`, {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    await world.fake.waitFor('response_url');
    expect(await world.db.prisma.give.count()).toBe(1);
    // Something waiting to go out later (a check-in due tomorrow).
    await world.db.prisma.prompt.create({
      data: {
        workspaceId: TEAM_ID,
        kind: 'checkin',
        key: 'checkin:later',
        dueAt: new Date(clock.now().getTime() + 86_400_000),
      },
    });

    // Only a user's token (Weave stores none): the installation stays as it is.
    const userOnly = await world.slack.event({
      type: 'tokens_revoked',
      tokens: { oauth: [USER_IDS.ben] },
      event_ts: '1700000000.000002',
    });
    expect(userOnly.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await rows())[0]?.tokenCiphertext).not.toBeNull();
    expect(
      (await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: TEAM_ID } })).purgeAfter,
    ).toBeNull();

    const revoked = await world.slack.event({
      type: 'tokens_revoked',
      tokens: { bot: [BOT_USER_ID] },
      event_ts: '1700000000.000003',
    });
    expect(revoked.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await rows())[0]?.tokenCiphertext)
      await new Promise((r) => setTimeout(r, 25));
    expect((await rows())[0]).toMatchObject({ tokenCiphertext: null, dataCiphertext: null });
    expect((await rows())[0]?.revokedAt).not.toBeNull();
    const ws = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    expect(ws.purgeAfter?.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    // Nothing more goes out for the workspace: what was waiting is cancelled.
    expect(await world.db.prisma.prompt.count({ where: { status: 'pending' } })).toBe(0);
    expect((await world.db.prisma.prompt.findFirstOrThrow({ where: { key: 'checkin:later' } })).status).toBe(
      'cancelled',
    );

    // Installing again within the grace period keeps the data.
    world.fake.addOAuthCode('code-r2', { accessToken: 'xoxb-back-again' });
    expect((await install('code-r2')).status).toBe(200);
    const back = await world.db.prisma.workspace.findUniqueOrThrow({ where: { id: TEAM_ID } });
    expect(back.purgeAfter).toBeNull();
    expect(box.decrypt(String((await rows())[0]?.tokenCiphertext), `T:${TEAM_ID}`)).toBe('xoxb-back-again');
    clock.set(new Date(clock.now().getTime() + 40 * 86_400_000));
    await world.app.scheduler.run('purge-uninstalled');
    expect(await world.db.prisma.give.count()).toBe(1);
  });

  it('rotates keys: both keys read, `keys:rotate` re-encrypts under the newest, then the old key can go', async () => {
    world.fake.addOAuthCode('code-rot', { accessToken: 'xoxb-rotate-me' });
    await install('code-rot');
    const stored = async () => String((await rows())[0]?.tokenCiphertext);
    expect(await stored()).toMatch(/^v2:default:/);
    const NEW_KEY = 'the-newest-encryption-key-0123456789-xyz';
    const both = [
      { id: 'k2', secret: NEW_KEY },
      { id: 'default', secret: ENCRYPTION_KEY },
    ];
    // Both keys listed, the new one first: the app starts and reads the value written with the old one.
    const bothConfig = testConfig(world.fake, world.testDb.config, {
      ...OAUTH_ENV,
      ENCRYPTION_KEY: `k2:${NEW_KEY},default:${ENCRYPTION_KEY}`,
    });
    await (
      await createWeave(bothConfig, createLogger('silent'), { db: world.db, clock, manualScheduler: true })
    ).stop();
    expect(await rotateKeys(world.db.prisma, both)).toEqual({ keyId: 'k2', rewritten: 1, current: 0 });
    expect(await stored()).toMatch(/^v2:k2:/);
    expect(new SecretBox([{ id: 'k2', secret: NEW_KEY }]).decrypt(await stored(), `T:${TEAM_ID}`)).toBe(
      'xoxb-rotate-me',
    );
    // Run again: nothing left to do.
    expect(await rotateKeys(world.db.prisma, both)).toEqual({ keyId: 'k2', rewritten: 0, current: 1 });
    // The old key alone no longer opens anything; the new one alone does.
    const oldOnly = testConfig(world.fake, world.testDb.config, OAUTH_ENV);
    await expect(createWeave(oldOnly, createLogger('silent'), { db: world.db, clock })).rejects.toThrow(
      /ENCRYPTION_KEY does not open/,
    );
    const newOnly = testConfig(world.fake, world.testDb.config, {
      ...OAUTH_ENV,
      ENCRYPTION_KEY: `k2:${NEW_KEY}`,
    });
    await (
      await createWeave(newOnly, createLogger('silent'), { db: world.db, clock, manualScheduler: true })
    ).stop();
  });

  it('a wrong ENCRYPTION_KEY fails loudly at start-up, not later', async () => {
    world.fake.addOAuthCode('code-k', { accessToken: 'xoxb-key-check' });
    await install('code-k');
    const config = testConfig(world.fake, world.testDb.config, {
      ...OAUTH_ENV,
      ENCRYPTION_KEY: 'a-completely-different-key-0123456789',
    });
    await expect(createWeave(config, createLogger('silent'), { db: world.db, clock })).rejects.toThrow(
      /ENCRYPTION_KEY does not open/,
    );
  });
});
