// `/intro data` and `/intro forget`: the export DMs, the confirm step and what happens afterwards.
import type { KnownBlock } from '@slack/types';
import { ACTIONS, INTRO_BLOCKS } from '../ids.ts';
import type { CommandReply } from './help.ts';

/** Characters of JSON per DM: Slack cuts messages at 40,000 characters; this leaves room for the frame. */
export const EXPORT_PART_CHARS = 38_000;

/**
 * Splits a JSON export into DM texts of at most ~38,000 characters each, in a code block. Splits at line
 * breaks where possible so each part stays readable.
 */
export function buildExportMessages(json: string): string[] {
  const chunks: string[] = [];
  let rest = json;
  while (rest.length > 0) {
    if (rest.length <= EXPORT_PART_CHARS) {
      chunks.push(rest);
      break;
    }
    const cut = rest.lastIndexOf('\n', EXPORT_PART_CHARS);
    const at = cut > EXPORT_PART_CHARS / 2 ? cut + 1 : EXPORT_PART_CHARS;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  // Triple backticks inside the data would end the code block early.
  const safe = (s: string) => s.replace(/```/g, '`\u200b`\u200b`');
  return chunks.map((c, i) => {
    const head =
      chunks.length === 1
        ? 'Here is everything Weave stores about you (JSON):'
        : `Everything Weave stores about you (JSON), part ${i + 1} of ${chunks.length}:`;
    return `${head}\n\`\`\`\n${safe(c)}\n\`\`\``;
  });
}

/** The reply to `/intro data`. */
export function buildExportReply(parts: number): CommandReply {
  if (parts === 0) {
    return {
      response_type: 'ephemeral',
      text: "Weave doesn't store anything about you yet: no profile, intros or gives. `/intro help` shows how to take part.",
    };
  }
  return {
    response_type: 'ephemeral',
    text: `:package: Sending you everything Weave stores about you as JSON in a DM${parts > 1 ? ` (${parts} messages)` : ''}. \`/intro forget\` deletes it.`,
  };
}

/** The reply to `/intro forget`: what will happen, and a button to confirm. */
export function buildForgetConfirm(): CommandReply {
  const text =
    "*Delete everything Weave stores about you?* Your profile, pause settings, intros, group history, gives you gave and scheduled messages are deleted. Gives you received stay in their givers' history without your name. This can't be undone.";
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    {
      type: 'actions',
      block_id: INTRO_BLOCKS.forgetActions,
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.forgetConfirm,
          style: 'danger',
          value: 'forget',
          text: { type: 'plain_text', text: 'Delete my data' },
          confirm: {
            title: { type: 'plain_text', text: 'Delete your data?' },
            text: { type: 'plain_text', text: 'Everything Weave stores about you is deleted for good.' },
            confirm: { type: 'plain_text', text: 'Delete' },
            deny: { type: 'plain_text', text: 'Keep it' },
            style: 'danger',
          },
        },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Want a copy first? `/intro data` sends it to you.' }],
    },
  ];
  return { response_type: 'ephemeral', text: 'Delete everything Weave stores about you?', blocks };
}

/** What the confirm button turns into once the data is gone. */
export function buildForgetDone(counts: { rows: number }): CommandReply {
  return {
    response_type: 'ephemeral',
    text: `:wastebasket: Done: Weave deleted everything it stored about you (${counts.rows} record${counts.rows === 1 ? '' : 's'}). Gives you received remain for their givers, without your name. If you stay in a pairing channel you'll be paired again from the next round; leave the channel to stop.`,
  };
}
