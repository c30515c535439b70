import { describe, expect, it } from 'vitest';
import {
  cleanReason,
  closest,
  echo,
  editDistance,
  normalizeSpaces,
  scanLeading,
} from '../../../../src/slack/parsers/tokens.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['help', 'help', 0],
    ['hlep', 'help', 1],
    ['paus', 'pause', 1],
    ['kitten', 'sitting', 3],
    ['日本語', '日本', 1],
    ['👩‍💻', '👩', 2],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const words = ['help', 'find', 'me', 'pause', 'preview', 'round now'];
  it.each([
    ['hepl', 'help'],
    ['pr', 'preview'],
    ['ne', 'me'],
    ['xyz', undefined],
    ['', undefined],
    ['kubernetes', undefined],
    ['x'.repeat(100_000), undefined],
  ])('%j → %j', (word, expected) => {
    expect(closest(word, words)).toBe(expected);
  });
});

describe('scanLeading', () => {
  it('reads people, separators and tags, leaving the rest', () => {
    const scan = scanLeading('<@U1|ann>, @bob and <@W2> #help: thanks & more', { hashtags: true });
    expect(scan.mentions).toEqual([
      { type: 'user', id: 'U1', label: 'ann' },
      { type: 'name', name: 'bob' },
      { type: 'user', id: 'W2' },
    ]);
    expect(scan.hashtags).toEqual(['help']);
    expect(scan.rest).toBe(': thanks & more');
  });

  it('stops at a separator not followed by a person', () => {
    expect(scanLeading('<@U1> and friends', { hashtags: false }).rest).toBe('and friends');
  });

  it('reports a mass mention or a leading channel', () => {
    expect(scanLeading('<@U1> <!here>', { hashtags: false }).problem).toEqual({ type: 'mass', name: 'here' });
    expect(scanLeading('<#C1|general> hi', { hashtags: false }).problem).toEqual({ type: 'channel' });
    expect(scanLeading('<@U1> <#C1|general> rocks', { hashtags: false }).problem).toBeUndefined();
  });
});

describe('text helpers', () => {
  it('normalises spaces but keeps newlines', () => {
    expect(normalizeSpaces('\t a\u00a0b\u2003c\nd \u3000')).toBe('a b c\nd');
  });
  it('cleans reasons', () => {
    expect(cleanReason(' :  thanks   for \n\n\n\n all ')).toBe('thanks for\n\nall');
  });
  it('echoes briefly and safely', () => {
    expect(echo('<!here> `x`')).toBe("@\u200Bhere 'x'");
    expect(echo('y'.repeat(100))).toHaveLength(40);
  });
});
