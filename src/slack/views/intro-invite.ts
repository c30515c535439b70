// On-demand intros (double opt-in): the invite DM with Accept / Not now, what it turns into once answered,
// the notices to the person who asked, the group DM of a requested intro, and the introduce modal.
import type { KnownBlock, ModalView } from '@slack/types';
import type { IntroSource, InviteState } from '../../services/intros.ts';
import { ACTIONS, CALLBACKS, INTRO_BLOCKS } from '../ids.ts';
import type { CommandReply } from './help.ts';
import { formModal, noticeModal, textInput, usersInput } from './inputs.ts';
import { escapeText, truncate } from './text.ts';

// Where an intro came from and what an answered invite shows are the intro service's types.
export type { IntroSource, InviteState };

/** A person as an invite describes them. */
export interface InvitePerson {
  id: string;
  department: string | null;
  title: string;
  expertise: string[];
}

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, 2000) }],
});

/** Slack renders this in the reader's own time zone; the fallback is UTC. */
export function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty}|${at.toISOString().slice(0, 10)}>`;
}

function describe(p: InvitePerson): string {
  const parts = [p.title, p.department].filter((x): x is string => Boolean(x?.trim()));
  const can = p.expertise.length > 0 ? ` · can help with ${p.expertise.slice(0, 3).join(', ')}` : '';
  return `<@${p.id}>${escapeText(parts.length ? ` (${parts.join(', ')})` : '')}${escapeText(can)}`;
}

/** The DM asking one person to accept an intro. */
export function buildIntroInvite(input: {
  introId: string;
  source: IntroSource;
  introducerId: string;
  other: InvitePerson;
  reason: string;
  topic?: string;
  expiresAt: Date;
}): { text: string; blocks: KnownBlock[] } {
  const who = describe(input.other);
  const headline =
    input.source === 'command'
      ? `:wave: <@${input.introducerId}> would like to introduce you to ${who}.`
      : input.source === 'find'
        ? `:wave: ${who} is looking for someone who knows about *${escapeText(input.topic ?? input.reason)}* and found you through Weave. Up for a short chat?`
        : `:wave: ${who} asked Weave for an extra intro with someone from another team, and Weave picked you. Up for a short chat?`;
  const blocks: KnownBlock[] = [section(headline)];
  if (input.source === 'command' && input.reason.trim() !== '') {
    blocks.push(section(`*Why:* ${escapeText(input.reason)}`));
  }
  blocks.push({
    type: 'actions',
    block_id: INTRO_BLOCKS.introInviteActions,
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.introAccept,
        style: 'primary',
        value: input.introId,
        text: { type: 'plain_text', text: 'Accept' },
      },
      {
        type: 'button',
        action_id: ACTIONS.introDecline,
        value: input.introId,
        text: { type: 'plain_text', text: 'Not now' },
      },
    ],
  });
  blocks.push(
    context(
      `If you both accept, Weave opens a group DM${input.source === 'command' ? ` with <@${input.introducerId}>` : ''}. "Not now" ends it quietly: nobody is told who said no. This invite expires ${slackDate(input.expiresAt)}.`,
    ),
  );
  const text =
    input.source === 'command'
      ? `<@${input.introducerId}> would like to introduce you to <@${input.other.id}>`
      : `<@${input.other.id}> would like to meet you`;
  return { text, blocks };
}

/** What an invite says once it can no longer be answered (or has been answered). */

/** The invite message after an answer or once the intro is over: the buttons are gone. */
export function buildInviteAnswered(state: InviteState): { text: string; blocks: KnownBlock[] } {
  const text = {
    accepted_waiting:
      state.kind === 'accepted_waiting'
        ? `:white_check_mark: You accepted. Weave opens a group DM as soon as <@${state.otherId}> accepts too.`
        : '',
    accepted_done:
      ':white_check_mark: You both accepted: Weave has opened a group DM for you. Enjoy the chat!',
    declined: "No problem, this intro won't go ahead. Nobody is told who said no.",
    ended: "This intro isn't going ahead this time. There's nothing you need to do.",
    expired: 'This invite expired after 7 days without both answers. No harm done.',
  }[state.kind];
  return { text, blocks: [section(text)] };
}

/** The DM to whoever asked for the intro when it won't happen. Never says who declined. */
export function buildIntroEndedNotice(input: {
  source: IntroSource;
  outcome: 'declined' | 'expired';
  userIds: [string, string];
  requesterId: string;
}): { text: string } {
  const [a, b] = input.userIds;
  if (input.source === 'command') {
    const text =
      input.outcome === 'declined'
        ? `Your intro of <@${a}> and <@${b}> won't go ahead this time. That's normal, people get busy. Thanks for thinking of them; \`/intro @a @b why\` any time.`
        : `Your intro of <@${a}> and <@${b}> expired after 7 days without both answers. Thanks for thinking of them; you can always try again later.`;
    return { text };
  }
  const other = a === input.requesterId ? b : a;
  const text =
    input.outcome === 'declined'
      ? `Your intro with <@${other}> won't go ahead this time, no worries: people get busy. Try \`/intro find <topic>\` or \`/intro me\` again whenever you like.`
      : `Your intro request to <@${other}> expired after 7 days. Try \`/intro find <topic>\` or \`/intro me\` again whenever you like.`;
  return { text };
}

/** The group DM of an intro someone asked for themselves (`/intro find`, `/intro me`). */
export function buildRequestedIntroMessage(input: {
  requesterId: string;
  other: InvitePerson;
  requester: InvitePerson;
  source: 'find' | 'me';
  topic: string;
}): { text: string; blocks: KnownBlock[] } {
  const why =
    input.source === 'find'
      ? `<@${input.requesterId}> was looking for someone who knows about *${escapeText(input.topic)}*, and you both said yes.`
      : `<@${input.requesterId}> asked for an extra intro with someone from another team, and you both said yes.`;
  const blocks: KnownBlock[] = [
    section(`:wave: Meet each other: <@${input.requester.id}> and <@${input.other.id}>`),
    section(`• ${describe(input.requester)}\n• ${describe(input.other)}`),
    section(why),
    context('Find 20–30 minutes for a chat. Say thanks afterwards with `/give`.'),
  ];
  return { text: `An intro from Weave: <@${input.requester.id}> and <@${input.other.id}>`, blocks };
}

/** What the introducer is told right after `/intro @a @b`. */
export function buildIntroSentReply(userIds: [string, string], expiresAt: Date): CommandReply {
  const [a, b] = userIds;
  return {
    response_type: 'ephemeral',
    text: `:incoming_envelope: Asked <@${a}> and <@${b}> whether they'd like to be introduced. If both accept, Weave opens a group DM with the three of you. Invites expire ${slackDate(expiresAt)}.`,
  };
}

/** What the requester is told after "Request intro" or `/intro me`. */
export function buildIntroRequestedReply(otherId: string, source: 'find' | 'me'): CommandReply {
  const lead =
    source === 'me' ? `Weave picked <@${otherId}> from another team for you` : `Asked <@${otherId}>`;
  return {
    response_type: 'ephemeral',
    text: `:incoming_envelope: ${lead}: they get an invite to accept first. When they do, Weave opens a group DM for the two of you.`,
  };
}

/** The modal for `/intro @someone` (one person): pick the second person and say why. */
export function buildIntroduceModal(input: {
  userIds: string[];
  reason?: string;
  channelId?: string;
  /** Why the last submission sent no invites (shown above the form, which keeps what was entered). */
  problem?: string;
}): ModalView {
  const blocks = [
    ...(input.problem ? [section(`:warning: ${input.problem}`)] : []),
    section('Both get a DM and accept first. If both do, Weave opens a group DM with the three of you.'),
    usersInput(INTRO_BLOCKS.introducePeople, 'Who should meet?', {
      max: 2,
      placeholder: 'Pick two people',
      initial: input.userIds,
    }),
    textInput(INTRO_BLOCKS.introduceReason, 'Why should they meet?', {
      optional: true,
      multiline: true,
      maxLength: 2000,
      placeholder: 'You both work on onboarding…',
      initial: input.reason ? input.reason.slice(0, 2000) : undefined,
    }),
  ];
  const metadata = input.channelId ? { channelId: input.channelId } : {};
  return formModal(CALLBACKS.introduce, 'Introduce two people', 'Send invites', metadata, blocks);
}

/** What the introduce modal turns into once the invites are on their way. */
export function buildIntroduceDoneView(userIds: [string, string], expiresAt: Date): ModalView {
  return {
    type: 'modal',
    callback_id: `${CALLBACKS.introduce}_done`,
    title: { type: 'plain_text', text: 'Invites sent' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [section(buildIntroSentReply(userIds, expiresAt).text)],
  };
}

/** Shown while the introduce modal's invites are being sent. */
export function buildIntroduceSendingView(): ModalView {
  return noticeModal(
    `${CALLBACKS.introduce}_sending`,
    'Sending invites',
    ':hourglass_flowing_sand: Sending the invites…',
  );
}

/** A service message made fit for a modal's field error (plain text: no mentions or code marks). */
export function plainFieldError(message: string): string {
  const plain = message
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, 'this person')
    .replace(/`/g, '')
    .trim();
  return truncate(plain.charAt(0).toUpperCase() + plain.slice(1), 150);
}
