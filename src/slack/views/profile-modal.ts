// `/intro profile` and "Edit profile": department, expertise offered, interests, "don't pair me with"
// (private) and give DMs.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { INTRO_BLOCKS as B, CALLBACKS } from '../ids.ts';
import { MAX_DEPARTMENT_LENGTH, MAX_DO_NOT_PAIR } from '../parsers/view-state.ts';
import { truncate } from './text.ts';

/** What the profile modal shows. */
export interface ProfileModalInput {
  /** Set in Weave by the member (wins over Slack's). */
  department: string | null;
  /** From the admin-chosen Slack profile field. */
  slackDepartment: string | null;
  expertise: string[];
  interests: string[];
  doNotPair: string[];
  giveDms: boolean;
  channelId?: string;
}

const GIVE_DMS_OPTION: PlainTextOption = {
  text: { type: 'plain_text', text: 'DM me when someone thanks me with a give' },
  value: 'on',
};

/** The profile modal, prefilled with what Weave knows (department defaults to the Slack profile's). */
export function buildProfileModal(p: ProfileModalInput): ModalView {
  const department = (p.department ?? p.slackDepartment ?? '').slice(0, MAX_DEPARTMENT_LENGTH);
  const list = (tags: string[]) => truncate(tags.join(', '), 3000);
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: B.profileDepartment,
      optional: true,
      label: { type: 'plain_text', text: 'Department' },
      hint: {
        type: 'plain_text',
        text: p.slackDepartment
          ? `From your Slack profile: ${truncate(p.slackDepartment, 100)}. Change it here if that's not right.`
          : 'Weave pairs you with people from other departments.',
      },
      element: {
        type: 'plain_text_input',
        action_id: B.profileDepartment,
        max_length: MAX_DEPARTMENT_LENGTH,
        placeholder: { type: 'plain_text', text: 'e.g. Engineering' },
        ...(department ? { initial_value: department } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.profileExpertise,
      optional: true,
      label: { type: 'plain_text', text: 'I can help with' },
      hint: { type: 'plain_text', text: 'Comma-separated. People find you with /intro find <topic>.' },
      element: {
        type: 'plain_text_input',
        action_id: B.profileExpertise,
        multiline: true,
        max_length: 3000,
        placeholder: { type: 'plain_text', text: 'pricing, Kubernetes, hiring' },
        ...(p.expertise.length ? { initial_value: list(p.expertise) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.profileInterests,
      optional: true,
      label: { type: 'plain_text', text: 'Interests' },
      hint: { type: 'plain_text', text: 'Comma-separated. Used for conversation starters.' },
      element: {
        type: 'plain_text_input',
        action_id: B.profileInterests,
        multiline: true,
        max_length: 3000,
        placeholder: { type: 'plain_text', text: 'climbing, jazz, sourdough' },
        ...(p.interests.length ? { initial_value: list(p.interests) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.profileDoNotPair,
      optional: true,
      label: { type: 'plain_text', text: "Don't pair me with" },
      hint: { type: 'plain_text', text: 'Private: only you see this list, and nobody is told.' },
      element: {
        type: 'multi_users_select',
        action_id: B.profileDoNotPair,
        max_selected_items: MAX_DO_NOT_PAIR,
        placeholder: { type: 'plain_text', text: 'Nobody' },
        ...(p.doNotPair.length ? { initial_users: p.doNotPair.slice(0, MAX_DO_NOT_PAIR) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.profileGiveDms,
      optional: true,
      label: { type: 'plain_text', text: 'Notifications' },
      element: {
        type: 'checkboxes',
        action_id: B.profileGiveDms,
        options: [GIVE_DMS_OPTION],
        ...(p.giveDms ? { initial_options: [GIVE_DMS_OPTION] } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.profile,
    private_metadata: JSON.stringify(p.channelId ? { channelId: p.channelId } : {}),
    title: { type: 'plain_text', text: 'Your Weave profile' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
