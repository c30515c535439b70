import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { createSlackGateway } from '../../../src/slack/gateway.ts';
import * as S from '../../../src/slack/gateway-schemas.ts';
import { parseSlackUser, toUser } from '../../../src/slack/gateway-schemas.ts';
import type { RateGate } from '../../../src/slack/pacer.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import {
  BOT_USER_ID,
  DELETED_USER_ID,
  DEPARTMENT_FIELD_ID,
  FAKE_BOT_TOKEN,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../../support/fake-workspace.ts';

// Responses shaped as Slack's reference shows them (https://docs.slack.dev/reference/methods/…), with
// the fields Weave does not read left in: the schemas name only what Weave uses and ignore the rest.

const PROFILE = {
  avatar_hash: 'ge3b51ca72de',
  status_text: 'Print is dead',
  status_emoji: ':books:',
  real_name: 'Egon Spengler',
  display_name: 'spengler',
  real_name_normalized: 'Egon Spengler',
  display_name_normalized: 'spengler',
  email: 'Spengler@Ghostbusters.example.com',
  image_24: 'https://a.slack-edge.com/avatar/e3b51ca72dee4ef87916ae2b9240df50.jpg',
  team: 'T012AB3C4',
};

const USER = {
  id: 'W012A3CDE',
  team_id: 'T012AB3C4',
  name: 'spengler',
  deleted: false,
  color: '9f69e7',
  real_name: 'Egon Spengler',
  tz: 'America/Los_Angeles',
  tz_label: 'Pacific Daylight Time',
  tz_offset: -25200,
  profile: PROFILE,
  is_admin: true,
  is_owner: false,
  is_primary_owner: false,
  is_restricted: false,
  is_ultra_restricted: false,
  is_bot: false,
  is_app_user: false,
  updated: 1502138686,
  has_2fa: false,
};

/** A deactivated account: no time zone, no role flags. */
const DEACTIVATED = {
  id: 'W07QCRPA4',
  team_id: 'T012AB3C4',
  name: 'glinda',
  deleted: true,
  profile: {
    real_name: 'Glinda Southgood',
    display_name: '',
    title: 'Glinda the Good',
    fields: null,
    team: 'T012AB3C4',
  },
  is_bot: false,
  is_app_user: false,
  updated: 1480527098,
};

describe('Slack response schemas', () => {
  it('auth.test, with and without an Enterprise Grid organisation', () => {
    const plain = {
      ok: true,
      url: 'https://subarachnoid.slack.com/',
      team: 'Subarachnoid Workspace',
      user: 'grace',
      team_id: 'T12345678',
      user_id: 'W12345678',
      bot_id: 'B12345678',
      is_enterprise_install: false,
    };
    expect(S.authTestResponse.parse(plain)).toEqual({ ok: true, team_id: 'T12345678', user_id: 'W12345678' });
    expect(S.authTestResponse.parse({ ...plain, enterprise_id: 'E12345678' }).enterprise_id).toBe(
      'E12345678',
    );
    expect(S.authTestResponse.safeParse({ ...plain, user_id: undefined }).success).toBe(false);
  });

  it('users.info: a user object maps to a SlackUser', () => {
    const res = S.usersInfoResponse.parse({ ok: true, user: USER });
    expect(toUser(res.user)).toEqual({
      id: 'W012A3CDE',
      name: 'spengler',
      realName: 'Egon Spengler',
      title: '',
      tz: 'America/Los_Angeles',
      isBot: false,
      isDeleted: false,
      isGuest: false,
      isAdmin: true,
      fields: {},
      email: 'spengler@ghostbusters.example.com',
    });
  });

  it('users.list: members with and without role flags, and the next cursor', () => {
    const res = S.usersListResponse.parse({
      ok: true,
      members: [USER, DEACTIVATED],
      cache_ts: 1498777272,
      response_metadata: { next_cursor: 'dXNlcjpVMEc5V0ZYTlo=' },
    });
    expect(S.nextCursor(res)).toBe('dXNlcjpVMEc5V0ZYTlo=');
    expect(toUser(res.members[1] ?? USER)).toMatchObject({
      name: 'glinda',
      realName: 'Glinda Southgood',
      title: 'Glinda the Good',
      tz: 'UTC',
      isDeleted: true,
      isAdmin: false,
    });
    // The last page: an empty cursor.
    const last = S.usersListResponse.parse({ ok: true, members: [], response_metadata: { next_cursor: '' } });
    expect(S.nextCursor(last)).toBe('');
  });

  it('users.profile.get: custom fields by id, empty ones left out; null or [] when there are none', () => {
    const res = S.usersProfileGetResponse.parse({
      ok: true,
      profile: {
        ...PROFILE,
        title: 'Ghostbuster',
        fields: {
          Xf06054AAA: { value: 'Kitchen', alt: 'Cooking' },
          Xf06054BBB: { value: '', alt: '' },
        },
      },
    });
    expect(S.fieldsOf(res.profile)).toEqual({ Xf06054AAA: 'Kitchen' });
    for (const fields of [null, []]) {
      expect(
        S.fieldsOf(S.usersProfileGetResponse.parse({ ok: true, profile: { ...PROFILE, fields } }).profile),
      ).toEqual({});
    }
  });

  it('team.profile.get: the field definitions', () => {
    const res = S.teamProfileGetResponse.parse({
      ok: true,
      profile: {
        fields: [
          {
            id: 'Xf06054AAA',
            ordering: 0,
            label: 'Phone extension',
            hint: 'Enter the extension to reach your desk',
            type: 'text',
            possible_values: null,
            options: null,
            is_hidden: 1,
          },
          {
            id: 'Xf06054DDD',
            ordering: 3,
            label: 'House',
            hint: 'Hogwarts, obviously',
            type: 'options_list',
            possible_values: ['Gryffindor', 'Hufflepuff', 'Ravenclaw', 'Slytherin'],
            options: null,
          },
        ],
      },
    });
    expect(S.toProfileFields(res)).toEqual([
      { id: 'Xf06054AAA', label: 'Phone extension' },
      { id: 'Xf06054DDD', label: 'House' },
    ]);
  });

  it('usergroups.list: disabled groups left out', () => {
    const group = {
      id: 'S0614TZR7',
      team_id: 'T060RNRCH',
      is_usergroup: true,
      name: 'Team Admins',
      description: 'A group of all Administrators on your team.',
      handle: 'admins',
      is_external: false,
      date_create: 1446598059,
      date_update: 1446670362,
      date_delete: 0,
      auto_type: 'admin',
      created_by: 'USLACKBOT',
      updated_by: 'U060RNRCZ',
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      users: ['U060R4BJ4', 'W123A4BC5'],
      user_count: '2',
    };
    const res = S.usergroupsListResponse.parse({
      ok: true,
      usergroups: [group, { ...group, id: 'S0615G0KT', handle: 'marketing', date_delete: 1446748865 }],
    });
    expect(S.toUserGroups(res)).toEqual([
      { id: 'S0614TZR7', name: 'Team Admins', handle: 'admins', userIds: ['U060R4BJ4', 'W123A4BC5'] },
    ]);
  });

  it('conversations.history: messages with and without metadata', () => {
    const res = S.conversationsHistoryResponse.parse({
      ok: true,
      messages: [
        { type: 'message', user: 'U012AB3CDE', text: 'I find you punny', ts: '1512085950.000216' },
        {
          type: 'message',
          subtype: 'bot_message',
          text: 'Your intro',
          ts: '1512104434.000490',
          bot_id: 'B0WEAVE',
          metadata: { event_type: 'weave_prompt', event_payload: { prompt_id: 'p1' } },
        },
      ],
      has_more: true,
      pin_count: 0,
      response_metadata: { next_cursor: 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz' },
    });
    expect(res.messages[1]?.metadata?.event_payload?.prompt_id).toBe('p1');
    expect(S.nextCursor(res)).toBe('bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz');
  });

  it('conversations.info, conversations.open, conversations.members, chat.postMessage, chat.getPermalink', () => {
    expect(
      S.conversationsInfoResponse.parse({
        ok: true,
        channel: {
          id: 'C012AB3CD',
          name: 'general',
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: false,
          is_member: true,
          created: 1449252889,
          creator: 'W012A3BCD',
          topic: {
            value: 'For public discussion of generalities',
            creator: 'W012A3BCD',
            last_set: 1449709364,
          },
          previous_names: ['specifics', 'abstractions', 'etc'],
        },
      }).channel,
    ).toEqual({
      id: 'C012AB3CD',
      is_channel: true,
      is_im: false,
      is_mpim: false,
      is_private: false,
      is_member: true,
    });
    expect(S.conversationsOpenResponse.parse({ ok: true, channel: { id: 'D069C7QFK' } }).channel.id).toBe(
      'D069C7QFK',
    );
    expect(
      S.conversationsMembersResponse.parse({
        ok: true,
        members: ['U023BECGF', 'U061F7AUR', 'W012A3CDE'],
        response_metadata: { next_cursor: 'e3VzZXJfaWQ6IFcxMjM0NTY3fQ==' },
      }).members,
    ).toHaveLength(3);
    expect(
      S.chatPostMessageResponse.parse({
        ok: true,
        channel: 'C123ABC456',
        ts: '1503435956.000247',
        message: {
          text: 'Here is a message',
          type: 'message',
          ts: '1503435956.000247',
          bot_id: 'B123ABC456',
        },
      }).ts,
    ).toBe('1503435956.000247');
    expect(
      S.chatGetPermalinkResponse.parse({
        ok: true,
        channel: 'C123ABC456',
        permalink: 'https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008',
      }).permalink,
    ).toContain('/archives/C1H9RESGA/');
  });

  it('rejects what Slack never sends: wrong types, missing required fields', () => {
    expect(S.usersInfoResponse.safeParse({ ok: true, user: { ...USER, id: 42 } }).success).toBe(false);
    expect(S.usersInfoResponse.safeParse({ ok: true, user: { ...USER, profile: undefined } }).success).toBe(
      false,
    );
    expect(S.usersInfoResponse.safeParse({ ok: true }).success).toBe(false);
    expect(S.chatPostMessageResponse.safeParse({ ok: true, channel: 'C1' }).success).toBe(false);
    expect(S.chatPostMessageResponse.safeParse({ ok: true, ts: 1503435956.000247 }).success).toBe(false);
    expect(
      S.conversationsHistoryResponse.safeParse({ ok: true, messages: {}, has_more: false }).success,
    ).toBe(false);
    expect(S.conversationsOpenResponse.safeParse({ ok: true, channel: 'D069C7QFK' }).success).toBe(false);
    expect(S.chatGetPermalinkResponse.safeParse({ ok: true, permalink: '' }).success).toBe(false);
    expect(
      S.usergroupsListResponse.safeParse({ ok: true, usergroups: [{ id: 'S1', users: 'U1' }] }).success,
    ).toBe(false);
  });

  it('reads the user object of a user_change or team_join event, or says it is not one', () => {
    expect(parseSlackUser(USER)?.id).toBe('W012A3CDE');
    expect(parseSlackUser({ id: 'U0NEW' })).toBeNull();
    expect(parseSlackUser('U0NEW')).toBeNull();
    expect(parseSlackUser(undefined)).toBeNull();
  });
});

// ----- the gateway against a local server answering with chosen bodies ----------------------------------------

/** What the server answers per method: a body, or a function of how many calls the method had. */
const answers = new Map<string, unknown>();
const counts = new Map<string, number>();
let server: Server;
let apiUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const n = (counts.get(method) ?? 0) + 1;
      counts.set(method, n);
      const answer = answers.get(method) ?? { ok: false, error: 'unknown_method' };
      const body = typeof answer === 'function' ? answer(n) : answer;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  apiUrl = `http://127.0.0.1:${typeof address === 'object' ? address?.port : ''}/api/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answers.clear();
  counts.clear();
});

/** Lets every call through at once. */
const noPacing: RateGate = { take: async () => () => {}, block: () => {}, stop: () => {} };

function gateway() {
  const lines: string[] = [];
  const calls: Array<[string, string]> = [];
  const slack = createSlackGateway({
    tokenFor: async () => 'xoxb-test-token-0000',
    slackApiUrl: apiUrl,
    log: createLogger('debug', { write: (l: string) => void lines.push(l) }),
    pacer: noPacing,
    metrics: { slackCall: (method, outcome) => void calls.push([method, outcome]) },
  });
  const logs = () =>
    lines.map((l) => JSON.parse(l) as { level: number; method?: string; issues?: string[]; msg: string });
  return { slack, calls, logs };
}

describe('the gateway on a response that does not match its schema', () => {
  it('a well-formed answer is mapped and counted ok', async () => {
    answers.set('users.info', { ok: true, user: USER });
    answers.set('users.profile.get', {
      ok: true,
      profile: { ...PROFILE, fields: { Xf0DEPT: { value: 'Research', alt: '' } } },
    });
    const { slack, calls } = gateway();
    const r = await slack.user('T012AB3C4', 'W012A3CDE');
    expect(r).toMatchObject({ ok: true, user: { id: 'W012A3CDE', fields: { Xf0DEPT: 'Research' } } });
    expect(calls).toEqual([
      ['users.info', 'ok'],
      ['users.profile.get', 'ok'],
    ]);
  });

  it('is a permanent invalid_response, logged with the method and where it failed, never a TypeError', async () => {
    answers.set('users.info', { ok: true, user: { ...USER, id: undefined, is_bot: 'no' } });
    const { slack, calls, logs } = gateway();
    const r = await slack.user('T012AB3C4', 'W012A3CDE');
    expect(r).toEqual({ ok: false, kind: 'permanent', error: 'invalid_response' });
    expect(calls).toEqual([['users.info', 'permanent']]);
    const warning = logs().find((l) => l.msg === 'slack response does not match its schema');
    expect(warning).toMatchObject({ level: 40, method: 'users.info' });
    expect(warning?.issues?.join('\n')).toMatch(/user\.id/);
    expect(warning?.issues?.join('\n')).toMatch(/user\.is_bot/);
    // The response's values stay out of the log.
    expect(JSON.stringify(logs())).not.toContain('Spengler');
  });

  it('for every kind of call: posts, lookups, lists', async () => {
    answers.set('chat.postMessage', { ok: true, channel: 'C123ABC456' });
    answers.set('conversations.history', { ok: true, messages: null, has_more: false });
    answers.set('conversations.open', { ok: true, channel: null });
    answers.set('auth.test', { ok: true, team_id: 'T1' });
    answers.set('team.profile.get', { ok: true, profile: { fields: [{ id: 'Xf1' }] } });
    answers.set('usergroups.list', { ok: true });
    const { slack } = gateway();
    const invalid = { ok: false, kind: 'permanent', error: 'invalid_response' };
    expect(await slack.postMessage('T1', 'C123ABC456', { text: 'hi' })).toEqual(invalid);
    expect(await slack.findPromptMessage('T1', 'D1', 'p1', new Date(0))).toEqual(invalid);
    expect(await slack.openConversation('T1', ['U1'])).toEqual(invalid);
    expect(await slack.identity('T1')).toEqual(invalid);
    expect(await slack.profileFields('T1')).toEqual(invalid);
    expect(await slack.userGroups('T1')).toEqual(invalid);
  });

  it('a malformed page fails the whole paged list', async () => {
    answers.set('conversations.members', (page: number) =>
      page === 1
        ? { ok: true, members: ['U1', 'U2'], response_metadata: { next_cursor: 'page2' } }
        : { ok: true, members: [7], response_metadata: { next_cursor: '' } },
    );
    const { slack, calls } = gateway();
    expect(await slack.channelMembers('T1', 'C1')).toEqual({
      ok: false,
      kind: 'permanent',
      error: 'invalid_response',
    });
    expect(calls).toEqual([
      ['conversations.members', 'ok'],
      ['conversations.members', 'permanent'],
    ]);
  });

  it('a body that is not JSON at all stays a classified failure', async () => {
    // The WebClient reads it as a platform error named by the body: permanent, never a TypeError.
    answers.set('users.list', '<html>gateway timeout</html>');
    const { slack } = gateway();
    expect(await slack.users('T1')).toMatchObject({ ok: false, kind: 'permanent' });
  });
});

describe('the fake Slack answers in shapes the schemas accept', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('every gateway method that reads an answer gets ok', async () => {
    const lines: string[] = [];
    const slack = createSlackGateway({
      tokenFor: async () => FAKE_BOT_TOKEN,
      slackApiUrl: fake.apiUrl,
      log: createLogger('warn', { write: (l: string) => void lines.push(l) }),
      pacer: noPacing,
    });
    const anna = USER_IDS.anna;
    expect(await slack.identity(TEAM_ID)).toMatchObject({
      ok: true,
      botUserId: BOT_USER_ID,
      teamId: TEAM_ID,
    });
    expect(await slack.channelMembers(TEAM_ID, PAIRS_CHANNEL_ID)).toMatchObject({ ok: true });
    const users = await slack.users(TEAM_ID);
    expect(users.ok && users.users.find((u) => u.id === DELETED_USER_ID)).toMatchObject({ isDeleted: true });
    expect(await slack.user(TEAM_ID, anna)).toMatchObject({ ok: true, user: { id: anna, isAdmin: true } });
    expect(await slack.userFields(TEAM_ID, anna)).toMatchObject({
      ok: true,
      fields: { [DEPARTMENT_FIELD_ID]: expect.any(String) },
    });
    expect(await slack.profileFields(TEAM_ID)).toMatchObject({ ok: true });
    expect(await slack.channelInfo(TEAM_ID, PAIRS_CHANNEL_ID)).toMatchObject({ ok: true, isPublic: true });
    const dm = await slack.openConversation(TEAM_ID, [anna]);
    if (!dm.ok) throw new Error(dm.error);
    const posted = await slack.postMessage(TEAM_ID, dm.channelId, { text: 'Hello', promptId: 'p-1' });
    if (!posted.ok) throw new Error(posted.error);
    expect(await slack.findPromptMessage(TEAM_ID, dm.channelId, 'p-1', new Date(0))).toEqual({
      ok: true,
      ts: posted.ts,
    });
    expect(await slack.updateMessage(TEAM_ID, dm.channelId, posted.ts, { text: 'Hello again' })).toEqual({
      ok: true,
    });
    expect(await slack.addReaction(TEAM_ID, dm.channelId, posted.ts, 'wave')).toEqual({ ok: true });
    expect(await slack.permalink(TEAM_ID, dm.channelId, posted.ts)).toMatchObject({ ok: true });
    expect(lines.filter((l) => l.includes('does not match its schema'))).toEqual([]);
  });
});
