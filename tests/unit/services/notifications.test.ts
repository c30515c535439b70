import { describe, expect, it } from 'vitest';
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type PayloadInputOf,
  type PayloadOf,
  parseNotification,
} from '../../../src/services/notifications.ts';

const ISO_FROM = '2026-11-27T15:00:00.000Z';
const ISO_TO = '2026-12-04T15:00:00.000Z';

/**
 * Each kind's payload as the code writes it today (the call sites named), and what its handler gets.
 * Typed by kind, so the compiler asks for a line when a kind is added.
 */
const written: { [K in NotificationKind]: Array<[PayloadInputOf<K> | undefined, PayloadOf<K>]> } = {
  // rounds.ts: a round's groups; followups repository: onboarding and reconnect groups.
  group_intro: [
    [
      { seed: 1234, trioAddedId: null },
      { seed: 1234, trioAddedId: null, reason: '' },
    ],
    [
      { seed: 99, trioAddedId: 'U0TRIO' },
      { seed: 99, trioAddedId: 'U0TRIO', reason: '' },
    ],
    [{}, { seed: 0, trioAddedId: null, reason: '' }],
    [{ reconnect: true }, { seed: 0, trioAddedId: null, reason: '', reconnect: true }],
  ],
  // membership.ts and admin-settings.ts.
  program_welcome: [
    [
      { channelId: 'C0PAIRS', programId: 'p1' },
      { channelId: 'C0PAIRS', programId: 'p1' },
    ],
  ],
  unmatched_notice: [[{ channelId: 'C0PAIRS' }, { channelId: 'C0PAIRS' }]],
  // followups.ts.
  checkin: [[undefined, {}]],
  checkin_reminder: [[undefined, {}]],
  thank_you: [[undefined, {}]],
  reconnect: [[undefined, {}]],
  heads_up: [
    [
      { programId: 'p1', channelId: 'C0PAIRS', periodKey: '2026-W49', roundAt: ISO_TO },
      { programId: 'p1', channelId: 'C0PAIRS', periodKey: '2026-W49', roundAt: ISO_TO },
    ],
  ],
  welcome: [
    [{ channelId: 'C0PAIRS' }, { channelId: 'C0PAIRS' }],
    [{ channelId: null }, { channelId: null }],
  ],
  ghost_paused: [[undefined, {}]],
  onboarding_match: [
    [
      { programId: 'p1', deadline: ISO_TO },
      { programId: 'p1', deadline: ISO_TO },
    ],
  ],
  // gives.ts.
  give_dm: [[{ giveId: 'g1' }, { giveId: 'g1' }]],
  give_reaction: [
    [
      { channelId: 'C0PAIRS', ts: '1.2', emoji: 'gift' },
      { channelId: 'C0PAIRS', ts: '1.2', emoji: 'gift' },
    ],
  ],
  give_note: [
    [
      { channelId: 'C0PAIRS', text: 'Daily cap' },
      { channelId: 'C0PAIRS', text: 'Daily cap' },
    ],
  ],
  give_link: [
    [
      { giveId: 'g1', channelId: 'C0PAIRS', ts: '1.2' },
      { giveId: 'g1', channelId: 'C0PAIRS', ts: '1.2' },
    ],
  ],
  member_sync: [[{ userId: 'U0NEW' }, { userId: 'U0NEW' }]],
  // intros.ts.
  intro_invite: [[{ introId: 'i1' }, { introId: 'i1' }]],
  intro_group: [[{ introId: 'i1' }, { introId: 'i1' }]],
  intro_closed: [
    [
      { introId: 'i1', outcome: 'declined' },
      { introId: 'i1', outcome: 'declined' },
    ],
    [
      { introId: 'i1', outcome: 'expired' },
      { introId: 'i1', outcome: 'expired' },
    ],
  ],
  // privacy.ts.
  data_export: [[{ parts: ['part 1', 'part 2'] }, { parts: ['part 1', 'part 2'] }]],
  // meetings repository.
  meeting_set: [[undefined, {}]],
  meeting_more: [[undefined, {}]],
  // recap.ts, digest.ts.
  program_recap: [
    [
      { programId: 'p1', from: ISO_FROM, to: ISO_TO },
      { programId: 'p1', from: ISO_FROM, to: ISO_TO },
    ],
  ],
  digest: [
    [
      { channelId: 'C0DIGEST', week: '2026-W49', from: ISO_FROM, to: ISO_TO },
      { channelId: 'C0DIGEST', week: '2026-W49', from: ISO_FROM, to: ISO_TO },
    ],
  ],
};

describe('notifications: what the code writes parses', () => {
  it('has a schema for every kind the handlers send, and none other', () => {
    expect([...NOTIFICATION_KINDS].sort()).toEqual(Object.keys(written).sort());
    expect(NOTIFICATION_KINDS).toHaveLength(24);
    expect(isNotificationKind('give_dm')).toBe(true);
    expect(isNotificationKind('toString')).toBe(false);
    expect(isNotificationKind('recap')).toBe(false);
  });

  for (const kind of NOTIFICATION_KINDS) {
    it(`${kind}: each payload written today parses, defaults filled in`, () => {
      for (const [payload, expected] of written[kind]) {
        const parsed = parseNotification(kind, payload);
        expect(parsed).toEqual({ ok: true, notification: { kind, payload: expected } });
      }
    });
  }

  it('kinds that carry nothing accept {}, a missing payload and keys of earlier versions', () => {
    for (const payload of [{}, undefined, null, { reconnect: true }]) {
      expect(parseNotification('checkin', payload)).toEqual({
        ok: true,
        notification: { kind: 'checkin', payload: {} },
      });
    }
  });
});

describe('notifications: rows stored by earlier versions', () => {
  it('reads them as the handlers did, with the same defaults', () => {
    const read = (kind: string, payload: unknown) => {
      const r = parseNotification(kind, payload);
      if (!r.ok) throw new Error(r.error);
      return r.notification.payload;
    };
    // An /intro's group once named its introducer in the group intro.
    expect(read('group_intro', { introducerId: 'U0ANNA', reason: 'jazz' })).toEqual({
      seed: 0,
      trioAddedId: null,
      introducerId: 'U0ANNA',
      reason: 'jazz',
    });
    // The heads-up before it named the period; the welcome before it named a channel.
    expect(read('heads_up', { programId: 'p1' })).toEqual({ programId: 'p1', channelId: '' });
    expect(read('welcome', {})).toEqual({ channelId: null });
    expect(read('unmatched_notice', {})).toEqual({ channelId: '' });
    expect(read('give_dm', {})).toEqual({ giveId: '' });
    // The closing notice once named who declined: not kept.
    expect(read('intro_closed', { introId: 'i1', outcome: 'declined', declinedBy: 'U0SOFIA' })).toEqual({
      introId: 'i1',
      outcome: 'declined',
    });
    expect(read('intro_closed', { about: 'U0BEN' })).toEqual({ introId: '' });
    // Exports were once one prompt per part, and a sent export keeps only its count: nothing left to send.
    expect(read('data_export', { text: 'part', part: 1, parts: 2 })).toEqual({ parts: [] });
    expect(read('data_export', { parts: 3 })).toEqual({ parts: [] });
    expect(read('data_export', {})).toEqual({ parts: [] });
  });
});

describe('notifications: a payload its kind does not take', () => {
  it('fails with the kind, the field and what was wrong', () => {
    expect(parseNotification('give_dm', { giveId: 42 })).toEqual({
      ok: false,
      error: 'invalid give_dm payload: giveId: Invalid input: expected string, received number',
    });
    expect(parseNotification('give_reaction', { channelId: 'C0PAIRS', ts: '1.2' })).toEqual({
      ok: false,
      error: 'invalid give_reaction payload: emoji: Invalid input: expected string, received undefined',
    });
  });

  it('names every field that is wrong, and a payload that is not an object', () => {
    const r = parseNotification('program_recap', { programId: '', from: 'last friday', to: ISO_TO });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^invalid program_recap payload: programId: .+; from: Invalid ISO datetime$/);
    const digest = parseNotification('digest', { channelId: 'D0DM', week: 'w', from: ISO_FROM, to: ISO_TO });
    expect(digest).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid digest payload: channelId: /),
    });
    expect(parseNotification('member_sync', 'U0NEW')).toEqual({
      ok: false,
      error: 'invalid member_sync payload: Invalid input: expected object, received string',
    });
    expect(parseNotification('onboarding_match', {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid onboarding_match payload: programId: '),
    });
  });

  it('fails for a kind nobody sends', () => {
    expect(parseNotification('carrier_pigeon', {})).toEqual({
      ok: false,
      error: 'unknown prompt kind carrier_pigeon',
    });
  });
});
