import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import { TEAM_ID, USER_IDS } from '../../support/fake-workspace.ts';
import { computeSignature, createSlackClient, signRequest, slackEvents } from '../../support/signer.ts';

// Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const SECRET = 'unit-test-secret';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the app: records requests, checks signatures, answers 200 JSON (or 401 if unsigned/bad). */
let received: Received[] = [];
let appUrl = '';
let fake: FakeSlack;
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ path: req.url ?? '', headers: req.headers, body });
    const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
    const valid = req.headers['x-slack-signature'] === computeSignature(SECRET, ts, body);
    res.writeHead(valid ? 200 : 401, { 'content-type': valid ? 'application/json' : 'text/plain' });
    res.end(valid ? JSON.stringify({ ok: true }) : 'bad signature');
  });
});

beforeAll(async () => {
  fake = await startFakeSlack();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fake.close();
  app.closeAllConnections();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

function lastReceived(): Received {
  const r = received.at(-1);
  if (!r) throw new Error('nothing received');
  return r;
}

describe('signRequest', () => {
  it("matches Slack's documented example", () => {
    expect(computeSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    expect(signRequest(DOC_SECRET, DOC_BODY, DOC_TIMESTAMP)).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': DOC_SIGNATURE,
    });
  });

  it('defaults the timestamp to now', () => {
    const headers = signRequest(SECRET, 'x');
    expect(Math.abs(Number(headers['X-Slack-Request-Timestamp']) - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('createSlackClient', () => {
  const slack = () => createSlackClient({ appUrl, signingSecret: SECRET, teamId: TEAM_ID, fake });

  it('sends slash commands form-encoded like Slack, with a fake response URL', async () => {
    received = [];
    const res = await slack().command('/intro', 'hello world', {
      userId: USER_IDS.ben,
      channelId: 'C0PAIRS',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const req = lastReceived();
    expect(req.path).toBe('/slack/events');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    expect([...form.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(form.get('command')).toBe('/intro');
    expect(form.get('text')).toBe('hello world');
    expect(form.get('team_id')).toBe(TEAM_ID);
    expect(form.get('response_url')).toBe(res.responseUrl);
    expect(res.responseUrl.startsWith(fake.url)).toBe(true);
    expect(form.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
  });

  it('sends event_callback envelopes with unique ids and retry headers', async () => {
    received = [];
    const a = await slack().event(slackEvents.appHomeOpened(USER_IDS.ben));
    const b = await slack().event({ type: 'team_join', user: { id: 'U0NEW' } }, { retryNum: 1 });
    expect(a.eventId).not.toBe(b.eventId);
    const [first, second] = received;
    const envelope = JSON.parse(first?.body ?? '{}');
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: TEAM_ID,
      event: { type: 'app_home_opened', user: USER_IDS.ben },
      authorizations: [{ team_id: TEAM_ID, user_id: 'U0WEAVEBOT', is_bot: true }],
    });
    expect(first?.headers['x-slack-retry-num']).toBeUndefined();
    expect(second?.headers['x-slack-retry-num']).toBe('1');
    expect(second?.headers['x-slack-retry-reason']).toBe('http_timeout');
  });

  it('sends interactivity payloads as payload=<json>', async () => {
    received = [];
    const client = slack();
    await client.action(
      client.blockAction({
        userId: USER_IDS.ben,
        actionId: 'intro_accept',
        value: '42',
        channelId: 'D0X',
        messageTs: '1.2',
      }),
    );
    const payload = JSON.parse(new URLSearchParams(lastReceived().body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: USER_IDS.ben },
      team: { id: TEAM_ID },
      actions: [{ action_id: 'intro_accept', value: '42', type: 'button' }],
      container: { type: 'message', channel_id: 'D0X', message_ts: '1.2' },
    });
    expect(payload.response_url.startsWith(fake.url)).toBe(true);

    const submission = client.viewSubmission({
      userId: USER_IDS.ben,
      callbackId: 'give_modal',
      values: {
        what: { what_input: 'An hour of mentoring' },
        who: { who_select: { type: 'users_select', selected_user: 'U0MAIA' } },
      },
      privateMetadata: '{"x":1}',
    });
    expect(submission).toMatchObject({
      type: 'view_submission',
      view: {
        callback_id: 'give_modal',
        private_metadata: '{"x":1}',
        state: {
          values: {
            what: { what_input: { type: 'plain_text_input', value: 'An hour of mentoring' } },
            who: { who_select: { type: 'users_select', selected_user: 'U0MAIA' } },
          },
        },
      },
    });
    const res = await client.action(submission);
    expect(res.status).toBe(200);
  });

  it('signs url_verification and lets raw/old-timestamp requests through unsigned or stale', async () => {
    received = [];
    const client = slack();
    await client.urlVerification('abc');
    expect(JSON.parse(lastReceived().body)).toMatchObject({ type: 'url_verification', challenge: 'abc' });

    const stale = Math.floor(Date.now() / 1000) - 600;
    await client.command('/give', '', { userId: USER_IDS.ben, channelId: 'C0PAIRS', timestampSec: stale });
    expect(lastReceived().headers['x-slack-request-timestamp']).toBe(String(stale));

    const tampered = await client.raw('token=x&text=hi', {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...signRequest(SECRET, 'token=x&text=bye'),
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body).toBe('bad signature');
  });
});
