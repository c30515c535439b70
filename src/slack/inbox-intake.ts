import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboxKind } from '../persistence/repositories/inbox.ts';
import { ACTIONS, COMMANDS } from './ids.ts';

/** A Slack input whose effect Weave keeps: stored in the inbox before Slack gets its 200. */
export interface DurableInput {
  workspaceId: string;
  key: string;
  kind: InboxKind;
  /**
   * The listener answers in its ack (`/intro`): the request waits briefly for the worker, so a prompt
   * answer still comes with the 200; later ones go to the response URL.
   */
  awaitsReply: boolean;
}

/** Events that record something (gives from messages and reactions). */
const DURABLE_EVENTS = new Set(['message', 'reaction_added', 'reaction_removed']);

/**
 * Buttons that record something. Buttons that open a modal are not here: a trigger id lasts 3 seconds,
 * so they are answered at once.
 */
const DURABLE_ACTIONS = new Set<string>([
  ACTIONS.checkInMet,
  ACTIONS.checkInNotYet,
  ACTIONS.checkInNotHappening,
  ACTIONS.introAccept,
  ACTIONS.introDecline,
  ACTIONS.reconnectYes,
  ACTIONS.reconnectNotNow,
  ACTIONS.reconnectNever,
  ACTIONS.pauseToggle,
  ACTIONS.resume,
  ACTIONS.skip,
  ACTIONS.skipFromHeadsUp,
  ACTIONS.forgetConfirm,
  ACTIONS.meetingPick,
  ACTIONS.meetingNone,
]);

/** `/intro` subcommands that change state without opening a modal. */
const DURABLE_INTRO = /^\s*(pause|resume|skip|leave|round\s+now)\b/i;
/** `/intro @a @b why`: an introduction between two people (one person opens a modal instead). */
const INTRODUCE_TWO = /^\s*(<@[^>]+>|@\S+)\s+(<@[^>]+>|@\S+)/;

const envelope = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  team_id: z.string().min(1).optional(),
  enterprise_id: z.string().min(1).optional(),
  event: z.object({ type: z.string(), bot_id: z.string().optional(), subtype: z.string().optional() }),
});
const command = z.object({
  command: z.string(),
  text: z.string().default(''),
  team_id: z.string().min(1),
  trigger_id: z.string().optional(),
});
const blockActions = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id: z.string().min(1) }).nullish(),
  user: z.object({ team_id: z.string().optional() }),
  trigger_id: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string() })).min(1),
});

/** A key derived from the request itself when Slack's own id is missing. */
function bodyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
}

/**
 * Whether a parsed Slack request body must be stored before it is acknowledged, and under which key.
 * Anything else (home tab, modal openers, view submissions, lifecycle events) runs as before.
 */
export function durableInput(body: unknown): DurableInput | null {
  const e = envelope.safeParse(body);
  if (e.success) {
    const { event } = e.data;
    const workspaceId = e.data.team_id ?? e.data.enterprise_id;
    if (!workspaceId || !DURABLE_EVENTS.has(event.type)) return null;
    // Bot messages are ignored by the listener; not worth a row.
    if (event.type === 'message' && (event.bot_id || event.subtype === 'bot_message')) return null;
    return { workspaceId, key: `event:${e.data.event_id}`, kind: 'event', awaitsReply: false };
  }
  const c = command.safeParse(body);
  if (c.success) {
    const { text } = c.data;
    const durable =
      (c.data.command === COMMANDS.give && text.trim() !== '') ||
      (c.data.command === COMMANDS.intro && (DURABLE_INTRO.test(text) || INTRODUCE_TWO.test(text)));
    if (!durable) return null;
    return {
      workspaceId: c.data.team_id,
      key: `command:${c.data.trigger_id ?? bodyHash(body)}`,
      kind: 'command',
      awaitsReply: c.data.command === COMMANDS.intro,
    };
  }
  const a = blockActions.safeParse(body);
  if (a.success) {
    const workspaceId = a.data.team?.id ?? a.data.user.team_id;
    if (!workspaceId || !a.data.actions.some((x) => DURABLE_ACTIONS.has(x.action_id))) return null;
    return {
      workspaceId,
      key: `action:${a.data.trigger_id ?? bodyHash(body)}`,
      kind: 'action',
      awaitsReply: false,
    };
  }
  return null;
}
