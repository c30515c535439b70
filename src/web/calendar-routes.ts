// `GET /meetings/calendar.ics?t=<signed link>`: the calendar file of a group's agreed meeting (no login;
// the signed link from the "You're set" post is the permission).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildIcs, meetingCalendarEvent } from '../domain/schedule/calendar-file.ts';
import type { Logger } from '../observability/logger.ts';
import type { MeetingService } from '../services/meetings.ts';
import type { Clock } from '../services/ports.ts';
import { verifyCalendarToken } from './link.ts';
import type { WebRoute } from './routes.ts';

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** The meeting calendar route. */
export function calendarRoutes(deps: {
  meetings: Pick<MeetingService, 'event'>;
  key: Buffer;
  clock: Clock;
  log: Logger;
}): WebRoute[] {
  const log = deps.log.child({ component: 'calendar' });
  return [
    {
      path: '/meetings/calendar.ics',
      method: ['GET'],
      handler: async (req: IncomingMessage, res: ServerResponse) => {
        try {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const check = verifyCalendarToken(deps.key, url.searchParams.get('t'), deps.clock.now());
          if (!check.ok) {
            log.info({ reason: check.code }, 'calendar link refused');
            return sendText(res, check.code === 'expired' ? 410 : 403, 'This calendar link is not valid.');
          }
          const event = await deps.meetings.event(check.workspaceId, check.groupId);
          if (!event) return sendText(res, 404, 'No meeting time was agreed for this intro.');
          res.writeHead(200, {
            'content-type': 'text/calendar; charset=utf-8',
            'content-disposition': 'attachment; filename="weave-meeting.ics"',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          });
          res.end(buildIcs(meetingCalendarEvent(event), deps.clock.now()));
        } catch (error) {
          log.error({ err: error }, 'calendar file failed');
          if (!res.headersSent) sendText(res, 500, 'Something went wrong. Please try again in a minute.');
        }
      },
    },
  ];
}
