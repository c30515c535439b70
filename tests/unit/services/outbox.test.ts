import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { createOutbox, type WorkQueue } from '../../../src/services/outbox.ts';

type Item = { id: string; kind: string; attempts: number };

const log = createLogger('silent');
const clock = { now: () => new Date('2026-12-04T10:00:00Z') };

describe('the outbox drain when the database fails mid-way', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('rejects with the first failure, waits for every lane it opened, and leaves no rejection unhandled', async () => {
    let claims = 0;
    const sent: string[] = [];
    const queue: WorkQueue<Item> = {
      // The first claims find work and open more lanes; every claim after them finds the database gone.
      async claimDue() {
        claims += 1;
        const n = claims;
        await new Promise((r) => setTimeout(r, 5));
        if (n <= 3) return [{ id: `p${n}`, kind: 'note', attempts: 1 }];
        throw new Error('Connection terminated unexpectedly');
      },
      async markSent(id) {
        sent.push(id);
        return true;
      },
      async retryAt() {},
      async markFailed() {},
    };
    const outbox = createOutbox<Item>({
      prompts: queue,
      handlers: {
        note: async () => {
          await new Promise((r) => setTimeout(r, 20));
          return { status: 'sent' };
        },
      },
      log,
      clock,
      leaseMs: 1000,
      concurrency: 4,
    });

    await expect(outbox.drain()).rejects.toThrow('Connection terminated unexpectedly');
    // Lanes still running when the first one failed have finished what they held.
    expect(sent.sort()).toEqual(['p1', 'p2', 'p3']);
    // Let any stray promise settle before looking.
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    // After a failed claim no lane claims again: at most one failing claim per lane.
    expect(claims).toBeLessThanOrEqual(3 + 4);
  });
});
