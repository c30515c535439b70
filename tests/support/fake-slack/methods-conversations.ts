/** Web API: conversations.*. */
import type { FakeSlackModel } from './model.ts';
import type { ChannelState, Resolved } from './state.ts';
import type { Builtins } from './types.ts';
import { bool, decodeCursor, encodeCursor, fail, paginate, str } from './util.ts';

/** The built-in handlers of this family, over the fake's state. */
export function conversationMethods(s: FakeSlackModel): Builtins {
  return {
    'conversations.members': (args) => {
      const ch = s.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      const page = paginate(ch.members, (m) => m, 'member', args);
      if (!page.ok) return page.result;
      return { ok: true, members: page.page, response_metadata: { next_cursor: page.nextCursor } };
    },

    'conversations.info': (args) => {
      const ch = s.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      return { ok: true, channel: s.channelObject(ch, bool(args, 'include_num_members')) };
    },

    'conversations.open': (args) => {
      const channelArg = str(args, 'channel');
      let result: Resolved<{ channel: ChannelState; existed: boolean }>;
      if (channelArg && !str(args, 'users')) {
        const ch = s.channels.get(channelArg);
        if (!ch) return fail('channel_not_found');
        if (ch.kind !== 'im' && ch.kind !== 'mpim') return fail('method_not_supported_for_channel_type');
        result = { ok: true, value: { channel: ch, existed: true } };
      } else {
        const users = (str(args, 'users') ?? '').split(',');
        if (bool(args, 'prevent_creation')) {
          const existing = s.channels.get(s.conversationIdFor(users));
          if (!existing) return fail('channel_not_found');
        }
        result = s.openConversation(users);
      }
      if (!result.ok) return result.result;
      const { channel: ch, existed } = result.value;
      const channel = bool(args, 'return_im') ? s.channelObject(ch, false) : { id: ch.id };
      return { ok: true, ...(existed ? { no_op: true, already_open: true } : {}), channel };
    },

    'conversations.history': (args) => {
      const ch = s.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      if (!s.isLenient('membership') && !ch.members.includes(s.bot.userId)) return fail('not_in_channel');
      // Distributed apps outside the Marketplace get at most 15 messages a call (and 1 call a minute).
      const maxLimit = s.opts.distributedAppLimits ? 15 : 999;
      const limit = Math.max(1, Math.min(maxLimit, Number(str(args, 'limit') ?? 100) || 100));
      const withMetadata = bool(args, 'include_all_metadata');
      const newestFirst = s.messagesIn(ch.id).slice().reverse();
      const cursor = str(args, 'cursor');
      let start = 0;
      if (cursor) {
        const ts = decodeCursor('history', cursor);
        start = ts === undefined ? -1 : newestFirst.findIndex((m) => m.ts === ts);
        if (start < 0) return fail('invalid_cursor');
      }
      const next = newestFirst[start + limit];
      const messages = newestFirst.slice(start, start + limit).map((m) => {
        const obj = s.messageObject(m);
        if (!withMetadata) delete obj.metadata;
        else if (typeof obj.metadata === 'string') obj.metadata = JSON.parse(obj.metadata);
        return obj;
      });
      return {
        ok: true,
        messages,
        has_more: next !== undefined,
        response_metadata: { next_cursor: next ? encodeCursor('history', next.ts) : '' },
      };
    },

    'conversations.join': (args) => {
      const ch = s.channels.get(str(args, 'channel') ?? '');
      if (!ch) return fail('channel_not_found');
      if (ch.kind !== 'public') return fail('method_not_supported_for_channel_type');
      if (ch.isArchived) return fail('is_archived');
      if (ch.members.includes(s.bot.userId)) {
        return {
          ok: true,
          channel: s.channelObject(ch, false),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        };
      }
      ch.members.push(s.bot.userId);
      return { ok: true, channel: s.channelObject(ch, false) };
    },
  };
}
