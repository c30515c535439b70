// Suggested meeting times in an intro, the "You're set" post and the answers to "Works for me" and
// "None of these work". Times use Slack's date token, so everyone reads their own local time.
import type { KnownBlock } from '@slack/types';
import { ACTIONS } from '../ids.ts';

/** What an intro offers (see services/meetings.ts MeetingOffer). */
export type MeetingOfferInput =
  | { kind: 'slots'; groupId: string; slots: Date[]; canAskMore: boolean }
  | { kind: 'no_overlap' };

const FALLBACK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `<!date^…^{date_short_pretty} {time}|…>`: shown in each reader's own time zone (UTC as a fallback). */
export function slackTime(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${FALLBACK.format(at)} UTC>`;
}

/** A "Works for me" button's value: the group and the slot's start (unix seconds). */
export const slotValue = (groupId: string, at: Date) => `${groupId}|${Math.floor(at.getTime() / 1000)}`;

function slotBlocks(groupId: string, slots: Date[]): KnownBlock[] {
  return slots.map((at) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `:calendar: ${slackTime(at)}` },
    accessory: {
      type: 'button',
      action_id: ACTIONS.meetingPick,
      text: { type: 'plain_text', text: 'Works for me' },
      value: slotValue(groupId, at),
    },
  }));
}

const ASYNC_START =
  "Your working hours don't overlap, so there is no time that suits you all. Start asynchronously instead: " +
  'each of you answer three questions here (what you work on, what you could use help with, something ' +
  "you're curious about), or send a short voice clip.";

/** The intro's part about meeting: three times to pick from, or a kind note and an asynchronous start. */
export function buildMeetingBlocks(offer: MeetingOfferInput): KnownBlock[] {
  if (offer.kind === 'no_overlap') {
    return [{ type: 'section', text: { type: 'mrkdwn', text: `:globe_with_meridians: ${ASYNC_START}` } }];
  }
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Times that suit you all* (30 minutes, inside everyone’s working hours, shown in your own time zone):',
      },
    },
    ...slotBlocks(offer.groupId, offer.slots),
  ];
  if (offer.canAskMore) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.meetingNone,
          text: { type: 'plain_text', text: 'None of these work' },
          value: offer.groupId,
        },
      ],
    });
  }
  return blocks;
}

/** Three more times after "None of these work" (offered once). */
export function buildMoreSlots(groupId: string, slots: Date[]): { text: string; blocks: KnownBlock[] } {
  return {
    text: 'Three more times that suit you all',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Three more times that suit you all* (30 minutes, in your own time zone):',
        },
      },
      ...slotBlocks(groupId, slots),
    ],
  };
}

/** The one post once every member picked the same time. */
export function buildMeetingSet(input: { at: Date; calendarUrl: string; googleUrl: string }): {
  text: string;
  blocks: KnownBlock[];
} {
  const when = slackTime(input.at);
  return {
    text: `You're set for ${when}.`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: *You're set for ${when}.*` } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `<${input.calendarUrl}|Add to calendar> (.ics) · <${input.googleUrl}|Google Calendar>`,
        },
      },
    ],
  };
}

/** The answer (ephemeral) to a "Works for me" click. */
export function buildPickReply(
  outcome:
    | { kind: 'agreed'; at: Date }
    | { kind: 'waiting'; slot: Date; waitingFor: string[] }
    | { kind: 'already_agreed'; at: Date }
    | { kind: 'not_in_group' }
    | { kind: 'unknown_slot' },
): string {
  switch (outcome.kind) {
    case 'agreed':
      return `Everyone can make ${slackTime(outcome.at)}: you're set.`;
    case 'waiting':
      return `Noted: ${slackTime(outcome.slot)} works for you. Waiting for ${outcome.waitingFor.map((u) => `<@${u}>`).join(', ')}.`;
    case 'already_agreed':
      return `You already agreed on ${slackTime(outcome.at)}.`;
    case 'not_in_group':
      return 'These times are for the people in this chat.';
    case 'unknown_slot':
      return 'That time is no longer offered: pick one of the latest times.';
  }
}

/** The answer (ephemeral) to "None of these work". */
export function buildNoneReply(
  kind: 'offered' | 'already_offered' | 'agreed' | 'none_found' | 'not_in_group',
): string {
  switch (kind) {
    case 'offered':
      return 'Three more times are on their way.';
    case 'already_offered':
      return 'Three more times were offered already: pick one of those, or agree on a time here in the chat.';
    case 'agreed':
      return 'You already agreed on a time.';
    case 'none_found':
      return 'There are no other times inside everyone’s working hours in the next two weeks: agree on one here in the chat.';
    case 'not_in_group':
      return 'These times are for the people in this chat.';
  }
}
