import { isGiveKind } from '../domain/gives/kinds.ts';
import type { IntroPerson } from '../domain/intro/starters.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { ClaimedPrompt } from '../persistence/repositories/prompts.ts';
import { buildGiveDm } from '../slack/views/gives.ts';
import { buildGroupIntroMessage } from '../slack/views/intro-message.ts';
import { buildProgramWelcome } from '../slack/views/program-welcome.ts';
import type { MeetingOffer } from './meetings.ts';
import { departmentOf } from './members.ts';
import type { DeliveryOutcome, PromptHandler } from './outbox.ts';
import {
  type Clock,
  type MessageContent,
  type SlackGateway,
  type SlackResult,
  systemClock,
} from './ports.ts';

/** How long a channel's privacy (conversations.info) is remembered for give DMs. */
export const CHANNEL_INFO_TTL_MS = 5 * 60_000;

/** Turns a failed Slack call into the outbox's next step. */
export function outcomeOf(r: Exclude<SlackResult<object>, { ok: true }>): DeliveryOutcome {
  if (r.kind === 'rate_limited')
    return { status: 'retry', error: r.error, retryAfterMs: r.retryAfterMs, rateLimited: true };
  if (r.kind === 'transient') return { status: 'retry', error: r.error };
  return { status: 'failed', error: r.error };
}

/** Slack's clock and ours may differ a little: a lookup starts this much before the uncertain post. */
export const LOOKUP_MARGIN_MS = 2 * 60_000;

/**
 * Posts `content` to `channelId` exactly once for this prompt. Only when an earlier attempt's post has
 * an unknown outcome (its answer was lost, or the process died mid-post) does it first look in the
 * conversation for the message it may have posted, from when that post started; after a 429, a refused
 * connection or an error answer Slack certainly posted nothing, so it just posts again. `wallClock`
 * dates the post as Slack will (its message ts), so it is real time even when tests move the app's clock.
 */
export async function postOnce(
  slack: SlackGateway,
  prompt: ClaimedPrompt,
  channelId: string,
  content: MessageContent,
  wallClock: Clock = systemClock,
): Promise<SlackResult<{ ts: string }>> {
  if (prompt.postingSince) {
    const oldest = new Date(prompt.postingSince.getTime() - LOOKUP_MARGIN_MS);
    const found = await slack.findPromptMessage(prompt.workspaceId, channelId, prompt.id, oldest);
    // A failed lookup (even missing_scope or channel_not_found) says nothing about the post: try later.
    if (!found.ok)
      return found.kind === 'permanent'
        ? { ok: false, kind: 'transient', error: `lookup: ${found.error}` }
        : found;
    if (found.ts) {
      prompt.posting.mayHavePosted();
      return { ok: true, ts: found.ts };
    }
  }
  if (!(await prompt.posting.begin(wallClock.now())))
    return { ok: false, kind: 'transient', error: 'the claim on this prompt was taken over; not posting' };
  const posted = await slack.postMessage(prompt.workspaceId, channelId, { ...content, promptId: prompt.id });
  if (posted.ok || (posted.kind === 'transient' && posted.uncertain)) prompt.posting.mayHavePosted();
  else await prompt.posting.notPosted();
  return posted;
}

/** Sends a direct message to one user exactly once for this prompt. */
export async function dmOnce(
  slack: SlackGateway,
  prompt: ClaimedPrompt,
  userId: string,
  content: MessageContent,
): Promise<DeliveryOutcome> {
  const open = await slack.openConversation(prompt.workspaceId, [userId]);
  if (!open.ok) return outcomeOf(open);
  const posted = await postOnce(slack, prompt, open.channelId, content);
  return posted.ok
    ? { status: 'sent', result: { channelId: open.channelId, ts: posted.ts } }
    : outcomeOf(posted);
}

/**
 * Opens a group's conversation and posts its message exactly once, then records the delivery (or a
 * permanent failure, once). conversations.open is idempotent, so a retry after a crash finds the same
 * conversation and `postOnce` finds a message that was already posted.
 */
export async function deliverToGroup(
  deps: { prisma: Prisma; slack: SlackGateway; clock: Clock },
  prompt: ClaimedPrompt,
  group: { id: string; conversationId: string | null },
  userIds: string[],
  message: MessageContent,
): Promise<{ ok: true; channelId: string; ts: string } | { ok: false; outcome: DeliveryOutcome }> {
  const fail = async (r: Exclude<SlackResult<object>, { ok: true }>) => {
    if (r.kind === 'permanent') {
      await deps.prisma.group.update({
        where: { id: group.id },
        data: { failedAt: deps.clock.now(), failure: r.error },
      });
    }
    return { ok: false as const, outcome: outcomeOf(r) };
  };
  let channelId = group.conversationId;
  if (!channelId) {
    const open = await deps.slack.openConversation(prompt.workspaceId, userIds);
    if (!open.ok) return fail(open);
    channelId = open.channelId;
  }
  const posted = await postOnce(deps.slack, prompt, channelId, message);
  if (!posted.ok) return fail(posted);
  await deps.prisma.group.update({
    where: { id: group.id },
    data: { deliveredAt: deps.clock.now(), messageTs: posted.ts, conversationId: channelId },
  });
  return { ok: true, channelId, ts: posted.ts };
}

/** Prompt handlers for round delivery: the group intro DM and the "not matched" notice. */
export function createRoundDeliveryHandlers(deps: {
  prisma: Prisma;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
  /** For the welcome: where departments come from and how many of the channel's people have none. */
  channelDepartments?: (
    workspaceId: string,
    channelId: string,
  ) => Promise<{ source: string; unknown: number; people: number } | null>;
  /** Suggested meeting times for a group's intro (computed once, kept with the group). */
  meetingOffer?: (workspaceId: string, groupId: string) => Promise<MeetingOffer | null>;
  /** Runs after a group's intro is delivered (e.g. to schedule its check-in). */
  onGroupDelivered?: (
    group: {
      id: string;
      workspaceId: string;
      roundId: string | null;
      kind: string;
      members?: Array<{ userId: string }>;
    },
    at: Date,
  ) => Promise<void>;
}): Record<string, PromptHandler> {
  return {
    async group_intro(prompt) {
      if (!prompt.groupId) return { status: 'failed', error: 'group_intro without group' };
      const group = await deps.prisma.group.findFirst({
        where: { id: prompt.groupId, workspaceId: prompt.workspaceId },
        include: { members: true },
      });
      if (!group) return { status: 'skipped', reason: 'group deleted' };
      if (group.deliveredAt)
        return { status: 'sent', result: { channelId: group.conversationId, ts: group.messageTs } };
      const userIds = group.members.map((m) => m.userId);
      const rows = await deps.prisma.member.findMany({
        where: { workspaceId: prompt.workspaceId, userId: { in: userIds } },
      });
      const byId = new Map(rows.map((r) => [r.userId, r]));
      const people: IntroPerson[] = userIds.map((id) => {
        const m = byId.get(id);
        return {
          id,
          name: m?.realName || m?.name || id,
          department: m ? departmentOf(m) : null,
          title: m?.title ?? '',
          interests: m?.interests ?? [],
          expertise: m?.expertise ?? [],
        };
      });
      const payload = prompt.payload as {
        seed?: number;
        trioAddedId?: string | null;
        introducerId?: string;
        reason?: string;
      };
      const message = buildGroupIntroMessage({
        people,
        reasons: Array.isArray(group.reasons) ? (group.reasons as string[]) : [],
        trioAddedId: payload.trioAddedId ?? null,
        seed: payload.seed ?? 0,
        introducer: payload.introducerId ? { id: payload.introducerId, reason: payload.reason ?? '' } : null,
        meeting: (await deps.meetingOffer?.(prompt.workspaceId, group.id)) ?? null,
      });
      const delivered = await deliverToGroup(deps, prompt, group, userIds, message);
      if (!delivered.ok) return delivered.outcome;
      await finishRoundIfDelivered(deps.prisma, group.roundId, deps.clock.now());
      await deps.onGroupDelivered?.(group, deps.clock.now());
      return { status: 'sent', result: { channelId: delivered.channelId, ts: delivered.ts } };
    },

    async program_welcome(prompt) {
      const { programId, channelId } = prompt.payload as { programId?: string; channelId?: string };
      const program = programId
        ? await deps.prisma.program.findFirst({ where: { id: programId, workspaceId: prompt.workspaceId } })
        : null;
      if (!program || !channelId) return { status: 'skipped', reason: 'program gone' };
      const departments = (await deps.channelDepartments?.(prompt.workspaceId, channelId)) ?? undefined;
      const welcome = buildProgramWelcome(program, departments);
      const posted = await postOnce(deps.slack, prompt, channelId, welcome);
      return posted.ok ? { status: 'sent', result: { ts: posted.ts } } : outcomeOf(posted);
    },

    async unmatched_notice(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'unmatched_notice without user' };
      const channelId = String((prompt.payload as { channelId?: string }).channelId ?? '');
      return dmOnce(deps.slack, prompt, prompt.userId, {
        text: `There was nobody Weave could pair you with this round${channelId ? ` in <#${channelId}>` : ''} (for example because of your "don't pair me with" list or a very small group). You'll be first in line next round.`,
      });
    },
  };
}

/** The DM a receiver gets for a give (queued so retries and restarts send it once). */
export function createGiveDeliveryHandlers(deps: {
  prisma: Prisma;
  slack: SlackGateway;
  /** How long a channel's privacy is remembered (a channel can be made private, keeping its id). */
  channelInfoTtlMs?: number;
}): Record<string, PromptHandler> {
  const known = new Map<string, { isPublic: boolean; at: number }>();
  const ttlMs = deps.channelInfoTtlMs ?? CHANNEL_INFO_TTL_MS;
  /**
   * Whether a give's channel may be named in the DM. Slack says not to rely on id prefixes (a channel
   * made private keeps its `C` id), so conversations.info decides, remembered a few minutes per
   * workspace and channel. Anything Slack won't confirm as public is treated as private.
   */
  async function isPublic(workspaceId: string, channelId: string): Promise<boolean> {
    if (!/^[CG]/.test(channelId)) return false;
    const key = `${workspaceId}:${channelId}`;
    const cached = known.get(key);
    if (cached && Date.now() - cached.at < ttlMs) return cached.isPublic;
    const info = await deps.slack.channelInfo(workspaceId, channelId);
    if (!info.ok) return false;
    known.set(key, { isPublic: info.isPublic, at: Date.now() });
    return info.isPublic;
  }
  return {
    async give_dm(prompt) {
      const giveId = String((prompt.payload as { giveId?: string }).giveId ?? '');
      const give = await deps.prisma.give.findFirst({
        where: { id: giveId, workspaceId: prompt.workspaceId },
      });
      if (!give?.receiverId) return { status: 'skipped', reason: 'give removed' };
      const receiver = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId: prompt.workspaceId, userId: give.receiverId } },
      });
      if (receiver?.giveDmsOff) return { status: 'skipped', reason: 'receiver turned give DMs off' };
      return dmOnce(
        deps.slack,
        prompt,
        give.receiverId,
        buildGiveDm({
          giverId: give.giverId,
          kind: isGiveKind(give.kind) ? give.kind : 'help',
          reason: give.reason,
          channelId: give.channelId,
          channelIsPublic: give.channelId ? await isPublic(prompt.workspaceId, give.channelId) : false,
        }),
      );
    },
  };
}

/** Marks a round delivered once none of its group intros is still waiting. */
async function finishRoundIfDelivered(prisma: Prisma, roundId: string | null, now: Date): Promise<void> {
  if (!roundId) return;
  const waiting = await prisma.group.count({ where: { roundId, deliveredAt: null, failedAt: null } });
  if (waiting === 0) {
    await prisma.round.updateMany({
      where: { id: roundId, status: 'delivering' },
      data: { status: 'delivered', deliveredAt: now },
    });
  }
}
