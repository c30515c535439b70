import { describe, expect, it } from 'vitest';
import { buildGroupIntroMessage } from '../../../../src/slack/views/intro-message.ts';

const person = (id: string, department: string) => ({
  id,
  name: id.toLowerCase(),
  department,
  title: '',
  interests: [],
  expertise: [],
});
const text = (m: ReturnType<typeof buildGroupIntroMessage>) => JSON.stringify(m.blocks);

describe('group intro message: the notice for the person added to a larger group', () => {
  it.each([
    [2, null, null],
    [3, 'U3', 'There was an odd number of people this round, so <@U3> joins as a third'],
    [4, 'U4', 'did not split evenly into groups, so <@U4> joins as a fourth'],
    [5, 'U5', 'did not split evenly into groups, so <@U5> joins as a fifth'],
  ] as const)('a group of %i with added member %s', (size, added, notice) => {
    const people = Array.from({ length: size }, (_, i) => person(`U${i + 1}`, i % 2 ? 'Sales' : 'Design'));
    const message = buildGroupIntroMessage({
      people,
      reasons: ['different departments'],
      trioAddedId: added,
      seed: 1,
    });
    if (notice) expect(text(message)).toContain(notice);
    else expect(text(message)).not.toMatch(/joins as a/);
  });

  it('a group of the size asked for has no notice', () => {
    const people = ['U1', 'U2', 'U3'].map((id) => person(id, 'Sales'));
    expect(text(buildGroupIntroMessage({ people, reasons: [], trioAddedId: null, seed: 1 }))).not.toMatch(
      /joins as a/,
    );
  });
});
