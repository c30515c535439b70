import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { slackEvents } from '../support/signer.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

// message.im: the Messages tab lets people write to Weave; Weave reads nothing there but answers with
// a pointer to `/intro help` — once an hour per person, never to bots.

let world: TestWorld;
const { anna, ben, priya, liam, sofia } = USER_IDS;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  world.fake.clearMessages();
});

/** The person's DM with Weave, opened in the fake as it exists in Slack when they write to Weave. */
async function dm(userId: string): Promise<string> {
  const base = world.fake.apiUrl.endsWith('/') ? world.fake.apiUrl : `${world.fake.apiUrl}/`;
  const res = await fetch(`${base}conversations.open`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${FAKE_BOT_TOKEN}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `users=${userId}`,
  });
  return ((await res.json()) as { channel: { id: string } }).channel.id;
}
const repliesIn = (channel: string) =>
  world.fake.messagesIn(channel).filter((m) => m.text.includes('/intro help'));

describe('a direct message to Weave', () => {
  it('is answered once with a pointer to /intro help, and not again for the next lines', async () => {
    const channel = await dm(anna);
    for (const text of ['hello?', 'how do I get paired', 'anyone there']) {
      const res = await world.slack.event(slackEvents.message({ userId: anna, channelId: channel, text }));
      expect(res.status).toBe(200);
    }
    await waitUntil(() => repliesIn(channel).length === 1);
    // Ben's DM is answered on its own.
    const other = await dm(ben);
    await world.slack.event(slackEvents.message({ userId: ben, channelId: other, text: 'hi' }));
    await waitUntil(() => repliesIn(other).length === 1);
    expect(repliesIn(channel)).toHaveLength(1);
    expect(world.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel)).toHaveLength(1);
  });

  it('ignores messages from bots, edits and thread replies', async () => {
    const channel = await dm(anna);
    const bot = {
      ...slackEvents.message({ userId: priya, channelId: channel, text: 'beep' }),
      bot_id: 'B0OTHER',
    };
    const edit = slackEvents.message({
      userId: liam,
      channelId: channel,
      text: 'x',
      subtype: 'message_changed',
    });
    const reply = slackEvents.message({
      userId: sofia,
      channelId: channel,
      text: 'y',
      threadTs: '1700000000.000100',
    });
    for (const event of [bot, edit, reply]) expect((await world.slack.event(event)).status).toBe(200);
    // (Each from someone else, so the once-an-hour limit can't hide a wrong answer.) A person's plain
    // message afterwards is answered: the earlier ones were seen and skipped.
    await world.slack.event(slackEvents.message({ userId: anna, channelId: channel, text: 'hello' }));
    await waitUntil(() => repliesIn(channel).length === 1);
    expect(world.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
