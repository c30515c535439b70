import {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import {
  BOT_USER_ID,
  DELETED_USER_ID,
  DEPARTMENT_FIELD_ID,
  FAKE_BOT_TOKEN,
  GUEST_USER_ID,
  generateUsers,
  NO_DEPARTMENT_USER_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../../support/fake-workspace.ts';

let fake: FakeSlack;
let client: WebClient;

const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function webClient(f: FakeSlack, extra: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(FAKE_BOT_TOKEN, {
    slackApiUrl: f.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...extra,
  });
}

/** The promise's rejection (fails the test when it resolves). */
async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  fake = await startFakeSlack();
  client = webClient(fake);
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.reset();
});

describe('fake slack: server and identity', () => {
  it('serves the API under /api/ on 127.0.0.1', () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test as the Weave bot and records the bearer token', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      user_id: BOT_USER_ID,
      bot_id: 'B0WEAVEBOT',
      team_id: TEAM_ID,
      team: 'Acme',
    });
    expect(fake.lastCall('auth.test')?.token).toBe(FAKE_BOT_TOKEN);
  });

  it('answers unknown methods with unknown_method and records them', async () => {
    const err = await rejectionOf(client.apiCall('no.such.method'));
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect((err as WebAPIPlatformError).data.error).toBe('unknown_method');
    expect(fake.callsTo('no.such.method')).toHaveLength(1);
    expect(fake.stats.unknownMethods).toBe(1);
  });

  it('enforces tokens when requireToken is set', async () => {
    const strict = await startFakeSlack({ requireToken: true });
    try {
      await expect(webClient(strict).auth.test()).resolves.toMatchObject({ ok: true });
      const wrong = new WebClient('xoxb-wrong', {
        slackApiUrl: strict.apiUrl,
        retryConfig: { retries: 0 },
        logger: silentLogger,
      });
      const bad = await rejectionOf(wrong.auth.test());
      expect((bad as WebAPIPlatformError).data.error).toBe('invalid_auth');
      const none = new WebClient(undefined, {
        slackApiUrl: strict.apiUrl,
        retryConfig: { retries: 0 },
        logger: silentLogger,
      });
      const missing = await rejectionOf(none.auth.test());
      expect((missing as WebAPIPlatformError).data.error).toBe('not_authed');
    } finally {
      await strict.close();
    }
  });
});

describe('fake slack: directory', () => {
  it('returns users with tz, roles and the Department custom field', async () => {
    const anna = await client.users.info({ user: USER_IDS.anna });
    expect(anna.user).toMatchObject({
      id: USER_IDS.anna,
      is_admin: true,
      is_owner: true,
      tz: 'Europe/Berlin',
      profile: { real_name: 'Anna Schmidt', display_name: 'anna', title: 'Engineering Manager' },
    });
    expect(typeof anna.user?.tz_offset).toBe('number');
    expect((anna.user?.profile as { fields?: unknown } | undefined)?.fields).toMatchObject({
      [DEPARTMENT_FIELD_ID]: { value: 'Engineering', alt: '' },
    });

    const profile = await client.users.profile.get({ user: USER_IDS.priya });
    expect(profile.profile?.fields).toMatchObject({
      [DEPARTMENT_FIELD_ID]: { value: 'Engineering', alt: '' },
    });
    const kai = await client.users.profile.get({ user: NO_DEPARTMENT_USER_ID });
    expect(kai.profile?.fields).toEqual({});

    const fields = await client.team.profile.get();
    expect(fields.profile?.fields).toContainEqual(
      expect.objectContaining({ id: DEPARTMENT_FIELD_ID, label: 'Department' }),
    );
  });

  it('answers user_not_found for unknown users', async () => {
    const err = await rejectionOf(client.users.info({ user: 'U0NOBODY' }));
    expect((err as WebAPIPlatformError).data.error).toBe('user_not_found');
  });

  it('pages users.list with limit and next_cursor', async () => {
    const big = await startFakeSlack();
    try {
      big.addUser(...generateUsers(500));
      const c = webClient(big);
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await c.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        ids.push(...(page.members ?? []).map((m) => m.id ?? ''));
        cursor = page.response_metadata?.next_cursor || undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(ids).toHaveLength(515);
      expect(new Set(ids).size).toBe(515);
      const all = await c.users.list({ limit: 1000 });
      expect(all.members?.find((m) => m.id === DELETED_USER_ID)).toMatchObject({ deleted: true });
      expect(all.members?.find((m) => m.id === GUEST_USER_ID)).toMatchObject({ is_restricted: true });
      expect(all.members?.find((m) => m.id === BOT_USER_ID)).toMatchObject({ is_bot: true });
      await expect(c.users.list({ cursor: 'bm9wZQ==' })).rejects.toMatchObject({
        data: { error: 'invalid_cursor' },
      });
    } finally {
      await big.close();
    }
  });

  it('pages conversations.members', async () => {
    const first = await client.conversations.members({ channel: PAIRS_CHANNEL_ID, limit: 5 });
    expect(first.members).toHaveLength(5);
    const cursor = first.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const rest: string[] = [];
    for await (const page of client.paginate('conversations.members', {
      channel: PAIRS_CHANNEL_ID,
      limit: 5,
    })) {
      rest.push(...((page as { members?: string[] }).members ?? []));
    }
    expect(rest).toEqual(fake.channelMembers(PAIRS_CHANNEL_ID));
    expect(rest).toContain(BOT_USER_ID);
    expect(rest).toContain(DELETED_USER_ID);
    await expect(client.conversations.members({ channel: 'C0NOPE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });
});

describe('fake slack: conversations.open', () => {
  it('gives deterministic ids per sorted user set, D for 1:1 and G for groups', async () => {
    const a = await client.conversations.open({ users: `${USER_IDS.ben},${USER_IDS.sofia}` });
    const b = await client.conversations.open({ users: `${USER_IDS.sofia},${USER_IDS.ben}` });
    expect(a.channel?.id).toMatch(/^G[0-9A-F]{10}$/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(b).toMatchObject({ already_open: true, no_op: true });
    const dm = await client.conversations.open({ users: USER_IDS.ben });
    expect(dm.channel?.id).toMatch(/^D/);
    expect(dm.channel?.id).toBe(fake.conversationIdFor([USER_IDS.ben]));
    const other = await startFakeSlack();
    try {
      const again = await webClient(other).conversations.open({ users: `${USER_IDS.ben},${USER_IDS.sofia}` });
      expect(again.channel?.id).toBe(a.channel?.id);
    } finally {
      await other.close();
    }
    expect(fake.channelMembers(a.channel?.id ?? '')).toEqual(
      expect.arrayContaining([USER_IDS.ben, USER_IDS.sofia, BOT_USER_ID]),
    );
  });

  it('rejects deactivated and unknown users', async () => {
    const inactive = await rejectionOf(
      client.conversations.open({ users: `${USER_IDS.ben},${DELETED_USER_ID}` }),
    );
    expect((inactive as WebAPIPlatformError).data.error).toBe('account_inactive');
    const unknown = await rejectionOf(client.conversations.open({ users: 'U0NOBODY' }));
    expect((unknown as WebAPIPlatformError).data.error).toBe('user_not_found');
  });
});

describe('fake slack: messages', () => {
  it('records chat.postMessage with decoded blocks and unique increasing ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Meet *Ben*' } }];
    const first = await client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'Meet Ben', blocks });
    const second = await client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: '[not json] second' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: 'Meet Ben', bot_id: 'B0WEAVEBOT', blocks });
    const call = fake.callsTo('chat.postMessage')[0];
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.text).toBe('Meet Ben');
    expect(call?.token).toBe(FAKE_BOT_TOKEN);
    expect(fake.lastCall('chat.postMessage')?.args.text).toBe('[not json] second');
    expect(fake.getMessage(PAIRS_CHANNEL_ID, first.ts ?? '')?.blocks).toEqual(blocks);
  });

  it('posts to a user id via the DM, and updates, permalinks and deletes messages', async () => {
    const posted = await client.chat.postMessage({ channel: USER_IDS.maia, text: 'hi' });
    expect(posted.channel).toBe(fake.conversationIdFor([USER_IDS.maia]));
    const channel = posted.channel ?? '';
    const ts = posted.ts ?? '';
    await client.chat.update({ channel, ts, text: 'edited' });
    expect(fake.getMessage(channel, ts)?.text).toBe('edited');
    const link = await client.chat.getPermalink({ channel, message_ts: ts });
    expect(link.permalink).toContain(`/archives/${channel}/p`);
    await client.chat.delete({ channel, ts });
    await expect(client.chat.update({ channel, ts, text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('validates content like Slack (no_text, invalid_blocks)', async () => {
    await expect(client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    const header = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    await expect(
      client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 't', blocks: header }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
  });

  it('handles reactions, ephemeral messages and views', async () => {
    const posted = await client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'hi' });
    await client.reactions.add({ channel: PAIRS_CHANNEL_ID, timestamp: posted.ts ?? '', name: 'wave' });
    expect(fake.reactionsOn(PAIRS_CHANNEL_ID, posted.ts ?? '')).toEqual(['wave']);
    await expect(
      client.reactions.add({ channel: PAIRS_CHANNEL_ID, timestamp: posted.ts ?? '', name: 'wave' }),
    ).rejects.toMatchObject({ data: { error: 'already_reacted' } });

    const eph = await client.chat.postEphemeral({
      channel: PAIRS_CHANNEL_ID,
      user: USER_IDS.ben,
      text: 'psst',
    });
    expect(eph.message_ts).toMatch(/^\d+\.\d+$/);
    await expect(
      client.chat.postEphemeral({ channel: PAIRS_CHANNEL_ID, user: USER_IDS.priya, text: 'psst' }),
    ).rejects.toMatchObject({ data: { error: 'user_not_in_channel' } });

    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Give' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: fake.issueTrigger('1.2.abc'), view });
    expect(opened.view?.id).toMatch(/^V/);
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', view });
    expect(updated.view?.id).toBe(opened.view?.id);
    const home = await client.views.publish({ user_id: USER_IDS.ben, view: { type: 'home', blocks: [] } });
    expect(fake.homeView(USER_IDS.ben)?.id).toBe(home.view?.id);
    const longTitle = {
      ...view,
      title: { type: 'plain_text' as const, text: 'A title that is far too long' },
    };
    await expect(
      client.views.open({ trigger_id: fake.issueTrigger('1.2.abd'), view: longTitle }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });
});

describe('fake slack: fault injection and rate limits', () => {
  it('injects a 429 with Retry-After that WebClient surfaces as a rate-limited error', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 7 });
    const rejecting = webClient(fake, { rejectRateLimitedCalls: true });
    const err = await rejectionOf(rejecting.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'x' }));
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.lastCall('chat.postMessage')).toMatchObject({ status: 429, injected: 'fault' });
    expect(fake.stats.rateLimited).toBe(1);
    await expect(client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('injects HTTP 500s and ok:false errors for a number of calls', async () => {
    fake.failNext('users.info', { status: 500 });
    const http = await rejectionOf(client.users.info({ user: USER_IDS.ben }));
    expect(http).toBeInstanceOf(WebAPIHTTPError);
    expect((http as WebAPIHTTPError).statusCode).toBe(500);

    fake.failNext('chat.postMessage', { error: 'channel_not_found' }, 2);
    for (let i = 0; i < 2; i++) {
      const e = await rejectionOf(client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'x' }));
      expect((e as WebAPIPlatformError).data.error).toBe('channel_not_found');
    }
    await expect(client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.stats.faultsInjected).toBe(3);
  });

  it('delays a call', async () => {
    fake.failNext('auth.test', { delayMs: 120 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('enforces setRateLimit with 429 + Retry-After, per method or per channel', async () => {
    fake.setRateLimit('chat.postMessage', { perMinute: 3, scope: 'channel' });
    const rejecting = webClient(fake, { rejectRateLimitedCalls: true });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => rejecting.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'x' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(2);
    expect(rejected[0]?.reason).toBeInstanceOf(WebAPIRateLimitedError);
    expect((rejected[0]?.reason as WebAPIRateLimitedError | undefined)?.retryAfter).toBeGreaterThanOrEqual(1);
    // another channel has its own bucket
    await expect(rejecting.chat.postMessage({ channel: USER_IDS.ben, text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.stats.rateLimited).toBe(2);
    expect(fake.stats.rateLimitedByMethod['chat.postMessage']).toBe(2);
  });

  it('frees the window after windowMs', async () => {
    fake.setRateLimit('auth.test', { perMinute: 1, windowMs: 100 });
    const rejecting = webClient(fake, { rejectRateLimitedCalls: true });
    await rejecting.auth.test();
    await expect(rejecting.auth.test()).rejects.toBeInstanceOf(WebAPIRateLimitedError);
    await new Promise((r) => setTimeout(r, 120));
    await expect(rejecting.auth.test()).resolves.toMatchObject({ ok: true });
  });
});

describe('fake slack: response URLs', () => {
  it('records JSON posts and rejects the sixth with 404 used_url', async () => {
    const url = fake.responseUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/.+/);
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: `reply ${i}`, response_type: 'ephemeral' }),
      });
      statuses.push(res.status);
      if (i === 6) expect(await res.json()).toEqual({ ok: false, error: 'used_url' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    const calls = fake.responseUrlCalls(url);
    expect(calls).toHaveLength(6);
    expect(calls[0]?.args).toMatchObject({ text: 'reply 1', response_type: 'ephemeral', url });
    expect(fake.responseUrlUseCount(url)).toBe(5);
    expect(fake.stats.responseUrlPosts).toBe(5);
    expect(fake.stats.responseUrlRejected).toBe(1);
  });
});

describe('fake slack: waitFor', () => {
  it('resolves when a matching call arrives later', async () => {
    const waiting = fake.waitFor(
      'chat.postMessage',
      (args) => args.channel === PAIRS_CHANNEL_ID && args.text === 'later',
    );
    setTimeout(() => {
      void client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: 'later' });
    }, 20);
    const call = await waiting;
    expect(call.args.text).toBe('later');
    expect(call.ok).toBe(true);
  });

  it('resolves immediately for an existing call and times out with a useful message', async () => {
    await client.auth.test();
    await expect(fake.waitFor('auth.test')).resolves.toMatchObject({ method: 'auth.test' });
    await expect(
      fake.waitFor('auth.test', undefined, { includeExisting: false, timeoutMs: 50 }),
    ).rejects.toThrow(/timed out.*auth\.test/);
  });

  it('waits for a count of calls', async () => {
    const waiting = fake.waitForCount('users.info', 3);
    await Promise.all([USER_IDS.ben, USER_IDS.maia, USER_IDS.kai].map((user) => client.users.info({ user })));
    expect(await waiting).toHaveLength(3);
  });
});

describe('fake slack: oauth', () => {
  it('exchanges a configured code once and answers invalid_code otherwise', async () => {
    const f = await startFakeSlack({ clientId: 'cid', clientSecret: 'secret' });
    try {
      const grant = f.addOAuthCode('good-code', {
        accessToken: 'xoxb-other',
        teamId: 'T0OTHER',
        teamName: 'Other',
      });
      const c = new WebClient(undefined, {
        slackApiUrl: f.apiUrl,
        retryConfig: { retries: 0 },
        logger: silentLogger,
      });
      const res = await c.oauth.v2.access({ client_id: 'cid', client_secret: 'secret', code: 'good-code' });
      expect(res).toMatchObject({
        ok: true,
        access_token: grant.accessToken,
        bot_user_id: BOT_USER_ID,
        team: { id: 'T0OTHER', name: 'Other' },
        enterprise: null,
        is_enterprise_install: false,
      });
      await expect(
        c.oauth.v2.access({ client_id: 'cid', client_secret: 'secret', code: 'good-code' }),
      ).rejects.toMatchObject({ data: { error: 'invalid_code' } });
      const other = new WebClient('xoxb-other', {
        slackApiUrl: f.apiUrl,
        retryConfig: { retries: 0 },
        logger: silentLogger,
      });
      await expect(other.auth.test()).resolves.toMatchObject({ team_id: 'T0OTHER' });
      await other.apps.uninstall({ client_id: 'cid', client_secret: 'secret' });
      await expect(other.auth.test()).rejects.toMatchObject({ data: { error: 'token_revoked' } });
    } finally {
      await f.close();
    }
  });
});
