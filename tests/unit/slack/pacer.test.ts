import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  defaultRateLimits,
  Pacer,
  PacerStoppedError,
} from '../../../src/slack/pacer.ts';

/** A pacer on a fake clock: sleeping moves the clock instead of waiting. */
function fakePacer(limits: Record<string, number>, windowMs?: number) {
  let now = 0;
  const pacer = new Pacer(
    limits,
    async (ms) => {
      now += ms;
    },
    () => now,
    windowMs,
  );
  return { pacer, now: () => now, advance: (ms: number) => (now += ms) };
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

  it('spaces a window after a completed call from its completion, and keeps room for jitter after one in flight', async () => {
    // Slack's minute shrunk to 1 s (as bench:round does): 5 calls a window.
    const { pacer, now, advance } = fakePacer({ 'conversations.open': 5 }, 1000);
    // Five calls that each take 30 ms: Slack counted each before it answered.
    const completed: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const done = await pacer.take('T1', 'conversations.open');
      advance(30);
      done();
      completed.push(now());
    }
    // The sixth waits a window (and 2 %) from the first one's completion, not 100 ms more.
    const sixth = await pacer.take('T1', 'conversations.open');
    expect(now()).toBe((completed[0] as number) + 1020);
    // The seventh is spaced from the second's completion, the eighth from the third's.
    const seventh = await pacer.take('T1', 'conversations.open');
    expect(now()).toBe((completed[1] as number) + 1020);
    sixth();
    seventh();

    // Five calls still in flight: the next one keeps the full headroom from their start.
    const flying = fakePacer({ 'conversations.open': 5 }, 1000);
    const pending: Array<() => void> = [];
    for (let i = 0; i < 5; i += 1) pending.push(await flying.pacer.take('T1', 'conversations.open'));
    expect(flying.now()).toBe(0);
    await flying.pacer.take('T1', 'conversations.open');
    expect(flying.now()).toBe(1100);
    for (const done of pending) done();
  });

  it('settles one call per completion when several started in the same millisecond', async () => {
    const { pacer, now, advance } = fakePacer({ 'conversations.open': 2 }, 1000);
    const first = await pacer.take('T1', 'conversations.open');
    const second = await pacer.take('T1', 'conversations.open');
    expect(now()).toBe(0);
    advance(10);
    first(); // the second, started in the same millisecond, is still in flight
    // The third is spaced from the earliest entry: the second's start (in flight), so the full headroom.
    const third = await pacer.take('T1', 'conversations.open');
    expect(now()).toBe(1100);
    second();
    third();
  });
});
