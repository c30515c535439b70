import { getTasks, validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { createScheduler, tickPattern } from '../../../src/scheduler/runner.ts';

const log = createLogger('silent');
const clock = { now: () => new Date('2026-12-04T10:00:00Z') };

describe('the scheduler tick', () => {
  it('turns the tick period into a valid node-cron pattern, at least one second', () => {
    const cases: Array<[number, string]> = [
      [200, '*/1 * * * * *'],
      [1000, '*/1 * * * * *'],
      [30_000, '*/30 * * * * *'],
      [45_000, '*/45 * * * * *'],
      [60_000, '0 */1 * * * *'],
      [300_000, '0 */5 * * * *'],
      [3_600_000, '0 0 */1 * * *'],
      [86_400_000, '0 0 0 * * *'],
    ];
    for (const [tickMs, pattern] of cases) {
      expect(tickPattern(tickMs)).toBe(pattern);
      expect(validate(pattern)).toBe(true);
    }
  });

  it('runs due jobs on every node-cron tick and leaves no task behind when stopped', async () => {
    const before = getTasks().size;
    const runs: Date[] = [];
    const scheduler = createScheduler({
      jobs: [
        {
          name: 'count',
          everyMs: 0,
          run: async (now) => {
            runs.push(now);
            return { runs: runs.length };
          },
        },
      ],
      log,
      clock,
      tickMs: 1000,
    });
    scheduler.start();
    expect(getTasks().size).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await scheduler.stop();
    // Once at start, then once a second.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((d) => d.getTime() === clock.now().getTime())).toBe(true);
    expect(getTasks().size).toBe(before);
    const after = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(runs.length).toBe(after);
  });
});
