// Helpers for the `/intro` integration tests: commands with their final reply, members seeded from the
// fake workspace, invites found in the fake's DMs, and button clicks on them.
import { parseSlackUser } from '../../src/slack/gateway-schemas.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { CallArgs, FakeMessage } from './fake-slack.ts';
import { DEPARTMENT_FIELD_ID, GENERAL_CHANNEL_ID, PAIRS_CHANNEL_ID, TEAM_ID } from './fake-workspace.ts';
import { finalReply, inviteWeave } from './scenarios.ts';
import type { ViewSubmissionOptions } from './signer.ts';
import type { TestWorld } from './test-app.ts';

/** What a command answered (its ack, or the response-URL post after "Working on it…"). */
export interface Reply {
  response_type?: string;
  text: string;
  blocks?: Array<Record<string, unknown>>;
}

/** Sends `/intro <text>` as `userId` and returns the HTTP status and the final reply. */
export async function intro(world: TestWorld, userId: string, text: string, channelId = GENERAL_CHANNEL_ID) {
  const res = await world.slack.command('/intro', text, { userId, channelId });
  const reply = JSON.parse(await finalReply(world, res)) as Reply;
  return { status: res.status, reply, triggerId: res.triggerId, responseUrl: res.responseUrl };
}

/** Everything a reply says, text and blocks together (for `toContain` checks). */
export function said(reply: Reply): string {
  return `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
}

/**
 * Stores Member rows for fixture users as a profile sync would (department from the Department field),
 * marked fresh so the app does not refetch them. `extra` adds Weave-side fields per user.
 */
export async function seedMembers(
  world: TestWorld,
  ids: string[],
  extra: Record<string, Record<string, unknown>> = {},
): Promise<void> {
  const prisma = world.db.prisma;
  await prisma.workspace.createMany({ data: [{ id: TEAM_ID }], skipDuplicates: true });
  for (const id of ids) {
    const u = parseSlackUser(world.fake.getUser(id));
    if (!u) throw new Error(`no fixture user ${id}`);
    await prisma.member.createMany({
      data: [
        {
          workspaceId: TEAM_ID,
          userId: id,
          name: u.name || u.realName,
          realName: u.realName,
          title: u.title,
          tz: u.tz,
          slackDepartment: u.fields[DEPARTMENT_FIELD_ID] ?? null,
          isBot: u.isBot,
          isDeleted: u.isDeleted,
          isGuest: u.isGuest,
          isAdmin: u.isAdmin,
          profileSyncedAt: world.clock.now(),
        },
      ],
      skipDuplicates: true,
    });
    if (extra[id]) {
      await prisma.member.update({
        where: { workspaceId_userId: { workspaceId: TEAM_ID, userId: id } },
        data: extra[id],
      });
    }
  }
}

/** Starts the #coffee program and makes `ids` its members. */
export async function joinProgram(world: TestWorld, ids: string[]): Promise<string> {
  await inviteWeave(world);
  const program = await world.db.prisma.program.findFirstOrThrow({ where: { channelId: PAIRS_CHANNEL_ID } });
  await world.db.prisma.programMember.createMany({
    data: ids.map((userId) => ({ workspaceId: TEAM_ID, programId: program.id, userId })),
    skipDuplicates: true,
  });
  return program.id;
}

/** The intro invite DM'd to `userId` (after delivery), with the value of its buttons. */
export function inviteFor(world: TestWorld, userId: string): { message: FakeMessage; introId: string } {
  const channel = world.fake.conversationIdFor([userId]);
  const message = world.fake
    .messagesIn(channel)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes(ACTIONS.introAccept))
    .at(-1);
  if (!message) throw new Error(`no intro invite for ${userId}`);
  const introId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(message.blocks))?.[1];
  if (!introId) throw new Error('invite without an intro id');
  return { message, introId };
}

/** Clicks a button of a message in a DM; returns the HTTP status and what was posted to its response URL. */
export async function click(
  world: TestWorld,
  o: { userId: string; actionId: string; value?: string; channelId?: string; messageTs?: string },
) {
  const responseUrl = world.fake.responseUrl();
  const res = await world.slack.action(
    world.slack.blockAction({
      userId: o.userId,
      actionId: o.actionId,
      ...(o.value !== undefined ? { value: o.value } : {}),
      channelId: o.channelId ?? world.fake.conversationIdFor([o.userId]),
      ...(o.messageTs ? { messageTs: o.messageTs } : {}),
      responseUrl,
    }),
  );
  const call = await world.fake.waitFor('response_url', (a) => String(a.url) === responseUrl);
  return { status: res.status, posted: call.args as Reply & { replace_original?: boolean } };
}

/** Clicks a button on the App Home. */
export async function clickHome(world: TestWorld, userId: string, actionId: string) {
  return world.slack.action(
    world.slack.blockAction({ userId, actionId, viewId: 'VHOME0001', viewType: 'home' }),
  );
}

/** Row counts of every table (the snapshot rejected commands must leave as it was). */
export async function rowCounts(world: TestWorld): Promise<Record<string, number>> {
  // The inbox logs every state-changing input before it is processed (whatever the outcome): not state.
  const tables = await world.db.prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'InboxItem') ORDER BY tablename`;
  const counts: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [row] = await world.db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "${tablename}"`,
    );
    counts[tablename] = row?.n ?? 0;
  }
  return counts;
}

/** Rows of any table whose text mentions `needle` (as `table: row` strings). */
export async function rowsMentioning(world: TestWorld, needle: string): Promise<string[]> {
  const tables = await world.db.prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`;
  const found: string[] = [];
  for (const { tablename } of tables) {
    const rows = await world.db.prisma.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT t::text AS row FROM "${tablename}" t WHERE t::text LIKE $1`,
      `%${needle}%`,
    );
    for (const r of rows) found.push(`${tablename}: ${r.row}`);
  }
  return found;
}

/**
 * Submits a modal Weave opened (the last views.open unless `viewId` is given) and returns Slack's view
 * of it afterwards: the ack's body, and the view the modal finally shows. A submission acked with a
 * "working on it" view (`…_saving` / `…_sending`) is followed by a views.update with the result.
 */
export async function submitModal(
  world: TestWorld,
  submission: Omit<ViewSubmissionOptions, 'viewId'>,
  viewId = openedViewId(world),
): Promise<{ status: number; ack: CallArgs; view: CallArgs | undefined }> {
  const updatesBefore = world.fake.callsTo('views.update', (a) => a.view_id === viewId).length;
  const res = await world.slack.action(world.slack.viewSubmission({ ...submission, viewId }));
  const ack = (res.body ?? {}) as CallArgs;
  const pending = /_(saving|sending)$/.test(String(ack.view?.callback_id ?? ''));
  if (ack.response_action !== 'update' || !pending) return { status: res.status, ack, view: ack.view };
  const updates = await world.fake.waitForCount(
    'views.update',
    updatesBefore + 1,
    (a) => a.view_id === viewId,
    { timeoutMs: 10_000 },
  );
  const view = updates.at(-1)?.args.view;
  return { status: res.status, ack, view: typeof view === 'string' ? JSON.parse(view) : view };
}

/** The id of the modal the last views.open opened (as the fake Slack answered it). */
export function openedViewId(world: TestWorld): string {
  const response = world.fake.lastCall('views.open')?.response as { view?: { id?: string } } | undefined;
  const id = response?.view?.id;
  if (!id) throw new Error('no modal was opened');
  return id;
}
