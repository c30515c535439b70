import { request } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWeave, type Weave } from '../../src/app.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { TestClock } from '../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { FAKE_BOT_TOKEN, GENERAL_CHANNEL_ID, TEAM_ID, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { createSlackClient, type SlackClient, signRequest, slackEvents } from '../support/signer.ts';
import { FAST_RATE_LIMITS, testConfig } from '../support/test-app.ts';

// Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
const EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const BODY_LIMIT = 1024 * 1024;
/** Put in every refused body: it must never show up in a log line. */
const BODY_MARKER = 'BODY-MARKER-7f3a9c';

/** Every log line the app writes, as text. */
class LogSink {
  lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  clear(): void {
    this.lines = [];
  }
  matching(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }
}

const clock = new TestClock('2026-11-25T12:00:00Z');
const sink = new LogSink();
let fake: FakeSlack;
let testDb: TestDatabase;
let log: Logger;
let app: Weave;
let appUrl: string;
let slack: SlackClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  testDb = await createTestDatabase();
  // The app verifies with Slack's example secret, and logs everything (debug) into the sink.
  const config = testConfig(fake, testDb.config, {
    SLACK_SIGNING_SECRET: EXAMPLE.secret,
    LOG_LEVEL: 'debug',
  });
  log = createLogger('debug', sink);
  app = await createWeave(config, log, { clock, manualScheduler: true, rateLimits: FAST_RATE_LIMITS });
  const { port } = await app.start();
  appUrl = `http://127.0.0.1:${port}`;
  slack = createSlackClient({ appUrl, signingSecret: EXAMPLE.secret, teamId: TEAM_ID, fake });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await testDb?.drop();
});
beforeEach(() => {
  sink.clear();
  fake.reset();
});

const verify = (o: {
  body?: string;
  timestamp?: number;
  signature?: string;
  secret?: string;
  nowMs?: number;
}) =>
  verifySlackRequest({
    signingSecret: o.secret ?? EXAMPLE.secret,
    body: o.body ?? EXAMPLE.body,
    headers: {
      'x-slack-signature': o.signature ?? EXAMPLE.signature,
      'x-slack-request-timestamp': o.timestamp ?? EXAMPLE.timestamp,
    },
    nowMilliseconds: o.nowMs ?? EXAMPLE.timestamp * 1000,
  });

/** Flips one character of `s` at `index` (to another character of the same kind). */
const flip = (s: string, index: number) =>
  `${s.slice(0, index)}${s[index] === 'a' ? 'b' : 'a'}${s.slice(index + 1)}`;

async function post(
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

/** POSTs `size` bytes in 64 KB chunks without a Content-Length (chunked), as a client streaming a body. */
function postChunked(size: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${appUrl}/slack/events`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The app may answer and close before the whole body is sent: the answer is what counts.
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe("Slack's documented example request, through Bolt's own verifier", () => {
  it('is accepted at the time it was signed and up to five minutes later', () => {
    expect(() => verify({})).not.toThrow();
    expect(() => verify({ nowMs: (EXAMPLE.timestamp + 5 * 60) * 1000 })).not.toThrow();
  });

  it('is rejected when one character of the body, timestamp, signature or secret changes, or when replayed after five minutes', () => {
    const paramsAt = EXAMPLE.body.indexOf('text=');
    expect(() => verify({ body: `${EXAMPLE.body}&x=1` })).toThrow(/signature mismatch/);
    expect(() => verify({ body: EXAMPLE.body.replace('text=', 'text=a') })).toThrow(/signature mismatch/);
    expect(() => verify({ body: flip(EXAMPLE.body, paramsAt - 2) })).toThrow(/signature mismatch/);
    expect(() => verify({ timestamp: EXAMPLE.timestamp + 1 })).toThrow(/signature mismatch/);
    expect(() => verify({ signature: flip(EXAMPLE.signature, 10) })).toThrow(/signature mismatch/);
    expect(() => verify({ signature: EXAMPLE.signature.replace('v0=', 'v1=') })).toThrow(/version/);
    expect(() => verify({ secret: flip(EXAMPLE.secret, 0) })).toThrow(/signature mismatch/);
    expect(() => verify({ nowMs: (EXAMPLE.timestamp + 5 * 60 + 1) * 1000 })).toThrow(/stale/);
  });

  it("is accepted byte for byte by the running app's receiver at the example's time, and a tampered copy is refused", async () => {
    // Only Date is faked (timers stay real): the receiver checks staleness against Date.now().
    vi.useFakeTimers({ toFake: ['Date'], now: EXAMPLE.timestamp * 1000 + 30_000 });
    try {
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(EXAMPLE.timestamp),
        'x-slack-signature': EXAMPLE.signature,
      };
      const tampered = await post(EXAMPLE.body.replace('user_id=U2CERLKJA', 'user_id=U2CERLKJB'), headers);
      expect(tampered.status).toBe(401);
      // Weave has no /webhook-collect: it still answers 200 (an empty ack), not Bolt's 404 after 3 s.
      const accepted = await post(EXAMPLE.body, headers);
      expect(accepted.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    // The verified request reached the middleware, which saw its team is not the one this token belongs
    // to (single-token mode) and stored nothing; the tampered one never got that far.
    await app.inflight.drain(5000);
    const reached = sink.matching(/not installed in; ignored/);
    expect(reached).toHaveLength(1);
    expect(reached[0]).toContain('T1DC2JH3J');
    expect(await app.db.prisma.workspace.findUnique({ where: { id: 'T1DC2JH3J' } })).toBeNull();
  });
});

describe('requests the running app refuses', () => {
  const event = (text: string, ts = '1800000000.000100') =>
    JSON.stringify({
      token: 'verification-token',
      team_id: TEAM_ID,
      api_app_id: 'A0WEAVE',
      type: 'event_callback',
      event_id: `Ev${ts.replace('.', '')}`,
      event_time: 1800000000,
      event: slackEvents.message({ userId: USER_IDS.anna, channelId: GENERAL_CHANNEL_ID, text, ts }),
    });
  const giveText = `:gift: <@${USER_IDS.ben}> thanks for the review ${BODY_MARKER}`;

  it('refuses unsigned requests, a missing timestamp, a v1 signature and a signature of another body with 401, and runs nothing', async () => {
    const body = event(giveText);
    const signed = signRequest(EXAMPLE.secret, body);
    const json = { 'content-type': 'application/json' };
    const cases: Array<Record<string, string>> = [
      json,
      { ...json, 'x-slack-signature': signed['X-Slack-Signature'] },
      { ...json, 'x-slack-request-timestamp': signed['X-Slack-Request-Timestamp'] },
      { ...json, ...signed, 'X-Slack-Signature': signed['X-Slack-Signature'].replace('v0=', 'v1=') },
      { ...json, ...signRequest(EXAMPLE.secret, event(giveText, '1800000000.000200')) },
      {
        ...json,
        ...signed,
        'X-Slack-Request-Timestamp': String(Number(signed['X-Slack-Request-Timestamp']) + 1),
      },
    ];
    for (const headers of cases) expect((await post(body, headers)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await app.db.prisma.give.count()).toBe(0);
    expect(await app.db.prisma.processedEvent.count()).toBe(0);
    expect(fake.callsTo('*')).toHaveLength(0);
  });

  it('refuses a request signed more than five minutes in the future with 401, like a stale one, and runs nothing', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const body = event(giveText, '1800000000.000300');
    const json = { 'content-type': 'application/json' };
    // Correctly signed, but for a moment 5 min 30 s (and a day) ahead: replayable until then, so refused.
    for (const ahead of [330, 86_400]) {
      expect(
        (await post(body, { ...json, ...signRequest(EXAMPLE.secret, body, nowSec + ahead) })).status,
      ).toBe(401);
    }
    // Stale by as much: refused too (Bolt's own check).
    expect((await post(body, { ...json, ...signRequest(EXAMPLE.secret, body, nowSec - 330) })).status).toBe(
      401,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(await app.db.prisma.processedEvent.count()).toBe(0);
    // (Bolt's start-up auth.test may land here when this test runs alone.)
    expect(fake.callsTo('*').filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('answers a body over the 1 MB limit with 413 whether its length is announced or streamed, and keeps serving', async () => {
    const big = event(`${giveText} ${'x'.repeat(BODY_LIMIT)}`);
    const res = await post(big, { 'content-type': 'application/json', ...signRequest(EXAMPLE.secret, big) });
    expect(res.status).toBe(413);
    const streamed = await postChunked(4 * BODY_LIMIT, {
      'content-type': 'application/json',
      ...signRequest(EXAMPLE.secret, 'whatever'),
    });
    expect(streamed).toBe(413);
    // Unsigned and oversized: refused for its size before anything else is read.
    expect((await post(big, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(413);
    // Just under the limit, signed: handled as usual (a message without mentions records nothing).
    const under = event(`hello ${'y'.repeat(BODY_LIMIT - 2000)}`, '1800000000.000300');
    expect(under.length).toBeLessThan(BODY_LIMIT);
    const ok = await post(under, {
      'content-type': 'application/json',
      ...signRequest(EXAMPLE.secret, under),
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${appUrl}/healthz`)).status).toBe(200);
    expect(await app.db.prisma.give.count()).toBe(0);
  });

  it('logs each refused request as a warning without its body, and a signed but unreadable body without its contents', async () => {
    const body = event(giveText);
    const json = { 'content-type': 'application/json' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const refused: Array<{ body: string; headers: Record<string, string>; status: number }> = [
      { body, headers: { ...json, ...signRequest('not-the-secret', body) }, status: 401 },
      {
        body,
        headers: { ...json, ...signRequest(EXAMPLE.secret, body, clock.now().getTime() / 1000 - 3600) },
        status: 401,
      },
      { body, headers: json, status: 401 },
    ];
    const oversized = event(`${giveText} ${'x'.repeat(BODY_LIMIT)}`);
    refused.push({
      body: oversized,
      headers: { ...json, ...signRequest(EXAMPLE.secret, oversized) },
      status: 413,
    });
    // Signed, so they pass verification, but not JSON / not a payload: 400, 401 or 200 are all fine, 5xx not.
    for (const broken of [
      `{"type":"event_callback","text":"${BODY_MARKER}`,
      `${BODY_MARKER} is not JSON`,
      `payload=%7B${BODY_MARKER}`,
      `payload=${BODY_MARKER}`,
    ]) {
      const headers = broken.startsWith('payload=') ? form : json;
      refused.push({
        body: broken,
        headers: { ...headers, ...signRequest(EXAMPLE.secret, broken) },
        status: -1,
      });
    }
    for (const r of refused) {
      const res = await post(r.body, r.headers);
      if (r.status === -1) expect(res.status).toBeLessThan(500);
      else expect(res.status).toBe(r.status);
      expect(res.text).not.toContain(BODY_MARKER);
    }
    await new Promise((r) => setTimeout(r, 100));
    const warnings = sink.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 40);
    expect(warnings.length).toBeGreaterThanOrEqual(refused.length);
    const leaked = sink.matching(new RegExp(`${BODY_MARKER}|${BODY_MARKER.slice(0, 8)}|:gift:|x{20}`));
    expect(leaked).toEqual([]);
    // No signature headers either.
    expect(sink.matching(/v0=[0-9a-f]{16}/)).toEqual([]);
  });
});

describe('secrets in logs', () => {
  it('never writes the bot token or the signing secret, whatever is logged (debug level, a full give flow, Slack errors)', async () => {
    // A give through a slash command and a message, its DM delivered, and Slack failing a few calls.
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    fake.failNext('conversations.open', { status: 500 });
    const res = await slack.command('/give', `<@${USER_IDS.ben}> thanks for the careful code review`, {
      userId: USER_IDS.anna,
      channelId: GENERAL_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    await slack.event(
      slackEvents.message({
        userId: USER_IDS.priya,
        channelId: GENERAL_CHANNEL_ID,
        text: `:gift: <@${USER_IDS.liam}> thanks for the onboarding notes`,
      }),
    );
    await waitUntil(async () => (await app.db.prisma.prompt.count({ where: { kind: 'give_dm' } })) === 2);
    for (
      let i = 0;
      i < 5 && (await app.db.prisma.prompt.count({ where: { status: 'pending' } })) > 0;
      i += 1
    ) {
      await app.scheduler.run('deliver');
      clock.advance(60_000);
    }
    expect(fake.callsTo('chat.postMessage', (a) => String(a.text).includes('thanked you'))).toHaveLength(3);
    // Whatever a careless caller hands the logger: by key, nested, inside a message.
    log.warn(
      { token: FAKE_BOT_TOKEN, botToken: FAKE_BOT_TOKEN, config: { auth: { botToken: FAKE_BOT_TOKEN } } },
      'x',
    );
    log.warn({ req: { headers: { authorization: `Bearer ${FAKE_BOT_TOKEN}` } } }, 'request');
    log.warn({ install: { access_token: FAKE_BOT_TOKEN, signingSecret: EXAMPLE.secret } }, 'install');
    log.error(`calling Slack with ${FAKE_BOT_TOKEN} failed`);
    log.child({ component: 'bolt' }).info('token xoxp-1234-5678-abcdef and xapp-1-A0-123-abc seen');

    expect(sink.lines.length).toBeGreaterThan(10);
    expect(sink.matching(/redacted/).length).toBeGreaterThanOrEqual(5);
    expect(sink.matching(new RegExp(`${FAKE_BOT_TOKEN}|${EXAMPLE.secret}|xox[abposr]-|xapp-`))).toEqual([]);
  });
});
