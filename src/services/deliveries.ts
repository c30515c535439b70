// Sending an outbox prompt's message exactly once, and the data the Slack delivery handlers
// (src/slack/deliveries/) read to render what they send.

import type { IntroRow } from './intros.ts';
import type { MemberRow } from './members.ts';
import type { DeliveryOutcome } from './outbox.ts';
import type { ClaimedPrompt } from './ports.ts';
import {
  type Clock,
  type MessageContent,
  type SlackGateway,
  type SlackResult,
  systemClock,
} from './ports.ts';
import type { ProgramRow } from './rounds.ts';

/** A group as its intro's delivery needs it. */
export interface DeliveryGroup {
  id: string;
  workspaceId: string;
  roundId: string | null;
  kind: string;
  conversationId: string | null;
  messageTs: string | null;
  deliveredAt: Date | null;
  /** As stored (a JSON list of strings). */
  reasons: unknown;
}

/** A give as its receiver's DM needs it. */
export interface DeliveryGive {
  giverId: string;
  receiverId: string | null;
  kind: string;
  reason: string;
  channelId: string | null;
}

/** An intro invite that was sent, with where it was posted (its outbox result). */
export interface SentInvite {
  userId: string | null;
  result: unknown;
}

/** Where a group's delivery is recorded. */
export interface GroupDeliveryStore {
  markGroupFailed(groupId: string, at: Date, failure: string): Promise<void>;
  markGroupDelivered(groupId: string, at: Date, messageTs: string, conversationId: string): Promise<void>;
}

/** What the delivery handlers read and record, each read scoped to the prompt's workspace. */
export interface DeliveryRepository extends GroupDeliveryStore {
  /** A group with its member ids and its stored meeting offer (a round intro renders both). */
  groupWithMembers(
    workspaceId: string,
    groupId: string,
  ): Promise<
    (DeliveryGroup & { members: Array<{ userId: string }>; slots: Date[]; moreSlotsOffered: boolean }) | null
  >;
  group(workspaceId: string, groupId: string): Promise<DeliveryGroup | null>;
  /** A group as it is now (it must exist). */
  groupNow(groupId: string): Promise<DeliveryGroup>;
  members(workspaceId: string, userIds: string[]): Promise<MemberRow[]>;
  member(workspaceId: string, userId: string): Promise<MemberRow | null>;
  program(workspaceId: string, programId: string): Promise<ProgramRow | null>;
  give(workspaceId: string, giveId: string): Promise<DeliveryGive | null>;
  intro(workspaceId: string, introId: string): Promise<IntroRow | null>;
  /** Sent `intro_invite` prompts among `keys`. */
  sentInvites(workspaceId: string, keys: string[]): Promise<SentInvite[]>;
  /** Marks a round delivered once none of its group intros is still waiting. */
  finishRoundIfDelivered(roundId: string, at: Date): Promise<void>;
}

/** What posting a prompt's message needs of the claimed prompt: its id, and its posts in flight. */
export type PostingPrompt = Pick<ClaimedPrompt, 'id' | 'workspaceId' | 'postingSince' | 'posting'>;

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
  prompt: PostingPrompt,
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
  prompt: PostingPrompt,
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
  deps: { groups: GroupDeliveryStore; slack: SlackGateway; clock: Clock },
  prompt: PostingPrompt,
  group: { id: string; conversationId: string | null },
  userIds: string[],
  message: MessageContent,
): Promise<
  { ok: true; channelId: string; ts: string; deliveredAt: Date } | { ok: false; outcome: DeliveryOutcome }
> {
  const fail = async (r: Exclude<SlackResult<object>, { ok: true }>) => {
    if (r.kind === 'permanent') {
      await deps.groups.markGroupFailed(group.id, deps.clock.now(), r.error);
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
  // The time stored is the one the check-in is counted from (callers must not read the clock again).
  const deliveredAt = deps.clock.now();
  await deps.groups.markGroupDelivered(group.id, deliveredAt, posted.ts, channelId);
  return { ok: true, channelId, ts: posted.ts, deliveredAt };
}
