import type { KnownBlock, ModalView } from '@slack/types';
import { escapeText, truncate } from '../../domain/text/index.ts';
import { ACTIONS, CALLBACKS, thankPartnerActionId } from '../ids.ts';

import { noticeModal } from './inputs.ts';

type Message = { text: string; blocks: KnownBlock[] };
const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button' as const,
  action_id: actionId,
  value,
  text: { type: 'plain_text' as const, text },
  ...(style ? { style } : {}),
});

/** "You'll be paired tomorrow — skip this round?" */
export function buildHeadsUp(input: { channelId: string; programId: string; periodKey: string }): Message {
  return {
    text: `You'll be paired in <#${input.channelId}> tomorrow. Busy? You can skip this round.`,
    blocks: [
      section(
        `:calendar: You'll be paired with someone from another team in <#${input.channelId}> tomorrow.`,
      ),
      {
        type: 'actions',
        elements: [
          button('Skip this round', ACTIONS.skipFromHeadsUp, `${input.programId}|${input.periodKey}`),
        ],
      },
    ],
  };
}

/** The heads-up after "Skip this round" was clicked. */
export function buildHeadsUpSkipped(channelId: string): Message {
  return {
    text: 'You will skip this round.',
    blocks: [section(`:ok_hand: You'll skip tomorrow's round in <#${channelId}>. See you next time!`)],
  };
}

const ANSWER_TEXT: Record<string, string> = {
  met: 'we met',
  not_yet: 'not yet',
  not_happening: 'not happening',
};

/** The check-in in the group DM; shows who answered what, and the buttons until the group is settled. */
export function buildCheckIn(input: {
  groupId: string;
  answers: Array<{ userId: string; response: string | null }>;
  reminder?: boolean;
}): Message {
  const answered = input.answers.filter((a) => a.response);
  const settled = input.answers.some((a) => a.response === 'met' || a.response === 'not_happening');
  const question = input.reminder
    ? ':wave: A gentle reminder: did you find time to meet?'
    : ':coffee: Halfway through the round: have you met yet?';
  const blocks: KnownBlock[] = [section(question)];
  if (answered.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: answered
            .map((a) => `<@${a.userId}>: ${ANSWER_TEXT[a.response ?? ''] ?? a.response}`)
            .join(' · '),
        },
      ],
    });
  }
  if (!settled) {
    blocks.push({
      type: 'actions',
      elements: [
        button('We met', ACTIONS.checkInMet, input.groupId, 'primary'),
        button('Not yet', ACTIONS.checkInNotYet, input.groupId),
        button('Not happening', ACTIONS.checkInNotHappening, input.groupId),
      ],
    });
  } else {
    blocks.push(
      section(
        input.answers.some((a) => a.response === 'met')
          ? 'Lovely — thanks for letting us know!'
          : 'No problem. No more reminders for this one.',
      ),
    );
  }
  return { text: input.reminder ? 'A gentle reminder: did you meet?' : 'Have you met yet?', blocks };
}

/** After "We met": a one-click thank-you to each partner (and to the connector of an /intro). */
export function buildThankYouOffer(input: {
  groupId: string;
  partnerIds: string[];
  connectorId?: string | null;
}): Message {
  const elements = input.partnerIds
    .slice(0, 4)
    .map((id) => button('Thank them', thankPartnerActionId(id), `${input.groupId}|${id}`));
  const lines = input.partnerIds.map((id) => `<@${id}>`).join(', ');
  const blocks: KnownBlock[] = [
    section(`:sparkles: Glad you met ${lines}! Want to thank them for something they shared?`),
  ];
  blocks.push({ type: 'actions', elements });
  if (input.connectorId) {
    blocks.push(section(`<@${input.connectorId}> made this introduction.`));
    blocks.push({
      type: 'actions',
      elements: [
        button('Thank the connector', ACTIONS.thankConnector, `${input.groupId}|${input.connectorId}`),
      ],
    });
  }
  return { text: 'Glad you met! Want to say thank you?', blocks };
}

/** The give modal, prefilled with the receiver; the reason is required. */
export function buildGiveModal(input: {
  receiverId: string;
  kind: 'help' | 'intro';
  metadata: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.give,
    private_metadata: input.metadata,
    title: { type: 'plain_text', text: 'Say thank you' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `Thank <@${input.receiverId}> for ${input.kind === 'intro' ? 'the introduction' : 'what they shared'}.`,
      ),
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'What are you thanking them for?' },
        element: {
          type: 'plain_text_input',
          action_id: 'reason',
          multiline: true,
          min_length: 10,
          max_length: 2000,
          placeholder: { type: 'plain_text', text: 'e.g. explained how pricing experiments work' },
        },
      },
    ],
  };
}

/** The private "reconnect with X?" offer some months after a group met. */
export function buildReconnectOffer(input: {
  promptId: string;
  partnerIds: string[];
  monthsAgo: number;
}): Message {
  const who = input.partnerIds.map((id) => `<@${id}>`).join(', ');
  return {
    text: `It's been a while since you met ${who}. Reconnect?`,
    blocks: [
      section(
        `:seedling: About ${input.monthsAgo} months ago you met ${who}. Want to catch up again? If they say yes too, Weave opens a new chat.`,
      ),
      {
        type: 'actions',
        elements: [
          button('Yes, reconnect', ACTIONS.reconnectYes, input.promptId, 'primary'),
          button('Not now', ACTIONS.reconnectNotNow, input.promptId),
          button('Never for this group', ACTIONS.reconnectNever, input.promptId),
        ],
      },
    ],
  };
}

/** The reconnect offer after an answer. */
export function buildReconnectAnswered(answer: 'yes' | 'not_now' | 'never'): Message {
  const text =
    answer === 'yes'
      ? "Great — if they say yes too, you'll get a new chat."
      : answer === 'never'
        ? "Understood. We won't suggest this reconnect again."
        : 'No problem. Maybe another time.';
  return { text, blocks: [section(text)] };
}

/** Welcome DM for someone who joined a program channel (or the workspace). */
export function buildWelcome(input: { channelId?: string | null }): Message {
  const where = input.channelId ? ` in <#${input.channelId}>` : '';
  return {
    text: `Welcome to Weave${where}! Your first intro comes within two working days.`,
    blocks: [
      section(
        `:wave: *Welcome to Weave${where}!* Within two working days you'll be introduced to someone from another department — a short chat to get to know the company. After that, intros come with each round.`,
      ),
      section('Tell people what you can help with and what you are into, so the intros fit:'),
      { type: 'actions', elements: [button('Set up my profile', ACTIONS.openProfile, 'welcome', 'primary')] },
    ],
  };
}

/** The kind DM after 3 quiet rounds, with a Resume button. */
export function buildGhostPaused(): Message {
  return {
    text: "We've paused your Weave intros for now. Resume any time.",
    blocks: [
      section(
        ":zzz: We haven't heard from you in the last 3 rounds, so we've paused your intros — no pressure. Whenever you'd like to meet people again, resume with one click.",
      ),
      { type: 'actions', elements: [button('Resume intros', ACTIONS.resume, 'ghost', 'primary')] },
    ],
  };
}

/** Confirmation after Resume. */
export function buildResumed(): Message {
  return {
    text: 'Welcome back! You are in the next round.',
    blocks: [section(':tada: Welcome back! You are in the next round.')],
  };
}

/** Escapes a user-supplied reason for echoing (kept here so listeners never format text). */
export function safeReason(text: string): string {
  return escapeText(text);
}

/** Shown while a thank-you from the give modal is being recorded. */
export function buildThankYouSendingView(): ModalView {
  return noticeModal(
    `${CALLBACKS.give}_sending`,
    'Say thanks',
    ':hourglass_flowing_sand: Sending your thanks…',
  );
}

/** What the give modal turns into once the thank-you is recorded, or why it was not. */
export function buildThankYouResultView(
  result: { ok: true; receiverId: string } | { ok: false; message: string },
): ModalView {
  return result.ok
    ? noticeModal(
        `${CALLBACKS.give}_sent`,
        'Say thanks',
        `:sparkles: Thanks sent to <@${result.receiverId}>.`,
      )
    : noticeModal(`${CALLBACKS.give}_failed`, 'Say thanks', `:warning: Not sent. ${result.message}`);
}
