import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeave, type Weave } from '../../src/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { TestClock } from '../support/clock.ts';
import { testDbKind } from '../support/database.ts';
import { PAIRS_CHANNEL_ID } from '../support/fake-workspace.ts';
import { inviteWeave, seedPairingChannel } from '../support/scenarios.ts';
import { FAST_RATE_LIMITS, startWorld, type TestWorld } from '../support/test-app.ts';

// Two replicas of Weave on one database deliver one round to a fake Slack that enforces
// conversations.open at 5 calls per 600 ms window (Slack's 50 a minute, shrunk): the replicas share one
// rate budget through the database, so together they stay within it.
const clock = new TestClock('2026-11-25T12:00:00Z');
const FIRST_ROUND = '2026-11-30T09:00:00Z';
const WINDOW_MS = 600;
const OPENS_PER_WINDOW = 5;
const MEMBERS = 40;
const overrides = {
  clock,
  manualScheduler: true,
  rateBudget: 'shared' as const,
  rateLimits: { ...FAST_RATE_LIMITS, 'conversations.open': OPENS_PER_WINDOW },
  rateWindowMs: WINDOW_MS,
};
let world: TestWorld;
let second: Weave;
// Replicas share a database server: PGlite is opened by one process only (bench:round refuses it too),
// so on PGlite there is no deployment with two replicas to test.
const onPglite = testDbKind() === 'pglite';

beforeAll(async () => {
  if (onPglite) return;
  world = await startWorld({ clock, overrides });
  // The second replica: another app instance on the same database, with its own outbox worker id.
  second = await createWeave(world.config, createLogger(world.config.logLevel), {
    ...overrides,
    db: world.db,
    workerId: 'replica-b',
  });
});
afterAll(async () => {
  await second?.stop();
  await world?.close();
});

describe('a round delivered by two replicas', () => {
  it.skipIf(onPglite)(
    'stays within Slack’s per-workspace limit together and introduces every group exactly once',
    async () => {
      seedPairingChannel(world, MEMBERS, ['Engineering', 'Sales', 'Design', 'Finance']);
      await inviteWeave(world);
      await world.app.scheduler.run('deliver'); // the channel's welcome
      world.fake.setRateLimit('conversations.open', { perMinute: OPENS_PER_WINDOW, windowMs: WINDOW_MS });
      world.fake.clearCalls();

      clock.set(FIRST_ROUND);
      // Both replicas' schedulers find the round due at once: it is planned and stored once.
      const [a, b] = await Promise.all([world.app.scheduler.run('rounds'), second.scheduler.run('rounds')]);
      expect([a, b].map((r) => (r.ok ? r.summary.ran : r.error)).sort()).toEqual([0, 1]);
      const groups = await world.db.prisma.group.count();
      expect(groups).toBe(MEMBERS / 2);

      // Both deliver until every intro is out.
      const sent = { a: 0, b: 0 };
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const [da, db] = await Promise.all([world.app.outbox.drain(), second.outbox.drain()]);
        sent.a += da.sent;
        sent.b += db.sent;
        const waiting = await world.db.prisma.prompt.count({
          where: { kind: 'group_intro', status: { in: ['pending', 'sending'] } },
        });
        if (waiting === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }

      const intros = world.fake.messagesIn().filter((m) => m.text.includes('Weave match'));
      const perConversation = new Map<string, number>();
      for (const m of intros) perConversation.set(m.channel, (perConversation.get(m.channel) ?? 0) + 1);
      expect(perConversation.size).toBe(groups);
      expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
      expect(sent.a + sent.b).toBe(groups);
      expect(sent.a).toBeGreaterThan(0);
      expect(sent.b).toBeGreaterThan(0);
      // Together, never more than the limit in any window, and Slack never had to refuse a call.
      expect(world.fake.maxCallsInWindow('conversations.open', WINDOW_MS)).toBeLessThanOrEqual(
        OPENS_PER_WINDOW,
      );
      expect(world.fake.stats.rateLimited).toBe(0);
      const round = await world.db.prisma.round.findFirstOrThrow({
        where: { program: { channelId: PAIRS_CHANNEL_ID } },
      });
      expect(round.status).toBe('delivered');
    },
    90_000,
  );
});
