import type { KnownBlock } from '@slack/types';

/** "27 people met across 8 departments this week". */
export function recapSentence(r: { peopleMet: number; departments: number }): string {
  const people = `${r.peopleMet.toLocaleString('en-US')} people met`;
  if (r.departments === 0) return `${people} this week`;
  const departments = `${r.departments.toLocaleString('en-US')} ${r.departments === 1 ? 'department' : 'departments'}`;
  return `${people} across ${departments} this week`;
}

/** The weekly recap posted in a program channel (only ever built from 3 or more people). */
export function buildRecapMessage(r: { peopleMet: number; departments: number }): {
  text: string;
  blocks: KnownBlock[];
} {
  const sentence = recapSentence(r);
  return {
    text: `${sentence}.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:handshake: *${sentence}.* Thank you for making time for each other!`,
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Weekly Weave recap · admins can turn it off in the program settings.' },
        ],
      },
    ],
  };
}
