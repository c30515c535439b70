/** Web API: chat.* and reactions.*. */
import type { FakeSlackModel } from './model.ts';
import type { Builtins, CallArgs, FakeMessage, SlackResult } from './types.ts';
import { fail, str } from './util.ts';

/** The built-in handlers of this family, over the fake's state. */
export function chatMethods(s: FakeSlackModel): Builtins {
  return {
    'chat.postMessage': (args, { identity }) => {
      const resolved = s.resolveChannel(str(args, 'channel'));
      if (!resolved.ok) return resolved.result;
      const ch = resolved.value;
      if (ch.isArchived) return fail('is_archived');
      const canPostAnywhere =
        s.isLenient('membership') ||
        (ch.kind === 'public' && (identity.scopes ?? []).includes('chat:write.public'));
      if (!canPostAnywhere && !ch.members.includes(s.bot.userId)) return fail('not_in_channel');
      const invalid = s.checkMessageContent(args, true);
      if (invalid) return invalid;
      const ts = s.nextTs();
      const threadTs = str(args, 'thread_ts');
      const msg: FakeMessage = {
        channel: ch.id,
        ts,
        text: str(args, 'text') ?? '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        user: s.bot.userId,
        bot_id: s.bot.botId,
        deleted: false,
      };
      s.messages.set(`${ch.id}|${ts}`, msg);
      return { ok: true, channel: ch.id, ts, message: s.messageObject(msg) };
    },

    'chat.postEphemeral': (args) => {
      const resolved = s.resolveChannel(str(args, 'channel'));
      if (!resolved.ok) return resolved.result;
      const ch = resolved.value;
      const user = s.users.get(str(args, 'user') ?? '');
      if (!user) return fail('user_not_found');
      if (user.deleted) return fail('user_not_in_channel');
      if (!ch.members.includes(user.id)) return fail('user_not_in_channel');
      const invalid = s.checkMessageContent(args, true);
      if (invalid) return invalid;
      return { ok: true, message_ts: s.nextTs() };
    },

    'chat.update': (args) => {
      const channel = str(args, 'channel') ?? '';
      if (!s.channels.has(channel)) return fail('channel_not_found');
      const msg = s.messages.get(`${channel}|${str(args, 'ts') ?? ''}`);
      if (!msg || msg.deleted) return fail('message_not_found');
      const invalid = s.checkMessageContent(args, false);
      if (invalid) return invalid;
      if (str(args, 'text') === undefined && args.blocks === undefined && args.attachments === undefined) {
        return fail('no_text');
      }
      if (str(args, 'text') !== undefined) msg.text = str(args, 'text') ?? '';
      if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
      if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
      if (args.metadata !== undefined) msg.metadata = args.metadata;
      msg.edited = { user: s.bot.userId, ts: s.nextTs() };
      return { ok: true, channel, ts: msg.ts, text: msg.text, message: s.messageObject(msg) };
    },

    'chat.delete': (args) => {
      const channel = str(args, 'channel') ?? '';
      if (!s.channels.has(channel)) return fail('channel_not_found');
      const msg = s.messages.get(`${channel}|${str(args, 'ts') ?? ''}`);
      if (!msg || msg.deleted) return fail('message_not_found');
      msg.deleted = true;
      return { ok: true, channel, ts: msg.ts };
    },

    'chat.getPermalink': (args) => {
      const channel = str(args, 'channel') ?? '';
      const ts = str(args, 'message_ts') ?? '';
      if (!s.channels.has(channel)) return fail('channel_not_found');
      if (!/^\d+\.\d+$/.test(ts)) return fail('message_not_found');
      return {
        ok: true,
        channel,
        permalink: `https://${s.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },

    'reactions.add': (args) => react(s, args, 'add'),
    'reactions.remove': (args) => react(s, args, 'remove'),
  };
}

function react(s: FakeSlackModel, args: CallArgs, op: 'add' | 'remove'): SlackResult {
  const channel = str(args, 'channel');
  const ts = str(args, 'timestamp');
  const name = str(args, 'name') ?? '';
  if (!channel || !ts) return fail('no_item_specified');
  if (!s.channels.has(channel)) return fail('channel_not_found');
  if (name === '' || name.includes(':') || /\s/.test(name)) return fail('invalid_name');
  const key = `${channel}|${ts}`;
  const byUser = s.reactions.get(key) ?? new Map<string, Set<string>>();
  s.reactions.set(key, byUser);
  const mine = byUser.get(s.bot.userId) ?? new Set<string>();
  byUser.set(s.bot.userId, mine);
  if (op === 'add') {
    if (mine.has(name)) return fail('already_reacted');
    mine.add(name);
  } else {
    if (!mine.has(name)) return fail('no_reaction');
    mine.delete(name);
  }
  return { ok: true };
}
