import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  defaultRateLimits,
  Pacer,
  PacerStoppedError,
} from '../../../src/slack/pacer.ts';

/** A pacer on a fake clock: sleeping moves the clock instead of waiting. */
function fakePacer(limits: Record<string, number>) {
  let now = 0;
  const pacer = new Pacer(
    limits,
    async (ms) => {
      now += ms;
    },
    () => now,
  );
  return { pacer, now: () => now };
}

describe('the pacer', () => {
  it('models conversations.history as Tier 3, or 1 a minute for a distributed app outside the Marketplace', async () => {
    expect(defaultRateLimits({ distributedApp: false })['conversations.history']).toBe(50);
    const limited = defaultRateLimits({ distributedApp: true });
    expect(limited['conversations.history']).toBe(1);
    expect({ ...limited, 'conversations.history': 50 }).toEqual(DEFAULT_RATE_LIMITS);
    // Two lookups in a row: the second waits a whole minute.
    const { pacer, now } = fakePacer(limited);
    (await pacer.take('T1', 'conversations.history'))();
    (await pacer.take('T1', 'conversations.history'))();
    expect(now()).toBeGreaterThanOrEqual(60_000);
  });

  it("uses a minute's allowance at once, then never more than the limit in any minute", async () => {
    const { pacer, now } = fakePacer({ 'conversations.open': 50 });
    const starts: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const done = await pacer.take('T1', 'conversations.open');
      starts.push(now());
      done();
    }
    expect(starts.slice(0, 50).every((t) => t === 0)).toBe(true);
    for (let i = 50; i < starts.length; i += 1) {
      const windowStart = (starts[i] as number) - 60_000;
      expect(starts.filter((t) => t > windowStart && t <= (starts[i] as number)).length).toBeLessThanOrEqual(
        50,
      );
    }
    // 200 calls at 50 a minute: the last ones start a little after 3 minutes (2 % headroom per window).
    expect(starts[199]).toBeGreaterThanOrEqual(180_000);
    expect(starts[199]).toBeLessThan(190_000);
  });

  it('keeps workspaces and methods apart, and honours Retry-After', async () => {
    const { pacer, now } = fakePacer({ 'chat.postMessage': 1 });
    (await pacer.take('T1', 'chat.postMessage'))();
    (await pacer.take('T2', 'chat.postMessage'))();
    expect(now()).toBe(0);
    pacer.block('T1', 'users.info', 30_000);
    (await pacer.take('T1', 'users.info'))();
    expect(now()).toBe(30_000);
  });

  it('ends waits at once when stopped, so shutting down never sits out a rate limit', async () => {
    const pacer = new Pacer({ 'conversations.open': 1 });
    (await pacer.take('T1', 'conversations.open'))();
    const waiting = pacer.take('T1', 'conversations.open');
    const started = Date.now();
    pacer.stop();
    await expect(waiting).rejects.toBeInstanceOf(PacerStoppedError);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pacer.take('T1', 'users.info')).rejects.toBeInstanceOf(PacerStoppedError);
  });
});
