import type { KnownBlock } from '@slack/types';
import { GIVE_KIND_INFO, type GiveKind } from '../../domain/gives/kinds.ts';
import { escapeText, truncate } from '../../domain/text/index.ts';
import type { CommandReply } from './help.ts';

const REASON_SHOWN = 2500;

/** The public shoutout for a /give, posted in the channel where it was typed. */
export function buildShoutout(input: {
  giverId: string;
  receiverIds: string[];
  kind: GiveKind;
  reason: string;
}): CommandReply {
  const info = GIVE_KIND_INFO[input.kind];
  const who = input.receiverIds.map((id) => `<@${id}>`).join(', ');
  const reason = truncate(escapeText(input.reason), REASON_SHOWN);
  const text = `${info.emoji} <@${input.giverId}> thanks ${who} for ${info.label}: ${reason}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }];
  return { response_type: 'in_channel', text: truncate(text, 3000), blocks };
}

/** The DM a receiver gets for a give. */
export function buildGiveDm(input: {
  giverId: string;
  kind: GiveKind;
  reason: string;
  channelId?: string | null;
  /** Whether the channel is public (Slack's conversations.info): only a public channel is named. */
  channelIsPublic?: boolean;
}): {
  text: string;
  blocks: KnownBlock[];
} {
  const info = GIVE_KIND_INFO[input.kind];
  const where = input.channelId && input.channelIsPublic === true ? ` in <#${input.channelId}>` : '';
  const text = truncate(
    `${info.emoji} <@${input.giverId}> thanked you for ${info.label}${where}: ${escapeText(input.reason)}`,
    3000,
  );
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Rather not get these? `/intro profile` turns give DMs off.' }],
      },
    ],
  };
}

/** What the giver sees privately after /give: problems with some receivers, and the gentle nudge. */
export function buildGiveNotes(notes: string[]): CommandReply | null {
  if (notes.length === 0) return null;
  return { response_type: 'ephemeral', text: truncate(notes.join('\n'), 3000) };
}
