// The weekly thank-you digest posted in the admin-chosen channel.
import type { KnownBlock } from '@slack/types';
import type { DigestEntry, PersonCount, WeeklyDigest } from '../../domain/gives/digest.ts';
import { GIVE_KIND_INFO } from '../../domain/gives/kinds.ts';
import { escapeText, truncate } from './text.ts';

/** Slack's limits: blocks per message and characters per section text. */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
/** Gives listed per kind; the rest are summed up in one line. */
export const ENTRIES_PER_KIND = 20;
/** Characters of a reason quoted per line (the full text stays in the database). */
const REASON_SHOWN = 200;
const DEPARTMENT_SHOWN = 40;
const CROSS = ':twisted_rightwards_arrows:';

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) }],
});

/** User text on one line, escaped (mass mentions neutralised) and cut to `max` characters. */
function inline(text: string, max: number): string {
  return truncate(escapeText(text.replace(/\s+/g, ' ').trim()), max);
}

function entryLine(e: DigestEntry): string {
  const receiver = e.receiverId ? `<@${e.receiverId}>` : '_someone who has since left Weave_';
  const who = `<@${e.giverId}> → ${receiver}`;
  const reason = e.reason ? `: ${inline(e.reason, REASON_SHOWN)}` : '';
  if (!e.crossDepartment) return `• ${who}${reason}`;
  const departments = `${inline(e.crossDepartment.from, DEPARTMENT_SHOWN)} → ${inline(e.crossDepartment.to, DEPARTMENT_SHOWN)}`;
  return `${CROSS} *${who}* _(${departments})_${reason}`;
}

/** Joins lines into as few sections as fit Slack's text limit. */
function pack(lines: string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > MAX_SECTION_TEXT && current !== '') {
      blocks.push(section(current));
      current = line;
    } else current = next;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

const people = (counts: PersonCount[]) =>
  counts.map((c) => `<@${c.userId}> ${c.count.toLocaleString('en-US')}`).join(' · ');

/**
 * The digest message: a summary, optionally the leaderboard, then each kind with its gives
 * (cross-department ones first and marked). At most 50 blocks; every text within Slack's limits.
 */
export function buildDigestMessage(d: WeeklyDigest): { text: string; blocks: KnownBlock[] } {
  const summary = `${plural(d.total, 'thank-you', 'thank-yous')} this week${
    d.crossDepartment > 0 ? `, ${d.crossDepartment.toLocaleString('en-US')} across departments` : ''
  }`;
  const head: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: ':gift: Weekly thank-you digest', emoji: true } },
    section(
      `*${summary}.*${d.crossDepartment > 0 ? ` ${CROSS} marks thanks that crossed departments.` : ''}`,
    ),
  ];
  if (d.leaderboard) {
    const lines = [
      d.leaderboard.received.length > 0 ? `*Most thanked:* ${people(d.leaderboard.received)}` : '',
      d.leaderboard.given.length > 0 ? `*Most thankful:* ${people(d.leaderboard.given)}` : '',
    ].filter((l) => l !== '');
    if (lines.length > 0) head.push(section(`:trophy: ${lines.join('\n')}`));
  }
  const footer = context(
    d.leaderboard
      ? 'Weekly Weave digest · admins choose the channel and day with `/intro admin`.'
      : 'Weekly Weave digest · no points, no scores, just thanks · admins choose the channel and day with `/intro admin`.',
  );

  const body: KnownBlock[] = [];
  for (const group of d.kinds) {
    const info = GIVE_KIND_INFO[group.kind];
    const shown = group.entries.slice(0, ENTRIES_PER_KIND);
    const title = `${info.emoji} *Thanks for ${info.label}* (${group.entries.length.toLocaleString('en-US')})`;
    const kindBlocks: KnownBlock[] = [{ type: 'divider' }, ...pack([title, ...shown.map(entryLine)])];
    const hidden = group.entries.length - shown.length;
    if (hidden > 0) kindBlocks.push(context(`…and ${plural(hidden, 'more', 'more')} for ${info.label}.`));
    // Never past Slack's block limit: a kind that no longer fits is summed up in one line.
    if (head.length + body.length + kindBlocks.length + 2 > MAX_BLOCKS) {
      body.push(
        context(
          `${info.emoji} ${plural(group.entries.length, 'more thank-you', 'more thank-yous')} for ${info.label}.`,
        ),
      );
      continue;
    }
    body.push(...kindBlocks);
  }
  return {
    text: truncate(`Weekly thank-you digest: ${summary}.`, MAX_SECTION_TEXT),
    blocks: [...head, ...body, footer].slice(0, MAX_BLOCKS),
  };
}
