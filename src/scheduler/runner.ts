import { type ScheduledTask, schedule } from 'node-cron';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../services/ports.ts';

/** What a job run reports: tests assert on it, logs record it. */
export type JobResult = { ok: true; summary: Record<string, unknown> } | { ok: false; error: string };

/** A scheduled job: a plain function of the time, run at most every `everyMs`. */
export interface Job {
  name: string;
  everyMs: number;
  run(now: Date): Promise<Record<string, unknown>>;
}

/**
 * The node-cron pattern of a tick every `tickMs`. node-cron counts whole seconds, so a tick is at least a
 * second; a period that does not divide the minute (or hour, or day) evenly restarts with it, so the last
 * tick of each minute may come early, which is harmless: each job keeps its own `everyMs`.
 */
export function tickPattern(tickMs: number): string {
  const seconds = Math.max(1, Math.round(tickMs / 1000));
  if (seconds < 60) return `*/${seconds} * * * * *`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `0 */${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `0 0 */${hours} * * *` : '0 0 0 * * *';
}

/**
 * The one scheduler: a frequent tick (a node-cron task) runs each job that is due, never two runs of the same job at once
 * in this process (across processes, each job's own storage guards — unique keys, SKIP LOCKED claims).
 */
export function createScheduler(deps: {
  jobs: Job[];
  log: Logger;
  clock: Clock;
  tickMs: number;
  /** Records each run's duration, and failures, by job. */
  metrics?: Pick<Metrics, 'job'>;
}) {
  const log = deps.log.child({ component: 'scheduler' });
  const running = new Map<string, Promise<JobResult>>();
  const lastRun = new Map<string, number>();
  const rerun = new Set<string>();
  let task: ScheduledTask | null = null;
  let stopped = false;

  function runJob(job: Job): Promise<JobResult> {
    const current = running.get(job.name);
    if (current) return current;
    const started = Date.now();
    const jobLog = log.child({ job: job.name });
    const p = (async (): Promise<JobResult> => {
      try {
        const summary = await job.run(deps.clock.now());
        jobLog.debug({ ms: Date.now() - started, ...summary }, 'job done');
        deps.metrics?.job(job.name, true, (Date.now() - started) / 1000);
        return { ok: true, summary };
      } catch (error) {
        jobLog.error({ err: error, ms: Date.now() - started }, 'job failed');
        deps.metrics?.job(job.name, false, (Date.now() - started) / 1000);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        running.delete(job.name);
        lastRun.set(job.name, Date.now());
        // A wake-up that arrived during this run may concern work the run had already passed.
        if (rerun.delete(job.name) && !stopped) setImmediate(() => void runJob(job));
      }
    })();
    running.set(job.name, p);
    return p;
  }

  function tick(): void {
    if (stopped) return;
    const now = Date.now();
    for (const job of deps.jobs) {
      if (now - (lastRun.get(job.name) ?? 0) >= job.everyMs) void runJob(job);
    }
  }

  return {
    start(): void {
      if (task) return;
      stopped = false;
      tick();
      task = schedule(tickPattern(deps.tickMs), tick, {
        name: 'scheduler-tick',
        // Like an unref'd timer: the tick alone does not keep the process alive.
        unref: true,
        // A tick skipped under load is harmless (the next one runs whatever is due).
        suppressMissedWarning: true,
        logger: {
          info: (message) => log.debug(message),
          debug: (message) => log.debug(message),
          warn: (message) => log.warn(message),
          error: (message, err) => log.error({ err: err ?? message }, 'node-cron error'),
        },
      });
    },
    /** Stops ticking and waits for running jobs to finish. */
    async stop(): Promise<void> {
      stopped = true;
      // destroy, not just stop: node-cron keeps every task in a registry until it is destroyed.
      await task?.destroy();
      task = null;
      await Promise.all(running.values());
    },
    /**
     * Runs one job now and returns its result. A run already in progress may have started before the
     * caller's work existed, so this waits for it and then runs the job afresh.
     */
    async run(name: string): Promise<JobResult> {
      const job = deps.jobs.find((j) => j.name === name);
      if (!job) return { ok: false, error: `unknown job ${name}` };
      const current = running.get(name);
      if (current) await current;
      return runJob(job);
    },
    /** Asks for a job to run soon (e.g. delivery right after a round was planned). */
    wake(name: string): void {
      const job = deps.jobs.find((j) => j.name === name);
      if (!job || stopped) return;
      if (running.has(name)) rerun.add(name);
      else setImmediate(() => void runJob(job));
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
