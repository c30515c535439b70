import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { ListenerDeps } from '../deps.ts';

// The message event shapes Weave reads; anything else (bot messages, joins…) is ignored.
const posted = z.object({
  channel: z.string(),
  ts: z.string(),
  user: z.string(),
  text: z.string().default(''),
});
// The text before an edit or deletion: tells whether the message concerned gives at all.
const previous = z
  .object({ text: z.string().optional().catch(undefined) })
  .optional()
  .catch(undefined);
const changed = z.object({
  subtype: z.literal('message_changed'),
  channel: z.string(),
  // When the change happened: orders edits that arrive out of order.
  ts: z.string().optional().catch(undefined),
  event_ts: z.string().optional().catch(undefined),
  message: z.object({ ts: z.string(), user: z.string(), text: z.string().default('') }),
  previous_message: previous,
});
const deleted = z.object({
  subtype: z.literal('message_deleted'),
  channel: z.string(),
  deleted_ts: z.string(),
  previous_message: previous,
});
const reactionItem = z.object({ type: z.literal('message'), channel: z.string(), ts: z.string() });

/** Channel messages and reactions that give. */
export function registerGiveEvents(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, context }) => {
    const workspaceId = context.teamId;
    if (!workspaceId) return;
    const e = event as unknown as Record<string, unknown>;
    if (e.bot_id || e.subtype === 'bot_message') return;
    if (e.subtype === undefined || e.subtype === 'thread_broadcast' || e.subtype === 'file_share') {
      const m = posted.safeParse(e);
      if (m.success)
        await deps.services.gives.messagePosted({
          workspaceId,
          channelId: m.data.channel,
          ts: m.data.ts,
          userId: m.data.user,
          text: m.data.text,
        });
      return;
    }
    const edit = changed.safeParse(e);
    if (edit.success) {
      const { message, channel } = edit.data;
      const changedTs = edit.data.ts ?? edit.data.event_ts;
      await deps.services.gives.messageEdited({
        workspaceId,
        channelId: channel,
        ts: message.ts,
        userId: message.user,
        text: message.text,
        ...(changedTs ? { changedTs } : {}),
        ...(edit.data.previous_message?.text !== undefined
          ? { previousText: edit.data.previous_message.text }
          : {}),
      });
      return;
    }
    const del = deleted.safeParse(e);
    if (del.success)
      await deps.services.gives.messageDeleted({
        workspaceId,
        channelId: del.data.channel,
        ts: del.data.deleted_ts,
        ...(del.data.previous_message?.text !== undefined
          ? { previousText: del.data.previous_message.text }
          : {}),
      });
  });

  app.event('reaction_added', async ({ event, context }) => {
    const item = reactionItem.safeParse(event.item);
    if (!context.teamId || !item.success || !event.item_user) return;
    await deps.services.gives.reactionAdded({
      workspaceId: context.teamId,
      channelId: item.data.channel,
      ts: item.data.ts,
      userId: event.user,
      authorId: event.item_user,
      reaction: event.reaction,
    });
  });

  app.event('reaction_removed', async ({ event, context }) => {
    const item = reactionItem.safeParse(event.item);
    if (!context.teamId || !item.success) return;
    await deps.services.gives.reactionRemoved({
      workspaceId: context.teamId,
      channelId: item.data.channel,
      ts: item.data.ts,
      userId: event.user,
      reaction: event.reaction,
    });
  });
}
