import { describe, expect, it } from 'vitest';
import { escapeRawText, escapeText, ZERO_WIDTH_SPACE as Z } from '../../../../src/domain/text/index.ts';

/** True when Slack would treat something in `mrkdwn` as a mass mention. */
function notifiesEveryone(mrkdwn: string): boolean {
  return (
    /<!(here|channel|everyone|subteam)/i.test(mrkdwn) ||
    /(^|[^A-Za-z0-9_])@(here|channel|everyone)(?![A-Za-z0-9_-])/i.test(mrkdwn)
  );
}

describe('escapeText: mass mentions come out non-notifying', () => {
  it.each([
    ['<!channel>', `@${Z}channel`],
    ['<!here>', `@${Z}here`],
    ['<!here|here>', `@${Z}here`],
    ['<!everyone>', `@${Z}everyone`],
    ['<!subteam^S123|@eng>', `@${Z}eng`],
    ['<!subteam^S123>', `@${Z}group`],
    ['@here', `@${Z}here`],
    ['@channel, please look', `@${Z}channel, please look`],
    ['hey @Everyone!', `hey @${Z}Everyone!`],
    ['(@here)', `(@${Z}here)`],
    ['@@here and x.@channel', `@@${Z}here and x.@${Z}channel`],
    ['章@here章', `章@${Z}here章`],
    ['\u200d@channel', `\u200d@${Z}channel`],
    ['<!date^1392734382^{date}|Feb 18>', 'Feb 18'],
  ])('%j → %j', (input, expected) => {
    const out = escapeText(input);
    expect(out).toBe(expected);
    expect(notifiesEveryone(out)).toBe(false);
  });

  it('leaves look-alike words alone', () => {
    expect(escapeText('mail me at ops@here.com or @heretic')).toBe('mail me at ops@here.com or @heretic');
  });

  it('neutralises a reason mixing every kind of mass mention', () => {
    const out = escapeText(
      'thanks <!channel> <!here> <!everyone> <!subteam^S123|@eng> @here @channel @everyone',
    );
    expect(notifiesEveryone(out)).toBe(false);
    expect(out).toContain('thanks');
  });
});

describe('escapeText: & < > escaped exactly once', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['a < b > c', 'a &lt; b &gt; c'],
    ['&<>', '&amp;&lt;&gt;'],
    ['a &amp; b', 'a &amp; b'],
    ['&lt;tag&gt;', '&lt;tag&gt;'],
    ['&amp;amp;', '&amp;amp;'],
    ['&#60;', '&amp;#60;'],
    ['<b>bold</b>', '&lt;b&gt;bold&lt;/b&gt;'],
    ['x <unterminated', 'x &lt;unterminated'],
  ])('%j → %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it.each([
    'a & b < c > d',
    '<!here> & <@U1|maria> <#C1|general> <https://x.com/?a=1&b=2|a link & more>',
    '@here &amp; &lt;!channel&gt; <!subteam^S1|@eng>',
    '日本語 & العربية 👩‍💻 <!everyone>',
  ])('is idempotent for %j', (input) => {
    const once = escapeText(input);
    expect(escapeText(once)).toBe(once);
  });
});

describe('escapeText keeps what is safe', () => {
  it.each([
    ['thanks <@U123|maria>', 'thanks <@U123>'],
    ['thanks <@W123>', 'thanks <@W123>'],
    ['in <#C123|general>', 'in <#C123>'],
    ['see <https://example.com|the doc>', 'see <https://example.com|the doc>'],
    ['see <https://example.com?a=1&b=2>', 'see <https://example.com?a=1&amp;b=2>'],
    ['mail <mailto:a@b.co|a@b.co>', 'mail <mailto:a@b.co|a@b.co>'],
    ['<javascript:alert(1)|x>', '&lt;javascript:alert(1)|x&gt;'],
    ['a *bold* _move_ 👩‍💻', 'a *bold* _move_ 👩‍💻'],
  ])('%j → %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('neutralises mass-mention words inside link labels', () => {
    expect(escapeText('<https://x.com|@here now>')).toBe(`<https://x.com|@${Z}here now>`);
  });
});

describe('escapeRawText', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['<!here>', '&lt;!here&gt;'],
    ['@here', `@${Z}here`],
    ['<@U1>', '&lt;@U1&gt;'],
  ])('%j → %j', (input, expected) => {
    expect(escapeRawText(input)).toBe(expected);
  });
});
