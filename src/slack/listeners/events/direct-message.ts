import type { App } from '@slack/bolt';
import { z } from 'zod';
import { buildDirectMessageReply } from '../../views/help.ts';
import type { ListenerDeps } from '../deps.ts';

/** A person's own new message in their DM with Weave (not a bot, an edit or a thread reply). */
const directMessage = z.object({
  channel_type: z.literal('im'),
  channel: z.string(),
  user: z.string(),
  subtype: z.undefined().optional(),
  bot_id: z.undefined().optional(),
  thread_ts: z.undefined().optional(),
});

/** One pointer per person per hour: someone chatting with Weave gets one answer, not one per line. */
export const DM_REPLY_EVERY_MS = 60 * 60_000;

/** message.im: a DM to Weave is answered with a short pointer to `/intro help`. */
export function registerDirectMessageEvents(app: App, deps: ListenerDeps): void {
  const lastReply = new Map<string, number>();
  app.event('message', async ({ event, context }) => {
    const workspaceId = context.teamId;
    const m = directMessage.safeParse(event);
    if (!workspaceId || !m.success || m.data.user === context.botUserId) return;
    const key = `${workspaceId}:${m.data.user}`;
    const now = Date.now();
    if (now - (lastReply.get(key) ?? Number.NEGATIVE_INFINITY) < DM_REPLY_EVERY_MS) return;
    lastReply.set(key, now);
    const r = await deps.slack.postMessage(workspaceId, m.data.channel, buildDirectMessageReply());
    if (!r.ok) deps.log.warn({ workspaceId, error: r.error }, 'could not answer a direct message');
  });
}
