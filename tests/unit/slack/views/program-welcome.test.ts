import { describe, expect, it } from 'vitest';
import { buildProgramWelcome } from '../../../../src/slack/views/program-welcome.ts';

const program = { cadence: 'weekly', weekday: 1, hour: 10, tz: 'Europe/Berlin' };
const note = (d?: { source: string; unknown: number; people: number }) =>
  JSON.stringify(buildProgramWelcome(program, d).blocks.filter((b) => b.type === 'context'));

describe('buildProgramWelcome', () => {
  it('says where departments come from and how many of the channel have none', () => {
    expect(note({ source: 'Slack user groups (2 chosen)', unknown: 3, people: 40 })).toContain(
      'Departments come from Slack user groups (2 chosen). 3 of 40 people here have none yet and are matched as unknown',
    );
    expect(note({ source: 'each person’s title', unknown: 0, people: 12 })).toContain(
      'All 12 people here Weave knows have one.',
    );
    expect(note({ source: 'a pasted CSV', unknown: 0, people: 0 })).toContain(
      'Weave reads everyone’s profile before the first round.',
    );
  });

  it('has no department note when it is not known', () => {
    expect(note()).toBe('[]');
  });
});
