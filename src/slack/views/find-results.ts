// `/intro find <topic>`: up to three people from other departments, each with a "Request intro" button.
import type { KnownBlock } from '@slack/types';
import type { FoundPerson } from '../../services/intros.ts';
import { ACTIONS } from '../ids.ts';
import { encodeIntroRequest } from '../parsers/view-state.ts';
import type { CommandReply } from './help.ts';
import { escapeText, truncate } from './text.ts';

/** One person found for a topic (the intro service's type). */
export type { FoundPerson };

/** The ephemeral reply to `/intro find`: the people found, or what to try instead. */
export function buildFindResults(input: { topic: string; people: FoundPerson[] }): CommandReply {
  const topic = escapeText(truncate(input.topic, 100));
  if (input.people.length === 0) {
    return {
      response_type: 'ephemeral',
      text: `Nobody in another department lists *${topic}* as expertise yet. Try a broader word (e.g. \`/intro find design\`), or ask for an extra intro with \`/intro me\`. Add your own expertise with \`/intro profile\`.`,
    };
  }
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*People in other departments who can help with ${topic}*`, 3000),
      },
    },
  ];
  input.people.slice(0, 3).forEach((p, i) => {
    const about = [p.title, p.department].filter((x): x is string => Boolean(x?.trim())).join(', ');
    const met =
      p.connections === 0 ? 'you have not met yet' : `you have crossed paths ${p.connections}× before`;
    blocks.push({
      type: 'section',
      block_id: `find_result_${i}`,
      text: {
        type: 'mrkdwn',
        text: truncate(
          `<@${p.userId}>${about ? ` — ${escapeText(about)}` : ''}\nCan help with: ${escapeText(p.tag)} · ${met}`,
          3000,
        ),
      },
      accessory: {
        type: 'button',
        action_id: ACTIONS.introRequest,
        text: { type: 'plain_text', text: 'Request intro' },
        value: encodeIntroRequest({ u: p.userId, t: input.topic.slice(0, 200) }),
      },
    });
  });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: 'They get an invite to accept first; if they do, Weave opens a group DM.' },
    ],
  });
  return {
    response_type: 'ephemeral',
    text: `People who can help with ${topic}: ${input.people.map((p) => `<@${p.userId}>`).join(', ')}`,
    blocks,
  };
}
