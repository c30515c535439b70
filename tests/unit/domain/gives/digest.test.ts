import { describe, expect, it } from 'vitest';
import { buildWeeklyDigest, type DigestGive, latestDigestSlot } from '../../../../src/domain/gives/digest.ts';

const d = (iso: string) => new Date(iso);
const WINDOW = { from: d('2026-11-20T15:00:00Z'), to: d('2026-11-27T15:00:00Z') };
const departments = new Map<string, string | null>([
  ['U_ANNA', 'Engineering'],
  ['U_BEN', 'Engineering'],
  ['U_SOFIA', 'Sales'],
  ['U_ARJUN', 'Design'],
  ['U_KAI', null],
]);

let n = 0;
function give(over: Partial<DigestGive>): DigestGive {
  n += 1;
  return {
    id: `g${String(n).padStart(3, '0')}`,
    giverId: 'U_ANNA',
    receiverId: 'U_BEN',
    kind: 'help',
    reason: 'thanks for the help with the release',
    at: d('2026-11-24T10:00:00Z'),
    isPublic: true,
    ...over,
  };
}

describe('digest slot', () => {
  it('is the admin-chosen weekday at 16:00 local, keyed by ISO week, covering the seven days before', () => {
    // Friday 27 Nov 2026, 16:00 in Berlin = 15:00 UTC.
    const slot = latestDigestSlot(d('2026-11-27T15:00:00Z'), 'Europe/Berlin', 5);
    expect(slot).toEqual({
      key: '2026-W48',
      from: d('2026-11-20T15:00:00Z'),
      to: d('2026-11-27T15:00:00Z'),
    });
    // A minute earlier, the latest slot is the previous Friday.
    expect(latestDigestSlot(d('2026-11-27T14:59:00Z'), 'Europe/Berlin', 5).key).toBe('2026-W47');
  });

  it('follows the chosen weekday and time zone, and falls back to UTC for an unknown zone', () => {
    expect(latestDigestSlot(d('2026-11-25T12:00:00Z'), 'UTC', 1)).toMatchObject({
      key: '2026-W48',
      to: d('2026-11-23T16:00:00Z'),
    });
    // Monday 16:00 in Auckland is Monday 03:00 UTC.
    expect(latestDigestSlot(d('2026-11-23T03:00:00Z'), 'Pacific/Auckland', 1).to).toEqual(
      d('2026-11-23T03:00:00Z'),
    );
    expect(latestDigestSlot(d('2026-11-29T17:00:00Z'), 'Not/AZone', 7)).toMatchObject({
      key: '2026-W48',
      to: d('2026-11-29T16:00:00Z'),
    });
  });

  it('keeps local 16:00 across a daylight-saving change (the window is seven calendar days)', () => {
    // Berlin leaves summer time on Sunday 25 Oct 2026: Friday 23 Oct 16:00 is 14:00 UTC, 30 Oct is 15:00 UTC.
    const slot = latestDigestSlot(d('2026-10-30T15:00:00Z'), 'Europe/Berlin', 5);
    expect(slot.from).toEqual(d('2026-10-23T14:00:00Z'));
    expect(slot.to).toEqual(d('2026-10-30T15:00:00Z'));
  });
});

describe('weekly digest', () => {
  it('groups the week by kind in the usual kind order, leaving out empty kinds and gives outside the week', () => {
    const digest = buildWeeklyDigest({
      gives: [
        give({ kind: 'feedback' }),
        give({ kind: 'expertise' }),
        give({ kind: 'help' }),
        give({ kind: 'bogus' }), // unknown kinds read as help
        give({ kind: 'mentoring', at: d('2026-11-27T15:00:00Z') }), // window end is exclusive
        give({ kind: 'intro', at: d('2026-11-20T14:59:59Z') }),
      ],
      departments,
      window: WINDOW,
      leaderboard: false,
    });
    expect(digest.kinds.map((k) => [k.kind, k.entries.length])).toEqual([
      ['expertise', 1],
      ['help', 2],
      ['feedback', 1],
    ]);
    expect(digest.total).toBe(4);
  });

  it('marks gives between two different known departments, and lists them first within their kind', () => {
    const same = give({ giverId: 'U_ANNA', receiverId: 'U_BEN', at: d('2026-11-21T10:00:00Z') });
    const cross = give({ giverId: 'U_SOFIA', receiverId: 'U_ANNA', at: d('2026-11-25T10:00:00Z') });
    const unknown = give({ giverId: 'U_KAI', receiverId: 'U_ANNA', at: d('2026-11-22T10:00:00Z') });
    const missing = give({ giverId: 'U_NEW', receiverId: 'U_ARJUN', at: d('2026-11-23T10:00:00Z') });
    const digest = buildWeeklyDigest({
      gives: [same, cross, unknown, missing],
      departments,
      window: WINDOW,
      leaderboard: false,
    });
    const help = digest.kinds[0];
    expect(help?.entries.map((e) => e.id)).toEqual([cross.id, same.id, unknown.id, missing.id]);
    expect(help?.entries[0]?.crossDepartment).toEqual({ from: 'Sales', to: 'Engineering' });
    expect(help?.entries.slice(1).every((e) => e.crossDepartment === null)).toBe(true);
    expect(digest.crossDepartment).toBe(1);
    expect(help?.crossDepartment).toBe(1);
  });

  it('treats department names case-insensitively', () => {
    const digest = buildWeeklyDigest({
      gives: [give({ giverId: 'U1', receiverId: 'U2' })],
      departments: new Map([
        ['U1', 'Sales '],
        ['U2', 'sales'],
      ]),
      window: WINDOW,
      leaderboard: false,
    });
    expect(digest.crossDepartment).toBe(0);
  });

  it('has no per-person counts unless the leaderboard is on', () => {
    const gives = [
      give({ giverId: 'U_ANNA', receiverId: 'U_SOFIA' }),
      give({ giverId: 'U_BEN', receiverId: 'U_SOFIA' }),
      give({ giverId: 'U_ANNA', receiverId: 'U_ARJUN' }),
      give({ giverId: 'U_ANNA', receiverId: null }),
    ];
    const off = buildWeeklyDigest({ gives, departments, window: WINDOW, leaderboard: false });
    expect(off.leaderboard).toBeNull();
    const on = buildWeeklyDigest({ gives, departments, window: WINDOW, leaderboard: true });
    expect(on.leaderboard).toEqual({
      received: [
        { userId: 'U_SOFIA', count: 2 },
        { userId: 'U_ARJUN', count: 1 },
      ],
      given: [
        { userId: 'U_ANNA', count: 3 },
        { userId: 'U_BEN', count: 1 },
      ],
    });
  });

  it('keeps forgotten receivers anonymous and leaves out gives made anywhere but a public channel', () => {
    const digest = buildWeeklyDigest({
      gives: [
        give({ receiverId: null }),
        give({ isPublic: false, reason: 'secret project', giverId: 'U_SOFIA', receiverId: 'U_KAI' }),
      ],
      departments,
      window: WINDOW,
      leaderboard: true,
    });
    const entries = digest.kinds[0]?.entries ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ receiverId: null, crossDepartment: null });
    // Not listed, not counted, not on the leaderboard: the private give is the members' own business.
    expect(digest.total).toBe(1);
    expect(JSON.stringify(digest)).not.toMatch(/U_SOFIA|U_KAI|secret project/);
    expect(digest.leaderboard?.received).toEqual([]);
  });

  it('is deterministic: the same gives in any order give the same digest', () => {
    const gives = Array.from({ length: 30 }, (_, i) =>
      give({
        giverId: ['U_ANNA', 'U_SOFIA', 'U_ARJUN'][i % 3],
        receiverId: ['U_BEN', 'U_KAI', 'U_SOFIA', 'U_ARJUN'][i % 4],
        kind: ['help', 'intro', 'mentoring'][i % 3],
        at: d(`2026-11-2${1 + (i % 5)}T1${i % 10}:00:00Z`),
      }),
    );
    const a = buildWeeklyDigest({ gives, departments, window: WINDOW, leaderboard: true });
    const b = buildWeeklyDigest({
      gives: [...gives].reverse(),
      departments,
      window: WINDOW,
      leaderboard: true,
    });
    expect(b).toEqual(a);
  });
});
