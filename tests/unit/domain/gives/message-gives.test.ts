import { describe, expect, it } from 'vitest';
import {
  diffMessageGives,
  type MessageGives,
  normalizeEmojiName,
  parseMessageGives,
} from '../../../../src/domain/gives/message-gives.ts';

describe('parseMessageGives', () => {
  it.each<[string, string, string | undefined, MessageGives]>([
    [
      'mentions, emoji and reason',
      '<@U2> thanks for the deck review :gift:',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: 'thanks for the deck review' },
    ],
    [
      'escaped mentions with names, unique, in order, author excluded',
      ':gift: <@U3|sam> and <@U2|maria>, <@U1> and <@U3> saved the launch',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U3', 'U2'], reason: 'and, and saved the launch' },
    ],
    [
      'skin tone variant',
      '<@U2>: thanks for the pairing session :gift::skin-tone-4:',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: 'thanks for the pairing session' },
    ],
    [
      'unicode emoji',
      '<@U2> 🎁 thanks for the pairing session',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: 'thanks for the pairing session' },
    ],
    [
      'special mentions ignored',
      '<!here> <@U2> <!subteam^S1|@eng> thanks for the incident work :gift:',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: 'thanks for the incident work' },
    ],
    [
      'no emoji',
      '<@U2> thanks for the deck review',
      undefined,
      { hasEmoji: false, mentionedUserIds: ['U2'], reason: 'thanks for the deck review' },
    ],
    [
      'a different emoji is not the give emoji',
      '<@U2> thanks :gift_heart: :giftbox:',
      undefined,
      { hasEmoji: false, mentionedUserIds: ['U2'], reason: 'thanks :gift_heart: :giftbox:' },
    ],
    [
      'configured emoji',
      '<@U2> thanks for the help :taco: :taco:',
      ':Taco:',
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: 'thanks for the help' },
    ],
    [
      'configured emoji with regex characters',
      '<@W2> great :+1: work on it',
      '+1',
      { hasEmoji: true, mentionedUserIds: ['W2'], reason: 'great work on it' },
    ],
    [
      'only the author mentioned',
      '<@U1> :gift: note to self',
      undefined,
      { hasEmoji: true, mentionedUserIds: [], reason: 'note to self' },
    ],
    [
      'other languages',
      '<@U2> 資料のレビューありがとう :gift:',
      undefined,
      { hasEmoji: true, mentionedUserIds: ['U2'], reason: '資料のレビューありがとう' },
    ],
  ])('%s', (_name, text, emoji, expected) => {
    expect(
      emoji === undefined ? parseMessageGives(text, 'U1') : parseMessageGives(text, 'U1', emoji),
    ).toEqual(expected);
  });

  it('normalises emoji names', () => {
    expect(normalizeEmojiName(':Gift:')).toBe('gift');
    expect(normalizeEmojiName('  ')).toBe('gift');
  });

  it('is quick on 100k characters', () => {
    const text = `<@U2> ${':gift: '.repeat(5000)}${'x'.repeat(70_000)}`;
    const result = parseMessageGives(text, 'U1');
    expect(result.hasEmoji).toBe(true);
    expect(result.mentionedUserIds).toEqual(['U2']);
  });
});

describe('diffMessageGives', () => {
  const msg = (ids: string[], hasEmoji = true): MessageGives => ({
    hasEmoji,
    mentionedUserIds: ids,
    reason: 'r',
  });

  it.each<
    [string, MessageGives | null, MessageGives | null, { add: string[]; remove: string[]; keep: string[] }]
  >([
    ['new message', null, msg(['U2', 'U3']), { add: ['U2', 'U3'], remove: [], keep: [] }],
    ['deleted message', msg(['U2']), null, { add: [], remove: ['U2'], keep: [] }],
    ['mention removed', msg(['U2', 'U3']), msg(['U3']), { add: [], remove: ['U2'], keep: ['U3'] }],
    ['mention added', msg(['U2']), msg(['U2', 'U4']), { add: ['U4'], remove: [], keep: ['U2'] }],
    ['emoji removed', msg(['U2']), msg(['U2'], false), { add: [], remove: ['U2'], keep: [] }],
    ['emoji added', msg(['U2'], false), msg(['U2']), { add: ['U2'], remove: [], keep: [] }],
    ['no emoji before or after', msg(['U2'], false), msg(['U3'], false), { add: [], remove: [], keep: [] }],
    ['unchanged', msg(['U2']), msg(['U2']), { add: [], remove: [], keep: ['U2'] }],
  ])('%s', (_name, before, after, expected) => {
    expect(diffMessageGives(before, after)).toEqual(expected);
  });

  it('works on parsed edits', () => {
    const before = parseMessageGives('<@U2> <@U3> thanks for the launch :gift:', 'U1');
    const after = parseMessageGives('<@U3> thanks for the launch :gift:', 'U1');
    expect(diffMessageGives(before, after)).toEqual({ add: [], remove: ['U2'], keep: ['U3'] });
  });
});
