import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_USER_ID, PAIRS_CHANNEL_ID, USER_IDS } from '../support/fake-workspace.ts';
import { signRequest } from '../support/signer.ts';
import { SIGNING_SECRET, startWorld, type TestWorld } from '../support/test-app.ts';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
});

describe('the running app', () => {
  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${world.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${world.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: true });
  });

  it('answers a signed /intro help with usage text listing every subcommand', async () => {
    const res = await world.slack.command('/intro', 'help', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    const body = res.body as { response_type: string; blocks: Array<{ text?: { text: string } }> };
    expect(body.response_type).toBe('ephemeral');
    const text = body.blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const sub of [
      '/intro find',
      '/intro me',
      '/intro profile',
      '/intro pause',
      '/intro resume',
      '/intro skip',
      '/intro leave',
      '/intro data',
      '/intro forget',
      '/intro admin',
      '/intro preview',
      '/intro round now',
    ]) {
      expect(text).toContain(sub);
    }
  });

  it('answers /intro with no text like /intro help', async () => {
    const res = await world.slack.command('/intro', '', {
      userId: ADMIN_USER_ID,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('/intro find');
  });

  it('answers /give with no arguments with its usage', async () => {
    const res = await world.slack.command('/give', '   ', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    const body = res.body as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/give @person');
    expect(await world.db.prisma.give.count()).toBe(0);
  });

  it('refuses a request with a bad signature with 401', async () => {
    const body = 'command=%2Fintro&text=help&team_id=T0WEAVE1&user_id=U0BEN&channel_id=C0PAIRS';
    const headers = signRequest('not-the-secret', body);
    const res = await world.slack.raw(body, {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed request older than 5 minutes with 401', async () => {
    const body = 'command=%2Fintro&text=help&team_id=T0WEAVE1&user_id=U0BEN&channel_id=C0PAIRS';
    const headers = signRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
    const res = await world.slack.raw(body, {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(401);
  });

  it('answers Slack URL verification with the challenge', async () => {
    const res = await world.slack.urlVerification('challenge-123');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body ?? res.text)).toContain('challenge-123');
  });
});

describe('single-token mode', () => {
  it('ignores correctly signed requests from a workspace the token does not belong to: nothing is stored', async () => {
    const foreign = 'T0FOREIGN1';
    const reply = await world.slack.command('/intro', 'me', {
      userId: 'U0STRANGER',
      channelId: 'C0ELSEWHERE',
      teamId: foreign,
    });
    expect(reply.status).toBe(200);
    expect((reply.body as { text: string }).text).toContain('not installed in this workspace');
    const event = await world.slack.event(
      {
        type: 'message',
        channel: 'C0ELSEWHERE',
        user: 'U0STRANGER',
        text: 'hi <@U0OTHER> :gift: thanks a lot',
        ts: '1.000001',
      },
      { teamId: foreign },
    );
    expect(event.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const prisma = world.db.prisma;
    expect(await prisma.workspace.count({ where: { id: foreign } })).toBe(0);
    expect(await prisma.member.count({ where: { workspaceId: foreign } })).toBe(0);
    expect(await prisma.processedEvent.count({ where: { workspaceId: foreign } })).toBe(0);
    // The installed workspace is still served.
    const home = await world.slack.command('/intro', 'help', {
      userId: USER_IDS.ben,
      channelId: PAIRS_CHANNEL_ID,
    });
    expect((home.body as { response_type: string }).response_type).toBe('ephemeral');
    expect(await prisma.workspace.count()).toBe(1);
  });
});
