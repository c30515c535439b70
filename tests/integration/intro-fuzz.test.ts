import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/domain/matching/rng.ts';
import { INTRO_SUBCOMMANDS, parseIntroCommand } from '../../src/slack/parsers/intro-command.ts';
import { TestClock } from '../support/clock.ts';
import {
  ADMIN_USER_ID,
  BOT_USER_ID,
  DELETED_USER_ID,
  GENERAL_CHANNEL_ID,
  GUEST_USER_ID,
  PAIRS_CHANNEL_ID,
  TEAM_ID,
  USER_IDS,
} from '../support/fake-workspace.ts';
import { joinProgram, type Reply, seedMembers } from '../support/intro-world.ts';
import { finalReply } from '../support/scenarios.ts';
import { startWorld, type TestWorld } from '../support/test-app.ts';

const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben, sofia, arjun, noah, kai, emma } = USER_IDS;
const TEXTS = 2000;

const FRAGMENTS = [
  // Subcommands and their arguments.
  ...INTRO_SUBCOMMANDS,
  'HELP',
  '?',
  'round',
  'now',
  'until',
  '2026-12-31',
  '2020-01-01',
  '2026-02-30',
  '2w',
  '10d',
  '3 weeks',
  '0d',
  '-1w',
  '13mo',
  '1y',
  'a month',
  'for 2 weeks',
  'kubernetes',
  'pricing',
  'Négociation',
  'user interviews',
  '"design"',
  // People, real and not.
  `<@${ben}|ben>`,
  `<@${sofia}>`,
  `<@${arjun}|arjun>`,
  `<@${noah}>`,
  `<@${anna}>`,
  `<@${BOT_USER_ID}>`,
  `<@${DELETED_USER_ID}>`,
  `<@${GUEST_USER_ID}>`,
  '<@U999NOBODY>',
  '<@W0AB12|sam>',
  '@ben',
  '@sofia',
  '@nobody',
  '@Sofía',
  '@',
  'and',
  ',',
  '&amp;',
  '+',
  ':',
  'you both work on onboarding',
  'thanks for reviewing the deck',
  // Hostile or odd.
  '<!here>',
  '<!channel>',
  '<!everyone>',
  '<!subteam^S123|@eng>',
  '@here',
  '<#C1|general>',
  '<',
  '>',
  '<<>>',
  '<@',
  '`',
  '```',
  '*bold*',
  '_',
  '~',
  '\\',
  '%',
  '$(rm -rf /)',
  '\'; DROP TABLE "Member";--',
  '🎉',
  '👩🏽‍💻',
  '🏳️‍🌈',
  'ありがとう',
  'مرحبا',
  'Привет',
  'שלום',
  'e\u0301',
  '\u200b',
  '\u202e',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  '{}',
  '[]',
  'true',
  '9'.repeat(30),
];
const LEADS = [
  'find',
  'pause',
  'pause until',
  'pause for',
  'me',
  'skip',
  'resume',
  'leave',
  'data',
  'profile',
  'admin',
  'preview',
  'round now',
  `<@${ben}> <@${sofia}>`,
  `<@${arjun}|arjun> and <@${noah}>`,
  `<@${sofia}>`,
  '@ben @sofia',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '', ' , '];
const CALLERS = [ADMIN_USER_ID, ben, sofia, kai, emma];
const CHANNELS = [PAIRS_CHANNEL_ID, GENERAL_CHANNEL_ID, 'D0FUZZDM'];

/** A random `/intro` text: fragments with odd spacing, sometimes very long or pure noise. */
function randomText(rng: () => number): string {
  const roll = rng();
  if (roll < 0.03) return 'x'.repeat(1000 + Math.floor(rng() * 4000));
  if (roll < 0.06) {
    return Array.from({ length: 1 + Math.floor(rng() * 40) }, () =>
      String.fromCodePoint(Math.floor(rng() * 0x2ffff)),
    ).join('');
  }
  if (roll < 0.08) return `${FRAGMENTS[Math.floor(rng() * 3)]} ${'🎉'.repeat(Math.floor(rng() * 800))}`;
  const n = Math.floor(rng() * 7);
  // Often a real subcommand or two people first, so the services (not only the parser) get fuzzed.
  let text = roll < 0.45 ? `${LEADS[Math.floor(rng() * LEADS.length)]} ` : '';
  for (let i = 0; i < n; i += 1) {
    text += FRAGMENTS[Math.floor(rng() * FRAGMENTS.length)];
    text += SEPARATORS[Math.floor(rng() * SEPARATORS.length)];
  }
  return rng() < 0.5 ? text.trim() : text;
}

/** Replies that report a change the caller asked for; anything else must leave the database as it was. */
const SUCCESS = /^(:incoming_envelope:|:package:|Started Weave|Round started|Preview)/;

async function counts(): Promise<string> {
  const tables = await world.db.prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'InboxItem') ORDER BY tablename`;
  const sql = tables.map((t) => `(SELECT count(*) FROM "${t.tablename}")::text`).join(` || ',' || `);
  const [row] = await world.db.prisma.$queryRawUnsafe<Array<{ c: string }>>(`SELECT ${sql} AS c`);
  return `${tables.map((t) => t.tablename).join(',')}=${row?.c}`;
}

/** Lets deliveries woken by earlier commands finish, so the counts only move with the next command. */
async function settle(): Promise<void> {
  for (let k = 0; k < 50; k += 1) {
    const r = await world.app.scheduler.run('deliver');
    const s = (r.ok ? r.summary : {}) as Record<string, number>;
    if (!s.sent && !s.failed && !s.retried && !s.skipped) return;
  }
}

beforeAll(async () => {
  world = await startWorld({ clock });
  // 2,000 commands in about a minute open far more modals than views.open's Tier 4 (100 a minute) allows;
  // this test is about answers, not pacing (tests/unit/slack/pacer.test.ts covers that).
  world.fake.relax('rateLimits');
  await seedMembers(world, [...Object.values(USER_IDS)], {
    [sofia]: { expertise: ['pricing', 'Négociation'] },
    [arjun]: { expertise: ['user interviews', 'design'] },
    [noah]: { expertise: ['Kubernetes'] },
  });
  await joinProgram(world, [anna, ben, sofia, arjun, noah, kai]);
});
afterAll(async () => {
  await world?.close();
});

describe('/intro fuzz', () => {
  it(`answers ${TEXTS} random command texts with a helpful ephemeral reply; rejected ones change nothing`, async () => {
    const rng = createRng(20261125);
    const cases = Array.from({ length: TEXTS }, () => ({
      text: randomText(rng),
      userId: CALLERS[Math.floor(rng() * CALLERS.length)] ?? ben,
      channelId: CHANNELS[Math.floor(rng() * CHANNELS.length)] ?? GENERAL_CHANNEL_ID,
    }));
    const tzOf = new Map(
      (await world.db.prisma.member.findMany({ where: { workspaceId: TEAM_ID } })).map((m) => [
        m.userId,
        m.tz,
      ]),
    );
    const rejectedByParser = (c: (typeof cases)[number]) =>
      !parseIntroCommand(c.text, { now: clock.now(), tz: tzOf.get(c.userId) ?? 'UTC' }).ok;

    const run = async (c: (typeof cases)[number]) => {
      const res = await world.slack.command('/intro', c.text, { userId: c.userId, channelId: c.channelId });
      const context = JSON.stringify(c).slice(0, 300);
      expect(res.status, context).toBe(200);
      const reply = JSON.parse(await finalReply(world, res)) as Reply;
      expect(reply.response_type, context).toBe('ephemeral');
      expect(typeof reply.text, context).toBe('string');
      expect(reply.text.length, context).toBeGreaterThan(10);
      expect(reply.text.length, context).toBeLessThanOrEqual(3000);
      expect(reply.text, context).not.toMatch(/something went wrong|\[object |at .*\.ts:\d+|Prisma|stack/i);
      if (!c.text.includes('undefined')) expect(reply.text, context).not.toContain('undefined');
      return reply;
    };

    let rejected = 0;
    let i = 0;
    while (i < cases.length) {
      // Texts the parser rejects run in parallel batches: none of them may change anything.
      const batch: typeof cases = [];
      while (i < cases.length && batch.length < 8 && rejectedByParser(cases[i] as (typeof cases)[number])) {
        batch.push(cases[i] as (typeof cases)[number]);
        i += 1;
      }
      if (batch.length > 0) {
        await settle();
        const before = await counts();
        const replies = await Promise.all(batch.map(run));
        for (const [k, reply] of replies.entries()) {
          expect(reply.text, JSON.stringify(batch[k])).toMatch(/\/intro/);
        }
        expect(await counts(), JSON.stringify(batch)).toBe(before);
        rejected += batch.length;
        continue;
      }
      // Texts that parse run one at a time: a refusal must change nothing either.
      const c = cases[i] as (typeof cases)[number];
      i += 1;
      await settle();
      const before = await counts();
      const reply = await run(c);
      await settle();
      const after = await counts();
      if (after !== before) expect(reply.text, `${JSON.stringify(c)}\n${before}\n${after}`).toMatch(SUCCESS);
    }
    // The generator exercises both sides.
    expect(rejected).toBeGreaterThan(TEXTS / 4);
    expect(rejected).toBeLessThan(TEXTS);
  }, 600_000);
});
