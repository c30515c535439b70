// Outbox handlers for the posts that follow "Works for me" and "None of these work": rendered here (the
// Slack adapter), from the meeting state the service keeps.
import { googleCalendarUrl, meetingCalendarEvent } from '../../domain/schedule/calendar-file.ts';
import { outcomeOf, postOnce } from '../../services/deliveries.ts';
import type { MeetingService } from '../../services/meetings.ts';
import type { NotificationHandlers } from '../../services/outbox.ts';
import type { SlackGateway } from '../../services/ports.ts';
import { buildMeetingSet, buildMoreSlots } from '../views/meetings.ts';

/** `meeting_set` (once all picked the same time) and `meeting_more` (three more times, once). */
export function createMeetingDeliveryHandlers(deps: {
  meetings: Pick<MeetingService, 'event' | 'group'>;
  slack: SlackGateway;
  /** The signed `.ics` link of a group's meeting. */
  calendarUrl: (workspaceId: string, groupId: string, meetingAt: Date) => string;
}): Pick<NotificationHandlers, 'meeting_set' | 'meeting_more'> {
  return {
    async meeting_set(prompt) {
      if (!prompt.groupId) return { status: 'failed', error: 'meeting_set without group' };
      const event = await deps.meetings.event(prompt.workspaceId, prompt.groupId);
      if (!event?.conversationId) return { status: 'skipped', reason: 'no agreed meeting' };
      const message = buildMeetingSet({
        at: event.start,
        calendarUrl: deps.calendarUrl(prompt.workspaceId, event.groupId, event.start),
        googleUrl: googleCalendarUrl(meetingCalendarEvent(event)),
      });
      const posted = await postOnce(deps.slack, prompt, event.conversationId, message);
      return posted.ok ? { status: 'sent', result: { ts: posted.ts } } : outcomeOf(posted);
    },

    async meeting_more(prompt) {
      if (!prompt.groupId) return { status: 'failed', error: 'meeting_more without group' };
      const g = await deps.meetings.group(prompt.workspaceId, prompt.groupId);
      if (!g?.conversationId) return { status: 'skipped', reason: 'group not delivered' };
      if (g.meetingAt) return { status: 'skipped', reason: 'time agreed already' };
      const posted = await postOnce(deps.slack, prompt, g.conversationId, buildMoreSlots(g.id, g.slots));
      return posted.ok ? { status: 'sent', result: { ts: posted.ts } } : outcomeOf(posted);
    },
  };
}
