import type { KnownBlock } from '@slack/types';
import type { Plan } from '../../domain/matching/index.ts';
import type { RoundOutcome } from '../../services/rounds.ts';
import type { CommandReply } from './help.ts';
import { truncate } from './text.ts';

const EXCLUSION_TEXT: Record<string, string> = {
  bot: 'bot',
  deleted: 'deactivated',
  guest: 'guest (guests are not paired unless an admin allows it)',
  opted_out: 'left Weave',
  paused: 'paused',
  auto_paused: 'auto-paused after 3 quiet rounds',
  skipping: 'skipping this round',
};

const MAX_GROUP_LINES = 40;

/** `/intro preview`: the next round's plan, shown only to the admin; nothing is sent. */
export function buildPreviewReply(input: {
  plan: Plan;
  excluded: Array<{ userId: string; reason: string }>;
  roundAt: Date;
}): CommandReply {
  const { plan } = input;
  const lines = plan.groups
    .slice(0, MAX_GROUP_LINES)
    .map(
      (g) => `• ${g.members.map((m) => `<@${m}>`).join(' + ')} — ${g.reasons.map((r) => r.text).join(', ')}`,
    );
  if (plan.groups.length > MAX_GROUP_LINES)
    lines.push(`…and ${plan.groups.length - MAX_GROUP_LINES} more groups`);
  const stats = `${plan.stats.n} people in ${plan.groups.length} groups · ${plan.stats.coverage} of ${plan.stats.n} meet someone from another department (best possible: ${plan.stats.bound}) · ${plan.stats.repeats} repeat pairs`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Preview of the round on <!date^${Math.floor(input.roundAt.getTime() / 1000)}^{date_short_pretty} {time}|${input.roundAt.toISOString()}>* (nothing is sent)`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: stats }] },
  ];
  if (lines.length > 0)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } });
  const notes: string[] = [];
  if (plan.unmatched.length > 0)
    notes.push(`Not matched (they will be told why): ${plan.unmatched.map((u) => `<@${u}>`).join(', ')}`);
  if (input.excluded.length > 0) {
    notes.push(
      `Not taking part: ${input.excluded.map((e) => `<@${e.userId}> (${EXCLUSION_TEXT[e.reason] ?? e.reason})`).join(', ')}`,
    );
  }
  if (notes.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notes.join('\n'), 2000) }] });
  return { response_type: 'ephemeral', text: `Preview: ${plan.groups.length} groups, nothing sent.`, blocks };
}

/** `/intro round now`: what happened. */
export function buildRoundNowReply(outcome: RoundOutcome): CommandReply {
  switch (outcome.status) {
    case 'ran':
      return {
        response_type: 'ephemeral',
        text: `Round started: ${outcome.groups} group${outcome.groups === 1 ? '' : 's'} are being introduced now${outcome.unmatched ? `; ${outcome.unmatched} could not be matched and will be told why` : ''}.`,
      };
    case 'already_ran':
      return {
        response_type: 'ephemeral',
        text: `This period's round (${outcome.periodKey}) already ran. The next one runs on schedule.`,
      };
    case 'not_due':
      return { response_type: 'ephemeral', text: 'No round is due yet.' };
    case 'failed':
      return {
        response_type: 'ephemeral',
        text: `The round could not start: ${outcome.error}. Check that Weave is still a member of this channel, then try again.`,
      };
  }
}
