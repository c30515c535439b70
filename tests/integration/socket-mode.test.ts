import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { enableSocketMode, type SocketModeLink } from '../support/fake-socket-mode.ts';
import { FAKE_BOT_TOKEN, PAIRS_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../support/process.ts';

let fake: FakeSlack;
let db: TestDatabase;
let proc: RunningProcess;
let link: SocketModeLink;
let port: number;

beforeAll(async () => {
  fake = await startFakeSlack();
  db = await createTestDatabase();
  const connected = enableSocketMode(fake);
  port = await freePort();
  proc = startProcess({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_APP_TOKEN: 'xapp-1-A0WEAVE-fake',
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...(db.config.kind === 'postgres' ? { DATABASE_URL: db.config.url } : { DATA_DIR: db.config.dataDir }),
  });
  link = await connected;
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
});
afterAll(async () => {
  proc?.child.kill('SIGTERM');
  await proc?.exited;
  link?.close();
  await fake?.close();
  await db?.drop();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects over a WebSocket without a signing secret, and serves /healthz and /readyz on PORT', async () => {
    expect(proc.output()).toContain('"mode":"socket"');
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-A0WEAVE-fake');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });

  it('answers /intro help sent as a Socket Mode envelope, in the ack', async () => {
    link.send({
      envelope_id: 'env-intro-help',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'x',
        team_id: TEAM_ID,
        team_domain: 'acme',
        channel_id: PAIRS_CHANNEL_ID,
        channel_name: 'coffee',
        user_id: USER_IDS.ben,
        user_name: 'ben',
        command: '/intro',
        text: 'help',
        api_app_id: 'A0WEAVE',
        response_url: fake.responseUrl('socket'),
        trigger_id: '1.2.3',
      },
    });
    const ack = await link.ackFor('env-intro-help', 10_000);
    expect(JSON.stringify(ack.payload)).toContain('/intro find');
  });
});
