import { ADMIN_USER_ID, BOT_USER_ID, generateUsers, PAIRS_CHANNEL_ID } from './fake-workspace.ts';
import { slackEvents } from './signer.ts';
import type { TestWorld } from './test-app.ts';

/** Replaces #coffee's members with `count` generated people spread over `departments`. */
export function seedPairingChannel(
  world: TestWorld,
  count: number,
  departments: readonly (string | null)[],
  prefix = 'U2P',
): string[] {
  const users = generateUsers(count, { idPrefix: prefix, departments });
  world.fake.addUser(...users);
  world.fake.setChannelMembers(PAIRS_CHANNEL_ID, [...users.map((u) => u.id), BOT_USER_ID]);
  return users.map((u) => u.id);
}

/** Invites Weave to #coffee (as the admin), which starts the program there. */
export async function inviteWeave(world: TestWorld, channelId = PAIRS_CHANNEL_ID): Promise<void> {
  const res = await world.slack.event(slackEvents.memberJoinedChannel(BOT_USER_ID, channelId, ADMIN_USER_ID));
  if (res.status !== 200) throw new Error(`invite failed: ${res.status}`);
  await waitUntil(async () => (await world.db.prisma.program.count({ where: { channelId } })) === 1);
  // The program row comes first, its welcome after it (nothing to deliver yet when only the row exists).
  const program = await world.db.prisma.program.findFirstOrThrow({ where: { channelId } });
  await waitUntil(
    async () =>
      (await world.db.prisma.prompt.count({ where: { key: `program_welcome:${program.id}` } })) === 1,
  );
}

/** Polls until `check` holds (work after ack runs asynchronously), or fails after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/** The text a command finally answered: its ack, or (after an empty ack) the response-URL post that followed. */
export async function finalReply(
  world: TestWorld,
  res: { body: unknown; responseUrl?: string },
): Promise<string> {
  const acked =
    res.body === undefined || res.body === null || res.body === '' ? '' : JSON.stringify(res.body);
  if (acked || !res.responseUrl) return acked;
  const call = await world.fake.waitFor('response_url', (args) => String(args.url) === res.responseUrl, {
    timeoutMs: 20_000,
  });
  return JSON.stringify(call.args);
}
