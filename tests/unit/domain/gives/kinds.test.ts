import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GIVE_KIND,
  GIVE_KIND_INFO,
  GIVE_KINDS,
  isGiveKind,
  listGiveKinds,
  parseGiveKind,
} from '../../../../src/domain/gives/kinds.ts';

describe('give kinds', () => {
  it('has the five kinds with help as the default', () => {
    expect(GIVE_KINDS).toEqual(['expertise', 'intro', 'help', 'mentoring', 'feedback']);
    expect(DEFAULT_GIVE_KIND).toBe('help');
    for (const k of GIVE_KINDS) expect(GIVE_KIND_INFO[k].label).not.toBe('');
  });

  it.each([
    ['help', 'help'],
    ['#help', 'help'],
    ['#MENTORING', 'mentoring'],
    [' Feedback ', 'feedback'],
    ['mentor', 'mentoring'],
    ['#introduction', 'intro'],
    ['expert', 'expertise'],
    ['thanks', undefined],
    ['', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
  ])('parseGiveKind(%j) → %j', (word, kind) => {
    expect(parseGiveKind(word)).toBe(kind);
  });

  it('isGiveKind accepts only the canonical names', () => {
    expect(isGiveKind('intro')).toBe(true);
    expect(isGiveKind('Intro')).toBe(false);
    expect(isGiveKind(3)).toBe(false);
  });

  it('lists the kinds as people type them', () => {
    expect(listGiveKinds()).toBe('`#expertise`, `#intro`, `#help`, `#mentoring` or `#feedback`');
  });
});
