import type { KnownBlock } from '@slack/types';
import { conversationStarter, type IntroPerson } from '../../domain/intro/starters.ts';
import { buildMeetingBlocks, type MeetingOfferInput } from './meetings.ts';
import { escapeText, truncate } from './text.ts';

export interface GroupIntroInput {
  people: IntroPerson[];
  reasons: string[];
  /** The person added to make a trio, told why. */
  trioAddedId?: string | null;
  seed: number;
  /** Who made the introduction (for /intro intros). */
  introducer?: { id: string; reason: string } | null;
  /** Suggested meeting times (or the asynchronous start when the group shares no working hours). */
  meeting?: MeetingOfferInput | null;
}

const ORDINALS: Record<number, string> = { 3: 'third', 4: 'fourth', 5: 'fifth' };

/** Why one person joins a group larger than the others (a trio when pairing; a fourth in groups of three). */
function addedNotice(addedId: string, groupSize: number): string {
  const nth = ORDINALS[groupSize] ?? 'member';
  return groupSize === 3
    ? `There was an odd number of people this round, so <@${addedId}> joins as a third — nobody is left out.`
    : `The people this round did not split evenly into groups, so <@${addedId}> joins as a ${nth} — nobody is left out.`;
}

function describe(p: IntroPerson): string {
  const parts = [p.title, p.department].filter((x): x is string => Boolean(x?.trim()));
  const extra = p.expertise.length > 0 ? ` · can help with ${p.expertise.slice(0, 3).join(', ')}` : '';
  return `• <@${p.id}>${parts.length ? ` — ${escapeText(parts.join(', '))}` : ''}${escapeText(extra)}`;
}

/** The group DM that introduces the people of a group: who, why them, a starter, the trio notice. */
export function buildGroupIntroMessage(input: GroupIntroInput): { text: string; blocks: KnownBlock[] } {
  const names = input.people.map((p) => `<@${p.id}>`).join(', ');
  const blocks: KnownBlock[] = [];
  const headline = input.introducer
    ? `:wave: <@${input.introducer.id}> thought you should meet: ${names}`
    : `:wave: Meet your Weave match${input.people.length > 2 ? 'es' : ''} this round: ${names}`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(headline, 3000) } });
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(input.people.map(describe).join('\n'), 3000) },
  });
  if (input.introducer?.reason) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Why:* ${escapeText(input.introducer.reason)}`, 3000) },
    });
  } else if (input.reasons.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: truncate(`*Why you:* ${escapeText(input.reasons.join(' · '))}`, 2000) },
      ],
    });
  }
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(`*A question to start:* ${conversationStarter(input.people, input.seed)}`, 3000),
    },
  });
  if (input.trioAddedId) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: addedNotice(input.trioAddedId, input.people.length),
        },
      ],
    });
  }
  if (input.meeting) blocks.push(...buildMeetingBlocks(input.meeting));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Find 20–30 minutes this week for a chat. `/intro skip` skips the next round.',
      },
    ],
  });
  const text = input.introducer
    ? `${input.people.map((p) => p.name).join(', ')}: an introduction from Weave`
    : `Meet your Weave match this round: ${input.people.map((p) => p.name).join(', ')}`;
  return { text: truncate(text, 3000), blocks };
}
