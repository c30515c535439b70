import { DEFAULT_GIVE_KIND, type GiveKind } from '../domain/gives/kinds.ts';
import { diffMessageGives, normalizeEmojiName, parseMessageGives } from '../domain/gives/message-gives.ts';
import {
  checkGive,
  dailyCapMessage,
  localDayBounds,
  needsThankSomeoneNewNudge,
  THANK_SOMEONE_NEW_MESSAGE,
  THANK_SOMEONE_NEW_WINDOW_DAYS,
} from '../domain/gives/rules.ts';
import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { GiveRepository, NewGive } from '../persistence/repositories/gives.ts';
import type { PromptRepository } from '../persistence/repositories/prompts.ts';
import type { WorkspaceRepository } from '../persistence/repositories/workspaces.ts';
import { parseGiveCommand } from '../slack/parsers/give-command.ts';
import { buildGiveNotes, buildShoutout } from '../slack/views/gives.ts';
import { buildErrorReply, type CommandReply } from '../slack/views/help.ts';
import type { MemberRow, MemberService } from './members.ts';
import type { Clock, SlackGateway } from './ports.ts';

const DAY_MS = 86_400_000;
/** Gives recorded at once per process by default; the rest wait their turn (see `createSlots`). */
const GIVES_AT_ONCE = 1;

/** Lets the event loop go round: pending HTTP requests are read and acked before the next step. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * At most `limit` tasks at a time, each started on a fresh event-loop turn. Recording a give is a dozen
 * queries of CPU work in this thread (Prisma's query compiler; with PGlite the database itself, whose
 * queries resolve without I/O). Unbounded, a flood of gives keeps the event loop from reading the next
 * requests — acks took seconds at 100 requests/s, and Node accepts one new connection per loop turn.
 * Bounded, with turns between steps, acks go out promptly and gives queue in memory in arrival order.
 * One at a time acks fastest on both databases (bench:http); PGlite runs one query at a time anyway,
 * while PostgreSQL can record faster with a few (`concurrency`), at the price of slower acks in bursts.
 */
function createSlots(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing task hands its slot over
    try {
      await nextTurn();
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

export interface GiveRequest {
  workspaceId: string;
  giverId: string;
  receiverIds: string[];
  kind: GiveKind;
  reason: string;
  source: NewGive['source'];
  channelId?: string | null;
  messageTs?: string | null;
  /** Source key of each receiver's give. */
  keyFor: (receiverId: string) => string;
  /** Reactions carry a link, not a written reason. */
  skipReasonCheck?: boolean;
}

/** A channel message as the events about it describe it. */
interface MessageInput {
  workspaceId: string;
  channelId: string;
  ts: string;
  userId: string;
  text: string;
}

/** Whether a message's earlier text (when the event carries it) had the give emoji. */
function hadGiveEmoji(previousText: string | undefined, emoji: string): boolean {
  return previousText !== undefined && parseMessageGives(previousText, '', emoji).hasEmoji;
}

/** Orders two Slack timestamps (`"1712345678.000200"`: seconds, then a sequence within the second). */
function compareSlackTs(a: string, b: string): number {
  const key = (ts: string) => {
    const [seconds = '', sequence = ''] = ts.split('.');
    return `${seconds.padStart(12, '0')}.${sequence.padEnd(6, '0')}`;
  };
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export interface GiveOutcome {
  recorded: Array<{ receiverId: string; giveId: string }>;
  duplicates: string[];
  rejected: Array<{ receiverId: string; message: string }>;
  nudges: string[];
}

/** Gives: /give, message emoji and reactions, with their guards. */
export function createGiveService(deps: {
  prisma: Prisma;
  gives: GiveRepository;
  members: MemberService;
  workspaces: WorkspaceRepository;
  prompts: PromptRepository;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
  botUserId: (workspaceId: string) => Promise<string | null>;
  onScheduled?: () => void;
  /** Gives recorded at once (default 1; see `createSlots`). */
  concurrency?: number;
}) {
  const log = deps.log.child({ component: 'gives' });
  const slots = createSlots(deps.concurrency ?? GIVES_AT_ONCE);

  /**
   * Applies the guards, records what passes (idempotently, under the daily cap) and queues receiver DMs.
   * `settings`: the workspace's settings when the caller already has them (saves a query per give).
   */
  async function give(req: GiveRequest, settings?: WorkspaceSettings): Promise<GiveOutcome> {
    // Giver and receivers in one lookup, before taking a slot: people seen for the first time are looked
    // up in Slack (paced), and that wait must not hold up everyone else's gives.
    const people = await deps.members.sync(req.workspaceId, [...new Set([req.giverId, ...req.receiverIds])]);
    return slots(() => record(req, people, settings));
  }

  async function record(
    req: GiveRequest,
    people: MemberRow[],
    settings?: WorkspaceSettings,
  ): Promise<GiveOutcome> {
    const now = deps.clock.now();
    const ws = settings ?? (await deps.workspaces.settings(req.workspaceId));
    // The giver's time zone sets the day of the daily cap.
    const byId = new Map(people.map((r) => [r.userId, r]));
    const day = localDayBounds(byId.get(req.giverId)?.tz ?? 'UTC', now);
    const outcome: GiveOutcome = { recorded: [], duplicates: [], rejected: [], nudges: [] };
    const accepted: Array<{ receiver: MemberRow | null; id: string }> = [];
    for (const id of req.receiverIds) {
      const r = byId.get(id);
      // The cap is enforced atomically when recording (recordWithinCap counts the day under a lock);
      // here only the per-receiver guards decide, so no count is needed.
      const check = checkGive({
        giverId: req.giverId,
        receiver: { id, isBot: r?.isBot ?? false, deleted: r?.isDeleted ?? false },
        reason: req.skipReasonCheck ? 'a reaction give with a link' : req.reason,
        givenTodayCount: 0,
        dailyCap: ws.dailyGiveCap,
      });
      if (!check.ok && check.code !== 'daily_cap_reached')
        outcome.rejected.push({ receiverId: id, message: check.message });
      else if (!r)
        // Never seen, and Slack didn't answer the lookup (people Slack doesn't know are stored as
        // deleted): whether they can receive is unknown — not "no longer in this workspace".
        outcome.rejected.push({
          receiverId: id,
          message: `I couldn't look <@${id}> up in Slack just now, so nothing was recorded for them. Please try again in a minute.`,
        });
      else accepted.push({ receiver: r, id });
    }
    await nextTurn();
    const attempts = await deps.gives.recordWithinCap(
      accepted.map(({ id }) => ({
        workspaceId: req.workspaceId,
        giverId: req.giverId,
        receiverId: id,
        kind: req.kind,
        reason: req.reason,
        source: req.source,
        channelId: req.channelId ?? null,
        messageTs: req.messageTs ?? null,
        sourceKey: req.keyFor(id),
        createdAt: now,
      })),
      ws.dailyGiveCap,
      day,
    );
    const dms = [];
    for (const [i, a] of attempts.entries()) {
      const target = accepted[i];
      if (!target) continue;
      if (a.status === 'duplicate') outcome.duplicates.push(target.id);
      else if (a.status === 'cap_reached') {
        // The cap was reached while recording (another give got there first): same words as checkGive.
        outcome.rejected.push({
          receiverId: target.id,
          message: dailyCapMessage(ws.dailyGiveCap),
        });
      } else {
        outcome.recorded.push({ receiverId: target.id, giveId: a.id });
        if (!target.receiver?.giveDmsOff) {
          dms.push({
            workspaceId: req.workspaceId,
            kind: 'give_dm',
            key: `give_dm:${a.id}`,
            userId: target.id,
            payload: { giveId: a.id },
            dueAt: now,
          });
        }
        await nextTurn();
        const pair = await deps.gives.pairCountSince(
          req.workspaceId,
          req.giverId,
          target.id,
          new Date(now.getTime() - THANK_SOMEONE_NEW_WINDOW_DAYS * DAY_MS),
        );
        if (needsThankSomeoneNewNudge(pair)) outcome.nudges.push(THANK_SOMEONE_NEW_MESSAGE);
      }
    }
    if (dms.length > 0) {
      await nextTurn();
      await deps.prompts.schedule(dms);
      deps.onScheduled?.();
    }
    log.debug(
      { workspaceId: req.workspaceId, recorded: outcome.recorded.length, rejected: outcome.rejected.length },
      'give',
    );
    return outcome;
  }

  /** Tells a giver privately why some gives in a channel were not recorded. */
  async function explainInChannel(
    workspaceId: string,
    channelId: string,
    userId: string,
    notes: string[],
  ): Promise<void> {
    if (notes.length === 0) return;
    const r = await deps.slack.postEphemeral(workspaceId, channelId, userId, {
      text: [...new Set(notes)].join('\n'),
    });
    if (!r.ok) log.warn({ workspaceId, channelId, error: r.error }, 'could not explain a rejected give');
  }

  /** Records the gives a channel message's text makes (idempotent per message and receiver). */
  async function recordMessageGives(input: MessageInput): Promise<{ recorded: number }> {
    const settings = await deps.workspaces.settings(input.workspaceId);
    const emoji = normalizeEmojiName(settings.giveEmoji);
    const parsed = parseMessageGives(input.text, input.userId, emoji);
    if (!parsed.hasEmoji || parsed.mentionedUserIds.length === 0) return { recorded: 0 };
    const outcome = await give(
      {
        workspaceId: input.workspaceId,
        giverId: input.userId,
        receiverIds: parsed.mentionedUserIds,
        kind: DEFAULT_GIVE_KIND,
        reason: parsed.reason,
        source: 'message',
        channelId: input.channelId,
        messageTs: input.ts,
        keyFor: (id) => `msg:${input.channelId}:${input.ts}:${id}`,
      },
      settings,
    );
    if (outcome.recorded.length > 0) {
      const r = await deps.slack.addReaction(input.workspaceId, input.channelId, input.ts, emoji);
      if (!r.ok && r.error !== 'already_reacted')
        log.warn({ error: r.error }, 'could not confirm a give with a reaction');
    }
    await explainInChannel(input.workspaceId, input.channelId, input.userId, [
      ...outcome.rejected.map((r) => r.message),
      ...outcome.nudges,
    ]);
    return { recorded: outcome.recorded.length };
  }

  async function emojiFor(workspaceId: string): Promise<string> {
    return normalizeEmojiName((await deps.workspaces.settings(workspaceId)).giveEmoji);
  }

  async function resolveNames(
    workspaceId: string,
    names: string[],
  ): Promise<{ ids: string[]; unknown: string[] }> {
    const ids: string[] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const lower = name.toLowerCase();
      const found = await deps.prisma.member.findMany({
        where: {
          workspaceId,
          isDeleted: false,
          OR: [
            { name: { equals: lower, mode: 'insensitive' } },
            { realName: { equals: lower, mode: 'insensitive' } },
          ],
        },
        take: 2,
      });
      if (found.length === 1 && found[0]) ids.push(found[0].userId);
      else unknown.push(name);
    }
    return { ids, unknown };
  }

  return {
    give,

    /** `/give …`: replies to post through the response URL, in order (public shoutout, then private notes). */
    async giveFromCommand(input: {
      workspaceId: string;
      giverId: string;
      channelId: string;
      text: string;
      triggerId?: string;
    }): Promise<CommandReply[]> {
      const parsed = parseGiveCommand(input.text);
      if (!parsed.ok) return [buildErrorReply(parsed.message)];
      const names = await resolveNames(input.workspaceId, parsed.unresolvedNames);
      if (names.unknown.length > 0) {
        return [
          buildErrorReply(
            `I couldn't find ${names.unknown.map((n) => `@${n}`).join(', ')} in this workspace. Pick people from Slack's autocomplete as you type @, e.g. \`/give @maria #help thanks for reviewing the deck\`.`,
          ),
        ];
      }
      const receiverIds = [...new Set([...parsed.receivers, ...names.ids])];
      const key = input.triggerId ?? `${input.channelId}:${deps.clock.now().getTime()}`;
      const outcome = await give({
        workspaceId: input.workspaceId,
        giverId: input.giverId,
        receiverIds,
        kind: parsed.kind ?? DEFAULT_GIVE_KIND,
        reason: parsed.reason,
        source: 'command',
        channelId: input.channelId,
        keyFor: (id) => `cmd:${key}:${id}`,
      });
      const replies: CommandReply[] = [];
      const thanked = outcome.recorded.map((r) => r.receiverId);
      if (thanked.length > 0) {
        replies.push(
          buildShoutout({
            giverId: input.giverId,
            receiverIds: thanked,
            kind: parsed.kind,
            reason: parsed.reason,
          }),
        );
      }
      const notes = buildGiveNotes([
        ...new Set([...outcome.rejected.map((r) => r.message), ...outcome.nudges]),
      ]);
      if (notes) replies.push(notes);
      if (replies.length === 0) replies.push(buildErrorReply('That give was already recorded.'));
      return replies;
    },

    /** A channel message was posted: the give emoji plus mentions gives to each person mentioned. */
    async messagePosted(input: MessageInput) {
      // A late or retried message event: a newer edit or the deletion already settled its gives.
      if (await deps.gives.messageMark(input.workspaceId, input.channelId, input.ts)) return { recorded: 0 };
      return recordMessageGives(input);
    },

    /**
     * A message was edited (`changedTs`: when, by Slack's clock; `previousText`: its text before):
     * gives follow the emoji and mentions it has now — unless the message was deleted or a newer edit
     * was already applied.
     */
    async messageEdited(input: MessageInput & { changedTs?: string; previousText?: string }) {
      const { workspaceId, channelId, ts } = input;
      const mark = await deps.gives.messageMark(workspaceId, channelId, ts);
      const stale =
        mark?.deleted ||
        (mark?.editedTs && input.changedTs && compareSlackTs(input.changedTs, mark.editedTs) < 0);
      if (stale) return { removed: 0, added: 0 };
      const emoji = await emojiFor(workspaceId);
      const existing = await deps.gives.forMessage(workspaceId, channelId, ts, 'message');
      const after = parseMessageGives(input.text, input.userId, emoji);
      const before = {
        hasEmoji: existing.length > 0,
        mentionedUserIds: existing.map((g) => g.receiverId ?? ''),
        reason: '',
      };
      const diff = diffMessageGives(before, after);
      await deps.gives.removeByKeys(
        workspaceId,
        diff.remove.map((id) => `msg:${channelId}:${ts}:${id}`),
      );
      if (diff.add.length > 0) {
        await recordMessageGives(input);
      }
      // Only messages that concern gives are marked (most edits don't); marked after applying, so if
      // applying fails a redelivery of this edit is not taken for stale.
      const concernsGives =
        mark || existing.length > 0 || after.hasEmoji || hadGiveEmoji(input.previousText, emoji);
      if (concernsGives) {
        const editedTs =
          mark?.editedTs && (!input.changedTs || compareSlackTs(mark.editedTs, input.changedTs) > 0)
            ? mark.editedTs
            : (input.changedTs ?? null);
        await deps.gives.markMessage(
          workspaceId,
          channelId,
          ts,
          { editedTs, deleted: false },
          deps.clock.now(),
        );
      }
      return { removed: diff.remove.length, added: diff.add.length };
    },

    /** A message was deleted: its gives (from the message and from reactions to it) go too, for good. */
    async messageDeleted(input: {
      workspaceId: string;
      channelId: string;
      ts: string;
      previousText?: string;
    }) {
      const { workspaceId, channelId, ts } = input;
      const removed = await deps.gives.removeForMessage(workspaceId, channelId, ts);
      const mark = await deps.gives.messageMark(workspaceId, channelId, ts);
      // Marked when it concerns gives: a late message event for it must then record nothing.
      if (mark || removed > 0 || hadGiveEmoji(input.previousText, await emojiFor(workspaceId))) {
        const deletedMark = { editedTs: mark?.editedTs ?? null, deleted: true };
        await deps.gives.markMessage(workspaceId, channelId, ts, deletedMark, deps.clock.now());
      }
      return { removed };
    },

    /** Reacting with the give emoji gives to the message's author; the reason links to the message. */
    async reactionAdded(input: {
      workspaceId: string;
      channelId: string;
      ts: string;
      userId: string;
      authorId: string;
      reaction: string;
    }) {
      const emoji = await emojiFor(input.workspaceId);
      if (normalizeEmojiName(input.reaction) !== emoji) return { recorded: 0 };
      if (input.userId === (await deps.botUserId(input.workspaceId))) return { recorded: 0 };
      const mark = await deps.gives.messageMark(input.workspaceId, input.channelId, input.ts);
      if (mark?.deleted) return { recorded: 0 }; // a late reaction to a message deleted since
      const link = await deps.slack.permalink(input.workspaceId, input.channelId, input.ts);
      const outcome = await give({
        workspaceId: input.workspaceId,
        giverId: input.userId,
        receiverIds: [input.authorId],
        kind: DEFAULT_GIVE_KIND,
        reason: link.ok && link.url ? link.url : `a message in <#${input.channelId}>`,
        source: 'reaction',
        channelId: input.channelId,
        messageTs: input.ts,
        keyFor: () => `react:${input.channelId}:${input.ts}:${input.userId}`,
        skipReasonCheck: true,
      });
      await explainInChannel(input.workspaceId, input.channelId, input.userId, [
        ...outcome.rejected.map((r) => r.message),
        ...outcome.nudges,
      ]);
      return { recorded: outcome.recorded.length };
    },

    /** Removing the reaction removes its give. */
    async reactionRemoved(input: {
      workspaceId: string;
      channelId: string;
      ts: string;
      userId: string;
      reaction: string;
    }) {
      const emoji = await emojiFor(input.workspaceId);
      if (normalizeEmojiName(input.reaction) !== emoji) return { removed: 0 };
      return {
        removed: await deps.gives.removeByKeys(input.workspaceId, [
          `react:${input.channelId}:${input.ts}:${input.userId}`,
        ]),
      };
    },
  };
}
export type GiveService = ReturnType<typeof createGiveService>;
