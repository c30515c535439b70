// The caller's own status, shown at the top of `/intro help`, and the replies to pause/resume/skip/leave.
import type { MemberControlOutcome } from '../../services/profile.ts';
import type { CommandReply, HelpStatus } from './help.ts';
import { slackDate } from './intro-invite.ts';

/** What the caller's participation looks like right now. */
export interface MemberStatus {
  status: 'active' | 'paused' | 'auto_paused' | 'opted_out';
  pausedUntil: Date | null;
  skipping: boolean;
  programs: Array<{ channelId: string; nextRoundAt: Date }>;
}

const when = (at: Date) =>
  `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${at.toISOString().slice(0, 16)}Z>`;

/** One or two lines: where they are paired, when next, and whether they are paused or skipping. */
export function buildStatusLine(s: MemberStatus): HelpStatus {
  const parts: string[] = [];
  if (s.programs.length === 0) {
    parts.push('*Your status:* not in a pairing channel yet (join one to be paired every round).');
  } else {
    const next = s.programs
      .slice(0, 5)
      .map((p) => `<#${p.channelId}> next round ${when(p.nextRoundAt)}`)
      .join('; ');
    parts.push(`*Your status:* ${next}.`);
  }
  if (s.status === 'paused') {
    parts.push(`:double_vertical_bar: Paused${s.pausedUntil ? ` until ${slackDate(s.pausedUntil)}` : ''}.`);
  } else if (s.status === 'auto_paused') {
    parts.push(':zzz: Paused after a few quiet rounds; `/intro resume` to come back.');
  } else if (s.status === 'opted_out') {
    parts.push('You left Weave intros; `/intro resume` to come back.');
  } else if (s.skipping) {
    parts.push(':fast_forward: Skipping the next round.');
  }
  return { line: parts.join(' ') };
}

const reply = (text: string): CommandReply => ({ response_type: 'ephemeral', text });

/** Replies to the member controls (also used for the App Home buttons' confirmations). */
export const memberReplies = {
  paused: (until: Date) =>
    reply(
      `:double_vertical_bar: Paused until ${slackDate(until)}: no round intros until then. \`/intro resume\` to come back sooner.`,
    ),
  resumed: (was: string) =>
    reply(
      was === 'active'
        ? "You're already taking part; nothing to resume. You'll be in the next round."
        : ":arrow_forward: Welcome back! You'll be in the next round.",
    ),
  skipping: (roundAt: Date, channelId: string) =>
    reply(
      `:fast_forward: You'll skip the round of ${when(roundAt)} in <#${channelId}>, and be back for the one after. \`/intro resume\` undoes it.`,
    ),
  alreadySkipping: (roundAt: Date) =>
    reply(`You're already skipping the round of ${when(roundAt)}. \`/intro resume\` undoes it.`),
  noRoundToSkip: () =>
    reply(
      "You're not in a pairing channel yet, so there's no round to skip. Join one (ask an admin which) to be paired.",
    ),
  left: () =>
    reply(
      "You've left Weave intros: no more rounds or invites. Your profile stays until you run `/intro forget`. `/intro resume` brings you back.",
    ),
  unavailable: () => reply("Weave couldn't load your Slack profile just now. Please try again in a minute."),
  alreadyLeft: () => reply("You've already left Weave intros. `/intro resume` brings you back."),
};

/** The reply to a member control's outcome. */
export function buildMemberControlReply(o: MemberControlOutcome): CommandReply {
  switch (o.kind) {
    case 'unavailable':
      return memberReplies.unavailable();
    case 'already_left':
      return memberReplies.alreadyLeft();
    case 'paused':
      return memberReplies.paused(o.until);
    case 'resumed':
      return memberReplies.resumed(o.was);
    case 'no_round_to_skip':
      return memberReplies.noRoundToSkip();
    case 'already_skipping':
      return memberReplies.alreadySkipping(o.roundAt);
    case 'skipping':
      return memberReplies.skipping(o.roundAt, o.channelId);
    case 'left':
      return memberReplies.left();
  }
}
