import { describe, expect, it } from 'vitest';
import { type IntroCommand, parseIntroCommand } from '../../../../src/slack/parsers/intro-command.ts';

// Tuesday 10 March 2026, 10:00 in Los Angeles (PDT, UTC−7).
const now = new Date('2026-03-10T17:00:00Z');
const LA = { now, tz: 'America/Los_Angeles' };
const parse = (text: string) => parseIntroCommand(text, LA);

describe('parseIntroCommand: subcommands', () => {
  it.each<[string, IntroCommand]>([
    ['', { ok: true, type: 'help' }],
    ['   ', { ok: true, type: 'help' }],
    ['help', { ok: true, type: 'help' }],
    ['HELP', { ok: true, type: 'help' }],
    ['  Help  me ', { ok: true, type: 'help' }],
    ['?', { ok: true, type: 'help' }],
    ['me', { ok: true, type: 'me' }],
    ['Me', { ok: true, type: 'me' }],
    ['profile', { ok: true, type: 'profile' }],
    ['resume', { ok: true, type: 'resume' }],
    ['skip', { ok: true, type: 'skip' }],
    ['SKIP please', { ok: true, type: 'skip' }],
    ['leave', { ok: true, type: 'leave' }],
    ['data', { ok: true, type: 'data' }],
    ['forget', { ok: true, type: 'forget' }],
    ['admin', { ok: true, type: 'admin' }],
    ['preview', { ok: true, type: 'preview' }],
    ['round now', { ok: true, type: 'round_now' }],
    ['Round   NOW', { ok: true, type: 'round_now' }],
    ['round\tnow', { ok: true, type: 'round_now' }],
    ['\u00a0round\u00a0now\u00a0', { ok: true, type: 'round_now' }],
    ['find kubernetes', { ok: true, type: 'find', topic: 'kubernetes' }],
    ['FIND   Machine   Learning ', { ok: true, type: 'find', topic: 'Machine Learning' }],
    ['find "pricing"', { ok: true, type: 'find', topic: 'pricing' }],
    ['find 機械学習', { ok: true, type: 'find', topic: '機械学習' }],
    ['find التسويق', { ok: true, type: 'find', topic: 'التسويق' }],
    ['find 🚀 launches', { ok: true, type: 'find', topic: '🚀 launches' }],
    [`find ${'a'.repeat(100)}`, { ok: true, type: 'find', topic: 'a'.repeat(100) }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('parseIntroCommand: introductions', () => {
  it.each<[string, IntroCommand]>([
    [
      '<@U1|maria> <@U2|sam> you both work on onboarding',
      {
        ok: true,
        type: 'introduce',
        userIds: ['U1', 'U2'],
        unresolvedNames: [],
        reason: 'you both work on onboarding',
      },
    ],
    ['<@U1> <@U2>', { ok: true, type: 'introduce', userIds: ['U1', 'U2'], unresolvedNames: [] }],
    [
      '@maria and @sam — both into Rust',
      {
        ok: true,
        type: 'introduce',
        userIds: [],
        unresolvedNames: ['maria', 'sam'],
        reason: 'both into Rust',
      },
    ],
    [
      '<@U1|maria>, @sam: 日本語の勉強会',
      { ok: true, type: 'introduce', userIds: ['U1'], unresolvedNames: ['sam'], reason: '日本語の勉強会' },
    ],
    [
      '  <@U1>   <@U2>    lots   of   space  ',
      { ok: true, type: 'introduce', userIds: ['U1', 'U2'], unresolvedNames: [], reason: 'lots of space' },
    ],
    [
      '<@U1|maria> @maria <@U2> same person by name',
      {
        ok: true,
        type: 'introduce',
        userIds: ['U1', 'U2'],
        unresolvedNames: [],
        reason: 'same person by name',
      },
    ],
    ['<@U1|maria>', { ok: true, type: 'introduce_modal', userId: 'U1' }],
    ['@maria', { ok: true, type: 'introduce_modal', unresolvedName: 'maria' }],
    [
      '<@U1> should meet someone in data 👩‍👩‍👧',
      { ok: true, type: 'introduce_modal', userId: 'U1', reason: 'should meet someone in data 👩‍👩‍👧' },
    ],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('parseIntroCommand: pause', () => {
  it.each<[string, string]>([
    ['pause', '2026-03-17T17:00:00.000Z'],
    ['PAUSE', '2026-03-17T17:00:00.000Z'],
    ['pause 2w', '2026-03-24T17:00:00.000Z'],
    ['pause 10d', '2026-03-20T17:00:00.000Z'],
    ['pause 3 weeks', '2026-03-31T17:00:00.000Z'],
    ['pause for 3 weeks', '2026-03-31T17:00:00.000Z'],
    ['pause 1 week', '2026-03-17T17:00:00.000Z'],
    ['pause a week', '2026-03-17T17:00:00.000Z'],
    ['pause 1 day', '2026-03-11T17:00:00.000Z'],
    ['pause 2 months', '2026-05-10T17:00:00.000Z'],
    // 10:00 local is kept across the November DST change (PDT → PST).
    ['pause 52w', '2027-03-09T18:00:00.000Z'],
    ['pause 1y', '2027-03-10T18:00:00.000Z'],
    ['pause 365d', '2027-03-10T18:00:00.000Z'],
    ['pause\u00a0\u00a02W', '2026-03-24T17:00:00.000Z'],
    // Until a date: to the end of that day in the caller's time zone.
    ['pause until 2026-12-31', '2027-01-01T08:00:00.000Z'],
    ['pause UNTIL 2026-03-10', '2026-03-11T07:00:00.000Z'],
    ['pause until 2026-7-4', '2026-07-05T07:00:00.000Z'],
    ['pause until 2026/07/04', '2026-07-05T07:00:00.000Z'],
    ['pause 2026-07-04', '2026-07-05T07:00:00.000Z'],
    ['pause until 2027-03-10', '2027-03-11T08:00:00.000Z'],
  ])('%j → until %s', (text, until) => {
    const result = parse(text);
    expect(result).toEqual({ ok: true, type: 'pause', until: new Date(until) });
  });

  it('ends an `until` date at midnight in the caller’s own zone', () => {
    const auckland = parseIntroCommand('pause until 2026-04-05', { now, tz: 'Pacific/Auckland' });
    // Auckland leaves DST on 5 April 2026, so 6 April starts at 00:00 NZST (UTC+12).
    expect(auckland).toEqual({ ok: true, type: 'pause', until: new Date('2026-04-05T12:00:00Z') });
    const unknownZone = parseIntroCommand('pause until 2026-04-05', { now, tz: 'Nowhere/Special' });
    expect(unknownZone).toEqual({ ok: true, type: 'pause', until: new Date('2026-04-06T00:00:00Z') });
  });

  it.each<[string, string, RegExp]>([
    [
      'pause until 2026-03-09',
      'pause_in_past',
      /2026-03-09 has already passed.*`\/intro pause until 2026-03-24`/,
    ],
    ['pause until 1999-01-01', 'pause_in_past', /already passed/],
    ['pause until 2027-03-11', 'pause_too_long', /up to a year \(until 2027-03-10\)/],
    ['pause until 2030-01-01', 'pause_too_long', /up to a year/],
    ['pause 53w', 'pause_too_long', /up to a year/],
    ['pause 366d', 'pause_too_long', /up to a year/],
    ['pause 13 months', 'pause_too_long', /up to a year/],
    ['pause 2y', 'pause_too_long', /up to a year/],
    ['pause 999999999d', 'pause_too_long', /up to a year/],
    ['pause until 2026-02-30', 'pause_invalid', /year-month-day, e\.g\. `\/intro pause until 2026-03-24`/],
    ['pause until 2026-13-01', 'pause_invalid', /year-month-day/],
    ['pause until 31/12/2026', 'pause_invalid', /year-month-day/],
    ['pause until tomorrow', 'pause_invalid', /year-month-day/],
    ['pause until', 'pause_invalid', /year-month-day/],
    ['pause 0d', 'pause_invalid', /`\/intro pause 2w`/],
    ['pause -2w', 'pause_invalid', /`\/intro pause 2w`/],
    ['pause 2', 'pause_invalid', /`\/intro pause 10d`/],
    ['pause w', 'pause_invalid', /`\/intro pause 10d`/],
    ['pause 2 fortnights', 'pause_invalid', /`\/intro pause 10d`/],
    ['pause forever', 'pause_invalid', /`\/intro leave`/],
    ['pause 1.5w', 'pause_invalid', /`\/intro pause 2w`/],
    ['pause ２w', 'pause_invalid', /`\/intro pause 2w`/],
    ['pause 🏖️', 'pause_invalid', /`\/intro pause 2w`/],
  ])('%j → %s', (text, code, message) => {
    const result = parse(text);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('parseIntroCommand: errors say what to type instead', () => {
  it.each<[string, string, RegExp]>([
    ['paus', 'unknown_subcommand', /Did you mean `\/intro pause`\?/],
    ['hlep', 'unknown_subcommand', /Did you mean `\/intro help`\?/],
    ['forgt', 'unknown_subcommand', /Did you mean `\/intro forget`\?/],
    ['prev', 'unknown_subcommand', /Did you mean `\/intro preview`\?/],
    ['rezume', 'unknown_subcommand', /Did you mean `\/intro resume`\?/],
    ['unpause', 'unknown_subcommand', /Did you mean `\/intro resume`\?/],
    ['export', 'unknown_subcommand', /Did you mean `\/intro data`\?/],
    ['round-now', 'unknown_subcommand', /Did you mean `\/intro round now`\?/],
    ['round', 'unknown_subcommand', /`\/intro round now`/],
    ['round later', 'unknown_subcommand', /`\/intro round now`/],
    ['kubernetes', 'unknown_subcommand', /try `\/intro find kubernetes`/],
    ['日本語', 'unknown_subcommand', /`\/intro find 日本語`/],
    ['العربية', 'unknown_subcommand', /`\/intro find العربية`/],
    ['👩‍👩‍👧', 'unknown_subcommand', /`\/intro help` lists everything/],
    ['find', 'topic_missing', /`\/intro find kubernetes`/],
    ['find    ', 'topic_missing', /`\/intro find kubernetes`/],
    [`find ${'a'.repeat(101)}`, 'topic_too_long', /101 characters; keep it under 100/],
    ['<@U1> <@U2> <@U3> a trio', 'too_many_people', /two people at a time \(you mentioned 3\)/],
    ['<@U1> <@U1|maria>', 'same_person', /two different people/],
    ['<!here> <@U1>', 'mass_mention', /Mention people, not channels/],
    ['<@U1> <!channel>', 'mass_mention', /not channels/],
    ['<!subteam^S1|@eng> <@U1>', 'mass_mention', /not channels or groups/],
    ['@everyone', 'mass_mention', /not channels/],
    ['<#C1|general> <@U1>', 'not_a_person', /mention two people/],
    ['@ hello', 'no_person', /`\/intro @maria @sam/],
    [`<@U1> <@U2> ${'x'.repeat(2001)}`, 'too_long', /keep the reason under 2,000/],
  ])('%j → %s', (text, code, message) => {
    const result = parse(text);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('echoes unknown input safely and briefly', () => {
    const result = parse('<b>&amp;@here');
    expect(result).toMatchObject({ ok: false, code: 'unknown_subcommand' });
    if (!result.ok) {
      expect(result.message).toContain('&lt;b&gt;&amp;@\u200Bhere');
      expect(result.message).not.toMatch(/<b>|@here/);
    }
  });

  it.each([
    ['a 100k-character word', 'x'.repeat(100_000)],
    ['a 100k-character topic', `find ${'topic '.repeat(20_000)}`],
    ['a 100k-character reason', `<@U1> <@U2> ${'日本語 👩‍💻 '.repeat(20_000)}`],
    ['100k characters of mentions', '<@U1> '.repeat(20_000)],
    ['a 100k-character pause', `pause ${'9'.repeat(100_000)}d`],
  ])('answers %s quickly with a short message', (_name, text) => {
    const started = performance.now();
    const result = parse(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(600);
  });
});
