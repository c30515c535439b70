// Gives made in a channel message: the give emoji plus mentions of the people thanked.

/** What a channel message says about gives. */
export interface MessageGives {
  /** True when the message contains the give emoji (any skin tone). */
  hasEmoji: boolean;
  /** Mentioned users, unique, in order of first mention, without the author. */
  mentionedUserIds: string[];
  /** The message without mentions, special mentions and the give emoji, whitespace collapsed, trimmed. */
  reason: string;
}

/** Receivers to add and remove when a message is edited (or created/deleted, as null before/after). */
export interface MessageGivesDiff {
  add: string[];
  remove: string[];
  keep: string[];
}

/** The default give emoji name. */
export const DEFAULT_GIVE_EMOJI = 'gift';

const UNICODE_EMOJI: Readonly<Record<string, string>> = { gift: '🎁' };
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;
const SPECIAL_MENTION = /<![^<>]*>/g;

/** The bare emoji name from admin input such as `:Gift:` or ` gift `. */
export function normalizeEmojiName(name: string): string {
  const bare = name
    .trim()
    .replace(/^:+|:+$/g, '')
    .toLowerCase();
  return bare === '' ? DEFAULT_GIVE_EMOJI : bare;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function emojiPattern(emojiName: string): RegExp {
  const name = normalizeEmojiName(emojiName);
  const alternatives = [`:${escapeRegExp(name)}:(?::skin-tone-[1-6]:)?`];
  const unicode = UNICODE_EMOJI[name];
  if (unicode !== undefined) alternatives.push(`${escapeRegExp(unicode)}\\uFE0F?`);
  return new RegExp(alternatives.join('|'), 'giu');
}

/**
 * Reads a channel message for gives: whether it has the give emoji (default `gift`; `:gift:`, any skin
 * tone, or 🎁), the mentioned people (`<@U123>` or `<@U123|name>`; `<!here>` and the like are ignored),
 * and the reason left once mentions and the emoji are stripped.
 */
export function parseMessageGives(
  text: string,
  authorId: string,
  emojiName: string = DEFAULT_GIVE_EMOJI,
): MessageGives {
  const emoji = emojiPattern(emojiName);
  const hasEmoji = emoji.test(text);
  emoji.lastIndex = 0;
  const mentioned = new Set<string>();
  for (const m of text.matchAll(USER_MENTION)) {
    const id = m[1];
    if (id !== undefined && id !== authorId) mentioned.add(id);
  }
  const reason = text
    .replace(USER_MENTION, ' ')
    .replace(SPECIAL_MENTION, ' ')
    .replace(emoji, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/ ([,.!?;:])(?=\s|$)/g, '$1')
    .replace(/^[\s,.;:!–—-]+/, '')
    .trim();
  return { hasEmoji, mentionedUserIds: [...mentioned], reason };
}

function receiversOf(gives: MessageGives | null): string[] {
  return gives?.hasEmoji === true ? gives.mentionedUserIds : [];
}

/**
 * Which receivers to add, remove and keep when a message changes from `before` to `after` (null: the message
 * did not exist / was deleted). Only messages with the give emoji give anything.
 */
export function diffMessageGives(before: MessageGives | null, after: MessageGives | null): MessageGivesDiff {
  const was = receiversOf(before);
  const now = receiversOf(after);
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  return {
    add: now.filter((id) => !wasSet.has(id)),
    remove: was.filter((id) => !nowSet.has(id)),
    keep: now.filter((id) => wasSet.has(id)),
  };
}
