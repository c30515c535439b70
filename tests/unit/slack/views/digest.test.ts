import { describe, expect, it } from 'vitest';
import { buildWeeklyDigest, type DigestGive } from '../../../../src/domain/gives/digest.ts';
import { GIVE_KINDS } from '../../../../src/domain/gives/kinds.ts';
import { buildDigestMessage, ENTRIES_PER_KIND } from '../../../../src/slack/views/digest.ts';
import { validateBlocks } from '../../../support/fake-slack.ts';

const WINDOW = { from: new Date('2026-11-20T15:00:00Z'), to: new Date('2026-11-27T15:00:00Z') };
const LONG = 'Très long texte 🎉 <!channel> <!here> <!subteam^S1|@eng> @everyone & <b> '.repeat(200);

function digestOf(
  gives: Partial<DigestGive>[],
  opts: { leaderboard?: boolean; departments?: Map<string, string | null> } = {},
) {
  return buildWeeklyDigest({
    gives: gives.map((g, i) => ({
      id: `g${i}`,
      giverId: `U${i % 7}`,
      receiverId: `U${(i + 1) % 7}`,
      kind: 'help',
      reason: 'thanks for the careful review',
      at: new Date(WINDOW.from.getTime() + 60_000 * (i + 1)),
      isPublic: true,
      ...g,
    })),
    departments: opts.departments ?? new Map(),
    window: WINDOW,
    leaderboard: opts.leaderboard ?? false,
  });
}

/** Every `text` string anywhere in the blocks. */
function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? [v] : textsOf(v),
  );
}

const allText = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

describe('digest message', () => {
  it('stays within 50 blocks and 3000 characters per text with hundreds of long gives in every kind', () => {
    const departments = new Map(Array.from({ length: 7 }, (_, i) => [`U${i}`, `${LONG.slice(0, 300)}${i}`]));
    const gives = Array.from({ length: 600 }, (_, i) => ({ kind: GIVE_KINDS[i % 5], reason: LONG }));
    for (const leaderboard of [false, true]) {
      const m = buildDigestMessage(digestOf(gives, { leaderboard, departments }));
      expect(validateBlocks(m.blocks, 'message')).toEqual([]);
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(m.text.length).toBeLessThanOrEqual(3000);
      for (const text of textsOf(m.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
      expect(allText(m)).toContain(`…and ${(120 - ENTRIES_PER_KIND).toLocaleString('en-US')} more`);
    }
  });

  it('neutralises mass mentions and escapes user text in reasons and department names', () => {
    const m = buildDigestMessage(
      digestOf([{ reason: 'thanks <!channel> <!here> <!everyone> <!subteam^S123|@eng> @here for Q&A <3' }], {
        departments: new Map([
          ['U0', '<!here> Sales'],
          ['U1', 'R&D'],
        ]),
      }),
    );
    const text = allText(m);
    expect(text).not.toMatch(/<!(channel|here|everyone|subteam)/);
    expect(text).toContain('Q&amp;A &lt;3');
    expect(text).toContain('R&amp;D');
  });

  it('shows per-person counts only with the leaderboard on', () => {
    const gives = [{}, {}, { giverId: 'U0', receiverId: 'U1' }];
    expect(allText(buildDigestMessage(digestOf(gives)))).not.toMatch(/Most thanked/);
    const on = allText(buildDigestMessage(digestOf(gives, { leaderboard: true })));
    expect(on).toContain('Most thanked:* <@U1> 2');
  });

  it('marks cross-department gives and names forgotten receivers without an id', () => {
    const m = buildDigestMessage(
      digestOf(
        [
          { giverId: 'U0', receiverId: 'U1' },
          { giverId: 'U0', receiverId: null },
        ],
        {
          departments: new Map([
            ['U0', 'Sales'],
            ['U1', 'Engineering'],
          ]),
        },
      ),
    );
    const text = allText(m);
    expect(text).toContain(':twisted_rightwards_arrows: *<@U0> → <@U1>* _(Sales → Engineering)_');
    expect(text).toContain('someone who has since left Weave');
    expect(m.text).toContain('2 thank-yous this week, 1 across departments');
  });
});
