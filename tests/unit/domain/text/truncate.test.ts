import { describe, expect, it } from 'vitest';
import { ELLIPSIS, graphemeLength, truncate } from '../../../../src/domain/text/index.ts';

const hasLoneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['hello world', 8, 'hello w…'],
    ['hello world', 7, 'hello…'],
    ['hello world', 6, 'hello…'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
    ['', 5, ''],
  ])('%j to %i → %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(50);
    for (let max = 1; max < 40; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(out)).toBe(false);
    }
  });

  it('never splits an emoji ZWJ sequence or a combining accent', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = `ab${family}${family}cde\u0301f`;
    for (let max = 1; max <= text.length; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      const body = out.endsWith(ELLIPSIS) ? out.slice(0, -1) : out;
      expect(text.startsWith(body)).toBe(true);
      expect(body.endsWith('\u200D')).toBe(false);
      expect(body.endsWith('e')).toBe(false);
      expect(
        graphemeLength(body) === 0 ||
          [...new Intl.Segmenter().segment(body)].every((s) => text.includes(s.segment)),
      ).toBe(true);
    }
  });

  it('keeps Slack entities and control sequences whole', () => {
    expect(truncate('ab &amp; cd', 6)).toBe('ab…');
    expect(truncate('ab &amp; cd', 9)).toBe('ab &amp;…');
    expect(truncate('hi <@U12345> there', 10)).toBe('hi…');
    expect(truncate('hi <@U12345> there', 14)).toBe('hi <@U12345>…');
    expect(truncate('see <https://example.com|the doc> now', 20)).toBe('see…');
  });

  it('handles other scripts and 100k characters quickly', () => {
    expect(truncate('日本語のテキストです', 5)).toBe('日本語の…');
    expect(truncate('مرحبا بالعالم', 7)).toBe('مرحبا…');
    const long = 'x'.repeat(100_000);
    const started = performance.now();
    expect(truncate(long, 3000)).toHaveLength(3000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('accepts a custom ellipsis', () => {
    expect(truncate('hello world', 8, '...')).toBe('hello...');
  });
});

describe('graphemeLength', () => {
  it.each([
    ['abc', 3],
    ['👨‍👩‍👧‍👦', 1],
    ['e\u0301', 1],
    ['日本語', 3],
    ['🇯🇵', 1],
  ])('%j has %i', (text, n) => {
    expect(graphemeLength(text)).toBe(n);
  });
});
