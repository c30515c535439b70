import { describe, expect, it } from 'vitest';
import { type GiveCommand, parseGiveCommand } from '../../../../src/slack/parsers/give-command.ts';

type Ok = Extract<GiveCommand, { ok: true }>;

describe('parseGiveCommand: accepted', () => {
  it.each<[string, string, Omit<Ok, 'ok'>]>([
    [
      'escaped mention with name',
      '<@U123|maria> thanks for reviewing the deck',
      { receivers: ['U123'], unresolvedNames: [], kind: 'help', reason: 'thanks for reviewing the deck' },
    ],
    [
      'escaped mention without name',
      '<@U123> thanks for reviewing the deck',
      { receivers: ['U123'], unresolvedNames: [], kind: 'help', reason: 'thanks for reviewing the deck' },
    ],
    [
      'Enterprise Grid W id',
      '<@W0AB12CD|maria> thanks for reviewing the deck',
      { receivers: ['W0AB12CD'], unresolvedNames: [], kind: 'help', reason: 'thanks for reviewing the deck' },
    ],
    [
      'plain @name',
      '@maria thanks for reviewing the deck',
      { receivers: [], unresolvedNames: ['maria'], kind: 'help', reason: 'thanks for reviewing the deck' },
    ],
    [
      'plain @name with dots and trailing period',
      '@maria.garcia. thanks for reviewing the deck',
      {
        receivers: [],
        unresolvedNames: ['maria.garcia'],
        kind: 'help',
        reason: 'thanks for reviewing the deck',
      },
    ],
    [
      'several people, mixed forms, separators',
      '<@U1|maria>, <@U2> and @sam & @lee: thanks for the offsite',
      {
        receivers: ['U1', 'U2'],
        unresolvedNames: ['sam', 'lee'],
        kind: 'help',
        reason: 'thanks for the offsite',
      },
    ],
    [
      'Slack-escaped ampersand between people',
      '<@U1> &amp; <@U2> thanks for the offsite',
      { receivers: ['U1', 'U2'], unresolvedNames: [], kind: 'help', reason: 'thanks for the offsite' },
    ],
    [
      'duplicates removed, order kept',
      '<@U2> <@U1|maria> <@U2|sam> @Maria @maria thanks for the offsite',
      { receivers: ['U2', 'U1'], unresolvedNames: [], kind: 'help', reason: 'thanks for the offsite' },
    ],
    [
      '#kind after the mentions',
      '<@U1> #mentoring for the career chat yesterday',
      { receivers: ['U1'], unresolvedNames: [], kind: 'mentoring', reason: 'for the career chat yesterday' },
    ],
    [
      '#kind between mentions, any case',
      '<@U1> #FEEDBACK <@U2> sharp notes on my draft',
      { receivers: ['U1', 'U2'], unresolvedNames: [], kind: 'feedback', reason: 'sharp notes on my draft' },
    ],
    [
      '#kind at the end of the reason',
      '<@U1> thanks for the intro to the data team #intro',
      {
        receivers: ['U1'],
        unresolvedNames: [],
        kind: 'intro',
        reason: 'thanks for the intro to the data team',
      },
    ],
    [
      '#kind mid-sentence keeps its word',
      '<@U1> thanks for the #mentoring session',
      {
        receivers: ['U1'],
        unresolvedNames: [],
        kind: 'mentoring',
        reason: 'thanks for the mentoring session',
      },
    ],
    [
      'kind alias',
      '<@U1> #mentor for the career chat yesterday',
      { receivers: ['U1'], unresolvedNames: [], kind: 'mentoring', reason: 'for the career chat yesterday' },
    ],
    [
      'same kind twice',
      '<@U1> #help thanks for the help today #help',
      { receivers: ['U1'], unresolvedNames: [], kind: 'help', reason: 'thanks for the help today' },
    ],
    [
      'unrelated hashtags stay in the reason',
      '<@U1> thanks for shipping #launch-week and #q3',
      {
        receivers: ['U1'],
        unresolvedNames: [],
        kind: 'help',
        reason: 'thanks for shipping #launch-week and #q3',
      },
    ],
    [
      'extra spaces, tabs and NBSP',
      '   <@U1>\t\t#expertise\u00a0\u00a0explaining   the   billing\u3000model   ',
      { receivers: ['U1'], unresolvedNames: [], kind: 'expertise', reason: 'explaining the billing model' },
    ],
    [
      'emoji',
      '<@U1> 🙏🙏 thanks for the 🚀 launch 👩‍👩‍👧',
      {
        receivers: ['U1'],
        unresolvedNames: [],
        kind: 'help',
        reason: '🙏🙏 thanks for the 🚀 launch 👩‍👩‍👧',
      },
    ],
    [
      'ten emoji count as ten characters',
      '<@U1> 👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻',
      { receivers: ['U1'], unresolvedNames: [], kind: 'help', reason: '👩‍💻'.repeat(10) },
    ],
    [
      'Japanese',
      '<@U1|さくら> 資料のレビューを本当にありがとう',
      { receivers: ['U1'], unresolvedNames: [], kind: 'help', reason: '資料のレビューを本当にありがとう' },
    ],
    [
      'Arabic',
      '@سارة شكرا جزيلا على المساعدة في العرض',
      { receivers: [], unresolvedNames: ['سارة'], kind: 'help', reason: 'شكرا جزيلا على المساعدة في العرض' },
    ],
    [
      'mass mention inside the reason is kept (neutralised when echoed)',
      '<@U1> thanks for telling <!here> about the outage',
      {
        receivers: ['U1'],
        unresolvedNames: [],
        kind: 'help',
        reason: 'thanks for telling <!here> about the outage',
      },
    ],
    [
      'multi-line reason',
      '<@U1> thanks for\nthe deck review',
      { receivers: ['U1'], unresolvedNames: [], kind: 'help', reason: 'thanks for\nthe deck review' },
    ],
    [
      'exactly 2,000 characters',
      `<@U1> ${'x'.repeat(2000)}`,
      { receivers: ['U1'], unresolvedNames: [], kind: 'help', reason: 'x'.repeat(2000) },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseGiveCommand(text)).toEqual({ ok: true, ...expected });
  });
});

describe('parseGiveCommand: refused with what to type instead', () => {
  it.each<[string, string, string, RegExp]>([
    ['empty', '', 'empty', /Try `\/give @maria/],
    ['whitespace only', ' \t\u00a0 ', 'empty', /Try `\/give/],
    ['no person', 'thanks for everything you do', 'no_receiver', /Mention them first/],
    ['person not first', 'thanks <@U1> for everything', 'no_receiver', /Start with the person/],
    ['lone @', '@ thanks for everything', 'no_receiver', /Try `\/give/],
    ['here', '<!here> thanks for everything', 'mass_mention', /mention people, not channels/i],
    ['channel', '<!channel> thanks for everything', 'mass_mention', /not channels/],
    ['everyone', '<!everyone> thanks for everything', 'mass_mention', /not channels/],
    ['user group', '<!subteam^S123|@eng> thanks for everything', 'mass_mention', /not channels or groups/],
    ['plain @here', '@here thanks for everything', 'mass_mention', /not channels/],
    ['@here after a person', '<@U1> @channel thanks for everything', 'mass_mention', /not channels/],
    ['channel link', '<#C123|general> thanks for everything', 'not_a_person', /channel; mention a person/],
    ['unknown kind', '<@U1> #thanks for everything today', 'unknown_kind', /`#expertise`, `#intro`, `#help`/],
    [
      'misspelt kind in reason',
      '<@U1> thanks for everything #mentorng',
      'unknown_kind',
      /Did you mean `#mentoring`/,
    ],
    ['two kinds', '<@U1> #help #feedback thanks for everything', 'multiple_kinds', /Pick one kind/],
    ['no reason', '<@U1>', 'reason_missing', /Add what they did/],
    ['only a kind', '<@U1> #help', 'reason_missing', /Add what they did/],
    ['short reason', '<@U1> thanks!', 'reason_too_short', /at least 10 characters/],
    ['too long', `<@U1> ${'x'.repeat(2001)}`, 'too_long', /2,001 characters; keep it under 2,000/],
    ['very long (100k)', `<@U1> ${'lorem ipsum '.repeat(9000)}`, 'too_long', /keep it under 2,000/],
  ])('%s', (_name, text, code, message) => {
    const result = parseGiveCommand(text);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) {
      expect(result.message).toMatch(message);
      expect(result.message).toMatch(/`\/give/);
    }
  });

  it('honours a custom minimum', () => {
    expect(parseGiveCommand('<@U1> thanks a lot', { minReasonLength: 20 })).toMatchObject({
      code: 'reason_too_short',
    });
    expect(parseGiveCommand('<@U1> ty', { minReasonLength: 1 })).toMatchObject({ ok: true, reason: 'ty' });
  });

  it('echoes a typed kind safely', () => {
    const result = parseGiveCommand('<@U1> #@here`&<b> thanks for the launch');
    expect(result).toMatchObject({ ok: false, code: 'unknown_kind' });
    if (!result.ok) {
      expect(result.message).toContain("`#@\u200Bhere'&amp;`");
      expect(result.message).not.toMatch(/@here/);
    }
  });

  it('parses 100k characters quickly', () => {
    const started = performance.now();
    parseGiveCommand(`<@U1> ${'日本語 👩‍💻 '.repeat(20_000)}`);
    parseGiveCommand(`${'<@U1> '.repeat(20_000)}thanks`);
    parseGiveCommand('#'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
