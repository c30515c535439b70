import type { KnownBlock } from '@slack/types';

export interface CommandReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** What the caller knows about their own participation, shown at the top of /intro help. */
export interface HelpStatus {
  line: string;
}

/** `/intro help`: what Weave does, the caller's status and every subcommand with an example. */
export function buildIntroHelp(status?: HelpStatus): CommandReply {
  const commands = [
    '`/intro @maria @li Both of you work on pricing` — introduce two people (each accepts first)',
    '`/intro find onboarding` — up to 3 people in other departments who can help with a topic',
    '`/intro me` — an extra intro now, outside the weekly round',
    '`/intro profile` — your department, what you can help with, interests',
    '`/intro pause 2w` · `/intro pause until 2026-12-31` · `/intro resume` · `/intro skip` · `/intro leave`',
    '`/intro data` — a copy of everything Weave stores about you · `/intro forget` — delete it',
    'Admins: `/intro admin` (settings) · `/intro admin departments` · `/intro preview` · `/intro round now`',
  ];
  const blocks: KnownBlock[] = [
    section(
      '*Weave* pairs you with colleagues from other departments for a short chat, and lets you thank people with `/give`.',
    ),
  ];
  if (status) blocks.push(section(status.line));
  blocks.push(section(commands.map((c) => `• ${c}`).join('\n')));
  return {
    response_type: 'ephemeral',
    text: 'Weave: cross-team intros and gives. Try `/intro me` or `/intro find <topic>`.',
    blocks,
  };
}

/** `/give` usage, shown when it is typed without arguments. */
export function buildGiveUsage(): CommandReply {
  return {
    response_type: 'ephemeral',
    text: 'Usage: `/give @person [#kind] reason` — e.g. `/give @maria #expertise walked me through the pricing model`',
    blocks: [
      section(
        '*Thank someone with `/give`*\n`/give @person [@person…] [#kind] reason` — e.g. `/give @maria #expertise walked me through the pricing model`',
      ),
      section(
        'Kinds: `#expertise` `#intro` `#help` `#mentoring` `#feedback` (default `#help`). The reason needs at least 10 characters. No points, no leaderboard — just a thank-you that is remembered.',
      ),
    ],
  };
}

/** A short private error reply that says what to type instead. */
export function buildErrorReply(message: string): CommandReply {
  return { response_type: 'ephemeral', text: message };
}

/** Weave's answer to a direct message: it reads no DMs, so it points at what it does understand. */
export function buildDirectMessageReply(): { text: string } {
  return {
    text: "Hi! I'm Weave. I don't read messages sent to me here. Try `/intro help` for pairing, intros and your profile, or `/give @someone thanks for …` to thank a colleague.",
  };
}
