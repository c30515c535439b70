import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSlack,
  grantedScopes,
  startFakeSlack,
  validateBlocks,
  validateResponseAction,
} from '../../support/fake-slack.ts';
import {
  FAKE_BOT_TOKEN,
  GENERAL_CHANNEL_ID,
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

function webClient(f: FakeSlack, token = FAKE_BOT_TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: f.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silentLogger,
  });
}

/** The Slack error a call answered (or 'ok'). */
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const e = err as { data?: { error?: string }; code?: string };
    return e.data?.error ?? e.code ?? String(err);
  }
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
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

const button = (actionId: string) => ({
  type: 'button' as const,
  action_id: actionId,
  text: { type: 'plain_text' as const, text: 'Thank them' },
});
const options = (n: number, text = 'Option') =>
  Array.from({ length: n }, (_, i) => ({
    text: { type: 'plain_text', text: `${text} ${i}` },
    value: `v${i}`,
  }));

describe('strict fake: scopes from manifest.yml', () => {
  it('grants exactly the bot scopes of manifest.yml', () => {
    expect(grantedScopes()).toContain('chat:write');
    expect(grantedScopes()).not.toContain('im:read');
  });

  it('asks the scope of the conversation type: im:history on a DM, mpim:history on a group DM', async () => {
    const narrow = await startFakeSlack({
      scopes: ['chat:write', 'im:write', 'mpim:write', 'channels:history'],
    });
    try {
      const c = webClient(narrow);
      const dm = await c.conversations.open({ users: USER_IDS.ben });
      const group = await c.conversations.open({ users: `${USER_IDS.ben},${USER_IDS.liam}` });
      expect(dm.channel?.id).toMatch(/^D/);
      expect(group.channel?.id).toMatch(/^G/);
      await expect(c.conversations.history({ channel: dm.channel?.id ?? '' })).rejects.toMatchObject({
        data: {
          error: 'missing_scope',
          needed: 'im:history',
          provided: expect.stringContaining('chat:write'),
        },
      });
      await expect(c.conversations.history({ channel: group.channel?.id ?? '' })).rejects.toMatchObject({
        data: { error: 'missing_scope', needed: 'mpim:history' },
      });
      expect(await errorOf(c.users.list({}))).toBe('missing_scope');
    } finally {
      await narrow.close();
    }
  });

  it('refuses conversations.info on a DM without im:read, which the manifest does not grant', async () => {
    const dm = await client.conversations.open({ users: USER_IDS.ben });
    await expect(client.conversations.info({ channel: dm.channel?.id ?? '' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'im:read' },
    });
    expect((await client.conversations.info({ channel: PAIRS_CHANNEL_ID })).ok).toBe(true);
  });

  it("holds an OAuth token to its grant's scopes", async () => {
    fake.addOAuthCode('narrow-code', { accessToken: 'xoxb-narrow', scope: 'chat:write,commands' });
    expect(await errorOf(webClient(fake, 'xoxb-narrow').users.list({}))).toBe('missing_scope');
  });

  it("lets a test opt out by name with lenient: ['scopes']", async () => {
    const lenient = await startFakeSlack({ scopes: [], lenient: ['scopes'] });
    try {
      expect((await webClient(lenient).users.list({})).ok).toBe(true);
    } finally {
      await lenient.close();
    }
  });
});

describe('strict fake: membership', () => {
  it('answers not_in_channel to a post in a channel the bot is not in, until it joins', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'hi' }))).toBe(
      'not_in_channel',
    );
    await client.conversations.join({ channel: GENERAL_CHANNEL_ID });
    expect((await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'hi' })).ok).toBe(true);
  });

  it('lets chat:write.public post to public channels without joining', async () => {
    const pub = await startFakeSlack({ scopes: [...grantedScopes(), 'chat:write.public'] });
    try {
      expect((await webClient(pub).chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'hi' })).ok).toBe(
        true,
      );
    } finally {
      await pub.close();
    }
  });

  it('refuses to join a private channel', async () => {
    fake.addChannel({ id: 'C0SECRET', name: 'secret', isPrivate: true, members: [USER_IDS.ben] });
    expect(await errorOf(client.conversations.join({ channel: 'C0SECRET' }))).toBe(
      'method_not_supported_for_channel_type',
    );
  });
});

describe('strict fake: trigger ids', () => {
  const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Give' }, blocks: [] };

  it('accepts a trigger once, within 3 seconds of issue', async () => {
    expect(await errorOf(client.views.open({ trigger_id: '9.9.never-issued', view }))).toBe(
      'invalid_trigger_id',
    );
    const trigger = fake.issueTrigger('1.2.once');
    expect((await client.views.open({ trigger_id: trigger, view })).ok).toBe(true);
    expect(await errorOf(client.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
    const old = fake.issueTrigger('1.2.old', Date.now() - 3_500);
    expect(await errorOf(client.views.open({ trigger_id: old, view }))).toBe('expired_trigger_id');
  });
});

describe('strict fake: response URLs', () => {
  it('expires a response URL after its lifetime', async () => {
    const short = await startFakeSlack({ responseUrlTtlMs: 1 });
    try {
      const url = short.responseUrl();
      await new Promise((r) => setTimeout(r, 10));
      expect(await postJson(url, { text: 'late' })).toEqual({
        status: 404,
        body: { ok: false, error: 'expired_url' },
      });
    } finally {
      await short.close();
    }
  });

  it('honours replace_original on an interaction response URL only, not on a command one', async () => {
    const interaction = fake.responseUrl();
    const command = fake.commandResponseUrl();
    await postJson(interaction, { replace_original: true, text: 'Done' });
    await postJson(command, { replace_original: true, text: 'Done' });
    expect(fake.responseUrlCalls(interaction)[0]?.effect).toBe('replaced');
    expect(fake.responseUrlCalls(command)[0]?.effect).toBe('posted');
  });

  it('refuses invalid blocks in a response URL body', async () => {
    const res = await postJson(fake.responseUrl(), {
      blocks: [{ type: 'actions', elements: [button('thank'), button('thank')] }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: [expect.stringContaining('unique')],
    });
  });
});

describe('strict fake: Block Kit on every surface', () => {
  it('refuses a message whose actions block repeats an action_id, with an errors array', async () => {
    const err = await client.chat
      .postMessage({
        channel: PAIRS_CHANNEL_ID,
        text: 'thanks',
        blocks: [{ type: 'actions' as const, elements: [button('thank_partner'), button('thank_partner')] }],
      })
      .catch((e: { data: unknown }) => e.data);
    expect(err).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: [expect.stringContaining('/blocks/0/elements/1/action_id')],
    });
  });

  it('checks option counts and lengths, placeholders, initial options and context sizes', () => {
    const section = (accessory: unknown) => [
      { type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory },
    ];
    expect(
      validateBlocks(section({ type: 'static_select', action_id: 'a', options: options(101) }), 'modal'),
    ).toEqual([expect.stringContaining('no more than 100 items')]);
    expect(
      validateBlocks(section({ type: 'radio_buttons', action_id: 'a', options: options(11) }), 'modal'),
    ).toEqual([expect.stringContaining('no more than 10 items')]);
    expect(
      validateBlocks(
        section({ type: 'checkboxes', action_id: 'a', options: options(1, 'x'.repeat(76)) }),
        'modal',
      ),
    ).toEqual([expect.stringContaining('/options/0/text/text')]);
    const longValue = [{ text: { type: 'plain_text', text: 'a' }, value: 'v'.repeat(151) }];
    expect(
      validateBlocks(section({ type: 'static_select', action_id: 'a', options: longValue }), 'modal'),
    ).toEqual([expect.stringContaining('/options/0/value')]);
    const placeholder = { type: 'plain_text', text: 'p'.repeat(151) };
    expect(
      validateBlocks(
        section({ type: 'static_select', action_id: 'a', options: options(2), placeholder }),
        'modal',
      ),
    ).toEqual([expect.stringContaining('/placeholder/text')]);
    const stray = { text: { type: 'plain_text', text: 'gone' }, value: 'gone' };
    expect(
      validateBlocks(
        section({ type: 'static_select', action_id: 'a', options: options(2), initial_option: stray }),
        'modal',
      ),
    ).toEqual([expect.stringContaining('initial_option')]);
    const context = [
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) },
    ];
    expect(validateBlocks(context, 'message')).toEqual([expect.stringContaining('no more than 10 items')]);
    expect(
      validateBlocks(
        Array.from({ length: 51 }, () => ({ type: 'divider' })),
        'message',
      ),
    ).toEqual([expect.stringContaining('no more than 50 items')]);
  });

  it('refuses an invalid view in views.open and an invalid response_action ack', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Settings' },
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'static_select', action_id: 'a', options: options(101) },
        },
      ],
    };
    expect(
      await errorOf(client.views.open({ trigger_id: fake.issueTrigger('1.2.view'), view: view as never })),
    ).toBe('invalid_arguments');
    expect(
      validateResponseAction({ response_action: 'errors', errors: { topic: 'e'.repeat(151) } }),
    ).toHaveLength(1);
    expect(validateResponseAction({ response_action: 'update', view })).not.toEqual([]);
    expect(validateResponseAction({ response_action: 'clear' })).toEqual([]);
  });
});

describe('strict fake: rate tiers and paging', () => {
  it('limits users.list at Tier 2 (20 a minute) per workspace', async () => {
    for (let i = 0; i < 20; i++) await client.users.list({ limit: 1 });
    expect(await errorOf(client.users.list({ limit: 1 }))).toBe('slack_webapi_rate_limited_error');
    fake.registerToken('xoxb-other-team', { teamId: 'T0OTHER' });
    expect((await webClient(fake, 'xoxb-other-team').users.list({ limit: 1 })).ok).toBe(true);
  });

  it('frees the tier window sooner with rateWindowScale, and not at all with lenient rateLimits', async () => {
    const fast = await startFakeSlack({ rateWindowScale: 0.001 });
    const lenient = await startFakeSlack({ lenient: ['rateLimits'] });
    try {
      for (let i = 0; i < 20; i++) await webClient(fast).users.list({ limit: 1 });
      await new Promise((r) => setTimeout(r, 80));
      expect((await webClient(fast).users.list({ limit: 1 })).ok).toBe(true);
      for (let i = 0; i < 25; i++) await webClient(lenient).users.list({ limit: 1 });
      expect(lenient.stats.rateLimited).toBe(0);
    } finally {
      await fast.close();
      await lenient.close();
    }
  });

  it('applies the distributed-app limit to conversations.history: 1 a minute, 15 messages, with a cursor', async () => {
    const dist = await startFakeSlack({ distributedAppLimits: true });
    try {
      const c = webClient(dist);
      for (let i = 0; i < 20; i++) await c.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: `m${i}` });
      const first = await c.conversations.history({ channel: PAIRS_CHANNEL_ID, limit: 50 });
      expect(first.messages).toHaveLength(15);
      expect(first.has_more).toBe(true);
      expect(first.response_metadata?.next_cursor).not.toBe('');
      expect(await errorOf(c.conversations.history({ channel: PAIRS_CHANNEL_ID }))).toBe(
        'slack_webapi_rate_limited_error',
      );
    } finally {
      await dist.close();
    }
  });

  it('pages conversations.history with has_more and next_cursor', async () => {
    for (let i = 0; i < 3; i++) await client.chat.postMessage({ channel: PAIRS_CHANNEL_ID, text: `p${i}` });
    const first = await client.conversations.history({ channel: PAIRS_CHANNEL_ID, limit: 2 });
    expect(first).toMatchObject({ has_more: true });
    const second = await client.conversations.history({
      channel: PAIRS_CHANNEL_ID,
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect(second.messages?.length).toBeGreaterThan(0);
    expect(second.messages?.[0]?.ts).not.toBe(first.messages?.[0]?.ts);
  });
});

describe('strict fake: org-wide tokens', () => {
  it('requires team_id on users.list for an org token', async () => {
    fake.registerToken('xoxb-org', { isEnterpriseInstall: true, enterpriseId: 'E0ACME' });
    const org = webClient(fake, 'xoxb-org');
    await expect(org.users.list({})).rejects.toMatchObject({ data: { error: 'missing_argument' } });
    expect(await errorOf(org.users.list({ team_id: 'T0NOPE' }))).toBe('team_access_not_granted');
    expect((await org.users.list({ team_id: TEAM_ID })).ok).toBe(true);
  });
});
