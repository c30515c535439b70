import { describe, expect, it } from 'vitest';
import {
  buildIcs,
  googleCalendarUrl,
  meetingCalendarEvent,
} from '../../../src/domain/schedule/calendar-file.ts';
import { calendarUrl, deriveDashboardKey, verifyCalendarToken } from '../../../src/web/link.ts';

const key = deriveDashboardKey('a-signing-secret-for-tests');
const groupId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const meetingAt = new Date('2026-12-01T10:00:00Z');

describe('meeting calendar links', () => {
  it('signs a link that opens this group’s meeting only, until 30 days after it', () => {
    const url = new URL(
      calendarUrl('https://weave.example.com/', key, { workspaceId: 'T1', groupId, meetingAt }),
    );
    expect(url.pathname).toBe('/meetings/calendar.ics');
    const token = url.searchParams.get('t');
    expect(verifyCalendarToken(key, token, meetingAt)).toEqual({ ok: true, workspaceId: 'T1', groupId });
    expect(verifyCalendarToken(key, token, new Date('2027-01-01T00:00:00Z'))).toMatchObject({
      code: 'expired',
    });
    expect(verifyCalendarToken(key, `${token?.slice(0, -2)}AA`, meetingAt)).toMatchObject({ ok: false });
    expect(verifyCalendarToken(deriveDashboardKey('another-secret'), token, meetingAt)).toMatchObject({
      code: 'bad_signature',
    });
  });
});

describe('the calendar file', () => {
  const event = meetingCalendarEvent({
    groupId,
    workspaceId: 'T1',
    start: meetingAt,
    end: new Date('2026-12-01T10:30:00Z'),
    names: ['Ada Lovelace', 'Grace Hopper; Navy'],
    conversationId: 'G0GROUP',
  });

  it('names the group and the Slack conversation, in UTC, with escaped text and CRLF lines', () => {
    const ics = buildIcs(event, new Date('2026-11-30T09:00:00Z'));
    expect(ics).toContain('DTSTART:20261201T100000Z\r\n');
    expect(ics).toContain('DTEND:20261201T103000Z\r\n');
    expect(ics).toContain('SUMMARY:Weave: Ada Lovelace\\, Grace Hopper\\; Navy\r\n');
    expect(ics.replace(/\r\n /g, '')).toContain('channel=G0GROUP');
    for (const line of ics.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('gives a Google Calendar link with the same times', () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.searchParams.get('dates')).toBe('20261201T100000Z/20261201T103000Z');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
  });
});
