import type { KnownBlock } from '@slack/types';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const CADENCE_TEXT: Record<string, string> = {
  weekly: 'Every week',
  biweekly: 'Every 2 weeks',
  every4weeks: 'Every 4 weeks',
};

/** Describes a schedule in words: "Every week on Monday at 10:00 (Europe/Berlin)". */
export function describeSchedule(p: { cadence: string; weekday: number; hour: number; tz: string }): string {
  const day = WEEKDAYS[p.weekday - 1] ?? 'Monday';
  return `${CADENCE_TEXT[p.cadence] ?? 'Every week'} on ${day} at ${String(p.hour).padStart(2, '0')}:00 (${p.tz})`;
}

/** Where a program's departments come from, and how many of its people have none. */
export interface WelcomeDepartments {
  source: string;
  unknown: number;
  people: number;
}

function welcomeUnknown(d: WelcomeDepartments): string {
  if (d.people === 0) return 'Weave reads everyone’s profile before the first round.';
  if (d.unknown === 0) return `All ${d.people} people here Weave knows have one.`;
  return `${d.unknown} of ${d.people} people here have none yet and are matched as unknown: set it in \`/intro profile\`.`;
}

/** The short welcome Weave posts in a channel it was invited to. */
export function buildProgramWelcome(
  p: { cadence: string; weekday: number; hour: number; tz: string },
  departments?: WelcomeDepartments,
): {
  text: string;
  blocks: KnownBlock[];
} {
  const schedule = describeSchedule(p);
  const departmentNote: KnownBlock[] = departments
    ? [
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `Departments come from ${departments.source}. ${welcomeUnknown(departments)}`,
            },
          ],
        },
      ]
    : [];
  return {
    text: `Weave is set up in this channel. ${schedule}, everyone here is paired with someone from another department.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':wave: *Weave is set up in this channel.* Everyone here is paired with a colleague from *another department* for a short chat, in a group DM that says why you were matched.',
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*When:* ${schedule}.\n*Your controls:* \`/intro profile\` · \`/intro skip\` · \`/intro pause 2w\` · leave the channel to stop.\n*Admins:* \`/intro admin\` changes the schedule, \`/intro preview\` shows the next pairs.`,
        },
      },
      ...departmentNote,
    ],
  };
}
