import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import {
  ADMIN_USER_ID,
  FAKE_BOT_TOKEN,
  GENERAL_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { freePort, startProcess, waitForHttp } from '../support/process.ts';
import { createSlackClient, slackEvents } from '../support/signer.ts';

// From outside: the real process at LOG_LEVEL=debug, its whole stdout/stderr captured, while an admin
// opens the dashboard and a member asks for their data. Nothing secret or personal may reach the log.
const SECRET = 'log-privacy-signing-secret-0123456789';
/** Written in a give's reason: it travels in a DM, the export and the digest, never in a log line. */
const MARKER = 'MARKER-private-reason-5e1f';
let fake: FakeSlack;
let testDb: TestDatabase;

beforeAll(async () => {
  fake = await startFakeSlack();
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await fake?.close();
  await testDb?.drop();
});

describe('logs at debug level', () => {
  it('hold no token, secret, dashboard link, session cookie, message body or data export', async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const proc = startProcess({
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      PUBLIC_URL: appUrl,
      LOG_LEVEL: 'debug',
      SCHEDULER_TICK_SECONDS: '1',
      ...(testDb.config.kind === 'postgres'
        ? { DATABASE_URL: testDb.config.url }
        : { DATA_DIR: testDb.config.dataDir }),
    });
    let link = '';
    let cookie = '';
    try {
      await waitForHttp(`${appUrl}/healthz`, proc);
      const slack = createSlackClient({ appUrl, signingSecret: SECRET, teamId: TEAM_ID, fake });
      // A give (its "thanked you" DM carries the reason), then /intro data (the export goes out by DM).
      const give = await slack.command('/give', `<@${USER_IDS.ben}> ${MARKER} for the review`, {
        userId: USER_IDS.anna,
        channelId: GENERAL_CHANNEL_ID,
      });
      expect(give.status).toBe(200);
      await fake.waitFor('chat.postMessage', (a) => String(a.text).includes('thanked you'), {
        timeoutMs: 20_000,
      });
      const data = await slack.command('/intro', 'data', {
        userId: USER_IDS.anna,
        channelId: GENERAL_CHANNEL_ID,
      });
      expect(data.status).toBe(200);
      await fake.waitFor('chat.postMessage', (a) => String(a.text).includes('Weave stores about you'), {
        timeoutMs: 20_000,
      });
      // The admin's Home, its dashboard link, the page.
      await slack.event(slackEvents.appHomeOpened(ADMIN_USER_ID));
      const publish = await fake.waitFor('views.publish', (a) => a.user_id === ADMIN_USER_ID, {
        timeoutMs: 20_000,
      });
      const blocks = ((publish.args.view as { blocks?: unknown[] }).blocks ?? []) as Array<{
        elements?: Array<{ action_id?: string; url?: string }>;
      }>;
      link = String(
        blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.openDashboard)?.url,
      );
      const opened = await fetch(link, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const page = await fetch(`${appUrl}${opened.headers.get('location')}`, { headers: { cookie } });
      expect(page.status).toBe(200);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
    const out = proc.output();
    expect(out).toContain('"level":20'); // debug lines were written
    expect(out).toContain('dashboard opened');
    expect(out).toContain('data export queued');
    const token = new URL(link).searchParams.get('t') ?? 'no-token';
    const session = cookie.split('=')[1] ?? 'no-session';
    const leaks = {
      botToken: out.includes(FAKE_BOT_TOKEN),
      slackTokenShape: /xox[a-z]*[.-][A-Za-z0-9]/.test(out),
      signingSecret: out.includes(SECRET),
      dashboardLink: out.includes(token) || out.includes(token.split('.')[1] ?? token),
      sessionCookie: out.includes(session),
      messageBody: out.includes(MARKER),
      dataExport: /Weave stores about you|givesGiven|exportedAt/.test(out),
    };
    expect(leaks).toEqual({
      botToken: false,
      slackTokenShape: false,
      signingSecret: false,
      dashboardLink: false,
      sessionCookie: false,
      messageBody: false,
      dataExport: false,
    });
  });
});
