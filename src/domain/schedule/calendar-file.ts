// A meeting as a calendar: the iCalendar (.ics, RFC 5545) file Weave serves and the Google Calendar
// "add event" link. Pure: every instant, including the file's stamp, is passed in.

/** One event: a meeting of a Weave group. */
export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  title: string;
  description: string;
  /** Where the group talks (the Slack conversation). */
  url: string;
}

/** `20261201T100000Z`: UTC date-time in iCalendar's basic format. */
export function icsDateTime(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Escapes text for an iCalendar TEXT value (backslash, semicolon, comma, newline). */
function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (continuation lines start with a space), as RFC 5545 §3.1 asks. */
const octets = (s: string) => new TextEncoder().encode(s).length;

function fold(line: string): string {
  if (octets(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const ch of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (octets(current + ch) > limit) {
      parts.push(current);
      current = ch;
    } else current += ch;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The iCalendar file of one event, CRLF line ends. */
export function buildIcs(event: CalendarEvent, stamp: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Weave//Meetings//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${icsText(event.uid)}`,
    `DTSTAMP:${icsDateTime(stamp)}`,
    `DTSTART:${icsDateTime(event.start)}`,
    `DTEND:${icsDateTime(event.end)}`,
    `SUMMARY:${icsText(event.title)}`,
    `DESCRIPTION:${icsText(event.description)}`,
    `URL:${event.url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** Google Calendar's "add event" link for the event. */
export function googleCalendarUrl(event: CalendarEvent): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.title,
    dates: `${icsDateTime(event.start)}/${icsDateTime(event.end)}`,
    details: `${event.description}\n${event.url}`,
  });
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}

/** The event of a Weave group's meeting: names the group and links its Slack conversation. */
export function meetingCalendarEvent(m: {
  groupId: string;
  workspaceId: string;
  start: Date;
  end: Date;
  names: string[];
  conversationId: string | null;
}): CalendarEvent {
  const url = m.conversationId
    ? `https://slack.com/app_redirect?team=${encodeURIComponent(m.workspaceId)}&channel=${encodeURIComponent(m.conversationId)}`
    : 'https://slack.com/';
  return {
    uid: `${m.groupId}@weave`,
    start: m.start,
    end: m.end,
    title: `Weave: ${m.names.join(', ')}`,
    description: `Your Weave intro: ${m.names.join(', ')}. You picked this time together in your Slack conversation${m.conversationId ? ` (${m.conversationId})` : ''}.`,
    url,
  };
}
