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
import { GIVE_LINK_KIND, GIVE_NOTE_KIND, GIVE_REACTION_KIND, MEMBER_SYNC_KIND } from './give-notices.ts';
import { type MemberNames, resolveName } from './names.ts';
import type {
  Clock,
  NewPrompt,
  PromptQueue as PromptRepository,
  WorkspaceStore as WorkspaceRepository,
} from './ports.ts';

export interface NewGive {
  workspaceId: string;
  giverId: string;
  receiverId: string;
  kind: string;
  reason: string;
  source: 'command' | 'message' | 'reaction' | 'intro' | 'thanks';
  channelId?: string | null;
  messageTs?: string | null;
  /** Where the give came from; unique per workspace, so a retried event can't record it twice. */
  sourceKey: string;
  createdAt: Date;
}

/**
 * What has been applied to a message's gives beyond the message itself: its latest edit (by Slack ts)
 * or its deletion. Lets a late or retried older event (the original message, an earlier edit) be ignored.
 */
export interface MessageMark {
  editedTs: string | null;
  deleted: boolean;
}

export type GiveAttempt =
  | { status: 'recorded'; id: string }
  | { status: 'duplicate' }
  | { status: 'cap_reached'; givenToday: number };

/** A stored member as the give guards see them. */
export interface GivePerson {
  userId: string;
  tz: string;
  isBot: boolean;
  isDeleted: boolean;
  giveDmsOff: boolean;
  profileSyncedAt: Date | null;
}

/** Where gives (and the members they concern) are stored; src/persistence/repositories/gives.ts. */
export interface GiveRepository {
  /** The stored members among `userIds` (one query). */
  people(workspaceId: string, userIds: string[]): Promise<GivePerson[]>;
  /**
   * Records gives of one giver atomically under the daily cap (`day`: the giver's local day).
   * Duplicates (same source key) are reported, not counted.
   */
  recordWithinCap(gives: NewGive[], cap: number, day: { start: Date; end: Date }): Promise<GiveAttempt[]>;
  /** How many gives went from `giverId` to `receiverId` since `since`. */
  pairCountSince(workspaceId: string, giverId: string, receiverId: string, since: Date): Promise<number>;
  /** Gives recorded from one message (by the message or by reactions to it). */
  forMessage(
    workspaceId: string,
    channelId: string,
    messageTs: string,
    source?: NewGive['source'],
  ): Promise<Array<{ receiverId: string | null }>>;
  removeByKeys(workspaceId: string, sourceKeys: string[]): Promise<number>;
  removeForMessage(workspaceId: string, channelId: string, messageTs: string): Promise<number>;
  /** The message's mark, or null when only the message itself has been seen (or nothing). */
  messageMark(workspaceId: string, channelId: string, messageTs: string): Promise<MessageMark | null>;
  /** Records a message's latest applied edit or its deletion (replacing its previous mark). */
  markMessage(
    workspaceId: string,
    channelId: string,
    messageTs: string,
    mark: MessageMark,
    now: Date,
  ): Promise<void>;
}

/** A `/give` as the Slack adapter parsed it: receivers by id, plain `@names` still to resolve. */
export interface GiveCommandInput {
  workspaceId: string;
  giverId: string;
  channelId: string;
  triggerId?: string;
  receivers: string[];
  unresolvedNames: string[];
  kind: GiveKind;
  reason: string;
}

/** What a `/give` came to; the Slack adapter renders it. */
export type GiveCommandResult =
  | { code: 'unknown_names'; names: string[] }
  | { code: 'already_recorded' }
  | {
      code: 'given';
      /** Who the shoutout thanks (none when every receiver was refused). */
      thanked: string[];
      giverId: string;
      kind: GiveKind;
      reason: string;
      /** What the giver hears privately, without repeats. */
      notes: string[];
    };

const DAY_MS = 86_400_000;
/** Receivers one message or command can thank; the rest are ignored and the giver is told. */
export const MAX_RECEIVERS = 20;

/** What a giver is told when a message or command named more people than a give can thank. */
export function tooManyReceiversMessage(named: number): string {
  return `A give can thank at most ${MAX_RECEIVERS} people at once: I recorded the first ${MAX_RECEIVERS} of the ${named} you named, and left out the rest.`;
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
  /** Anything else the giver should hear privately (e.g. people left out over the limit). */
  notes: string[];
}

/** Gives: /give, message emoji and reactions, with their guards. */
export function createGiveService(deps: {
  gives: GiveRepository;
  /** Plain `@name`s in `/give` (the same rule as `/intro`'s). */
  names: MemberNames;
  workspaces: Pick<WorkspaceRepository, 'settings'>;
  prompts: Pick<PromptRepository, 'schedule'>;
  log: Logger;
  clock: Clock;
  botUserId: (workspaceId: string) => Promise<string | null>;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'gives' });

  /**
   * Applies the guards, records what passes (idempotently, under the daily cap) and queues receiver DMs.
   * Nothing here waits on Slack: people are judged by the rows already stored, those never seen are
   * recorded by the ids Slack sent, and their names, departments and time zones are filled in later by
   * a `member_sync` prompt (see `createMemberSyncHandlers`).
   * `settings`: the workspace's settings when the caller already has them (saves a query per give).
   */
  async function give(req: GiveRequest, settings?: WorkspaceSettings): Promise<GiveOutcome> {
    const now = deps.clock.now();
    const named = [...new Set(req.receiverIds)];
    const receiverIds = named.slice(0, MAX_RECEIVERS);
    const ids = [...new Set([req.giverId, ...receiverIds])];
    const people = await deps.gives.people(req.workspaceId, ids);
    const ws = settings ?? (await deps.workspaces.settings(req.workspaceId));
    // Weave's own bot is known without a lookup (auth.test, once per token).
    const bot = await deps.botUserId(req.workspaceId);
    // The giver's time zone sets the day of the daily cap (UTC until their profile is read).
    const byId = new Map(people.map((r) => [r.userId, r]));
    const day = localDayBounds(byId.get(req.giverId)?.tz ?? 'UTC', now);
    const outcome: GiveOutcome = { recorded: [], duplicates: [], rejected: [], nudges: [], notes: [] };
    if (named.length > MAX_RECEIVERS) outcome.notes.push(tooManyReceiversMessage(named.length));
    const accepted: Array<{ receiver: GivePerson | null; id: string }> = [];
    for (const id of receiverIds) {
      const r = byId.get(id);
      // The cap is enforced atomically when recording (recordWithinCap counts the day under a lock);
      // here only the per-receiver guards decide, so no count is needed.
      const check = checkGive({
        giverId: req.giverId,
        receiver: { id, isBot: r?.isBot ?? id === bot, deleted: r?.isDeleted ?? false },
        reason: req.skipReasonCheck ? 'a reaction give with a link' : req.reason,
        givenTodayCount: 0,
        dailyCap: ws.dailyGiveCap,
      });
      if (!check.ok && check.code !== 'daily_cap_reached')
        outcome.rejected.push({ receiverId: id, message: check.message });
      else accepted.push({ receiver: r ?? null, id });
    }
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
    const dms: NewPrompt[] = [];
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
        const pair = await deps.gives.pairCountSince(
          req.workspaceId,
          req.giverId,
          target.id,
          new Date(now.getTime() - THANK_SOMEONE_NEW_WINDOW_DAYS * DAY_MS),
        );
        if (needsThankSomeoneNewNudge(pair)) outcome.nudges.push(THANK_SOMEONE_NEW_MESSAGE);
      }
    }
    // People never seen (or not read for a day) are looked up in Slack afterwards, one prompt per person
    // and day: a burst of gives from the same newcomer costs one lookup.
    const dayKey = now.toISOString().slice(0, 10);
    // Only for gives actually recorded: a refused input costs no lookup.
    const involved =
      outcome.recorded.length > 0 ? [req.giverId, ...outcome.recorded.map((r) => r.receiverId)] : [];
    const unread = involved.filter((id) => {
      const m = byId.get(id);
      return !m?.profileSyncedAt || now.getTime() - m.profileSyncedAt.getTime() > DAY_MS;
    });
    const syncs = unread.map(
      (userId): NewPrompt => ({
        workspaceId: req.workspaceId,
        kind: MEMBER_SYNC_KIND,
        key: `member_sync:${userId}:${dayKey}`,
        userId,
        payload: { userId, firstSeen: !byId.has(userId) },
        dueAt: now,
      }),
    );
    if (dms.length + syncs.length > 0) {
      await deps.prompts.schedule([...dms, ...syncs]);
      deps.onScheduled?.();
    }
    log.debug(
      { workspaceId: req.workspaceId, recorded: outcome.recorded.length, rejected: outcome.rejected.length },
      'give',
    );
    return outcome;
  }

  /**
   * Tells a giver privately why some gives in a channel were not recorded, later, from the outbox
   * (`key`: one note per input, so a reprocessed input does not say it twice).
   */
  async function explainInChannel(
    workspaceId: string,
    channelId: string,
    userId: string,
    notes: string[],
    key: string,
  ): Promise<void> {
    if (notes.length === 0) return;
    await deps.prompts.schedule([
      {
        workspaceId,
        kind: GIVE_NOTE_KIND,
        key: `give_note:${key}`,
        userId,
        payload: { channelId, text: [...new Set(notes)].join('\n') },
        dueAt: deps.clock.now(),
      },
    ]);
    deps.onScheduled?.();
  }

  /** Records the gives a channel message's text makes (idempotent per message and receiver). */
  async function recordMessageGives(input: MessageInput, noteKey: string): Promise<{ recorded: number }> {
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
      // The confirming reaction is sent from the outbox: recording never waits on Slack's pacing.
      await deps.prompts.schedule([
        {
          workspaceId: input.workspaceId,
          kind: GIVE_REACTION_KIND,
          key: `give_reaction:${input.channelId}:${input.ts}`,
          payload: { channelId: input.channelId, ts: input.ts, emoji },
          dueAt: deps.clock.now(),
        },
      ]);
      deps.onScheduled?.();
    }
    await explainInChannel(
      input.workspaceId,
      input.channelId,
      input.userId,
      [...outcome.notes, ...outcome.rejected.map((r) => r.message), ...outcome.nudges],
      noteKey,
    );
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
      const found = await resolveName(deps.names, workspaceId, name);
      if (found.kind === 'one') ids.push(found.userId);
      else unknown.push(name);
    }
    return { ids, unknown };
  }

  return {
    give,

    /** `/give …` (parsed by the Slack adapter): what to tell the channel and the giver. */
    async giveFromCommand(input: GiveCommandInput): Promise<GiveCommandResult> {
      const names = await resolveNames(input.workspaceId, input.unresolvedNames);
      if (names.unknown.length > 0) return { code: 'unknown_names', names: names.unknown };
      const receiverIds = [...new Set([...input.receivers, ...names.ids])];
      const key = input.triggerId ?? `${input.channelId}:${deps.clock.now().getTime()}`;
      const outcome = await give({
        workspaceId: input.workspaceId,
        giverId: input.giverId,
        receiverIds,
        kind: input.kind ?? DEFAULT_GIVE_KIND,
        reason: input.reason,
        source: 'command',
        channelId: input.channelId,
        keyFor: (id) => `cmd:${key}:${id}`,
      });
      // A duplicate has this very command's key (its trigger id): the inbox replaying a command whose
      // process died after recording it but before answering. The answer is the shoutout all the same.
      const thanked = [...outcome.recorded.map((r) => r.receiverId), ...outcome.duplicates];
      const notes = [
        ...new Set([...outcome.notes, ...outcome.rejected.map((r) => r.message), ...outcome.nudges]),
      ];
      if (thanked.length === 0 && notes.length === 0) return { code: 'already_recorded' };
      return {
        code: 'given',
        thanked,
        giverId: input.giverId,
        kind: input.kind,
        reason: input.reason,
        notes,
      };
    },

    /** A channel message was posted: the give emoji plus mentions gives to each person mentioned. */
    async messagePosted(input: MessageInput) {
      // A late or retried message event: a newer edit or the deletion already settled its gives.
      if (await deps.gives.messageMark(input.workspaceId, input.channelId, input.ts)) return { recorded: 0 };
      return recordMessageGives(input, `msg:${input.channelId}:${input.ts}`);
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
        await recordMessageGives(
          input,
          `msg:${channelId}:${ts}:edit:${input.changedTs ?? deps.clock.now().getTime()}`,
        );
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
      // The reason names the channel until the permalink is read (a paced Slack call, made afterwards).
      const outcome = await give({
        workspaceId: input.workspaceId,
        giverId: input.userId,
        receiverIds: [input.authorId],
        kind: DEFAULT_GIVE_KIND,
        reason: `a message in <#${input.channelId}>`,
        source: 'reaction',
        channelId: input.channelId,
        messageTs: input.ts,
        keyFor: () => `react:${input.channelId}:${input.ts}:${input.userId}`,
        skipReasonCheck: true,
      });
      const [recorded] = outcome.recorded;
      if (recorded) {
        // The link to the message replaces the channel in the reason once Slack has answered.
        await deps.prompts.schedule([
          {
            workspaceId: input.workspaceId,
            kind: GIVE_LINK_KIND,
            key: `give_link:${recorded.giveId}`,
            payload: { giveId: recorded.giveId, channelId: input.channelId, ts: input.ts },
            dueAt: deps.clock.now(),
          },
        ]);
        deps.onScheduled?.();
      }
      await explainInChannel(
        input.workspaceId,
        input.channelId,
        input.userId,
        [...outcome.rejected.map((r) => r.message), ...outcome.nudges],
        `react:${input.channelId}:${input.ts}:${input.userId}`,
      );
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
