import type { Logger } from '../observability/logger.ts';
import { createOutbox, type DeliveryOutcome } from './outbox.ts';
import type { ClaimedInboxItem, Clock, InboxKind, InboxStore as InboxRepository } from './ports.ts';

/** How long a backlog count is reused by the requests that ask for it (one count query at a time). */
const BACKLOG_TTL_MS = 500;

/**
 * The inbox: every Slack input whose effect Weave keeps is stored here before Slack gets its 200, then
 * processed by a worker with the outbox's machinery (a lease per claim, SKIP LOCKED, retries with
 * backoff, permanent failures recorded). A crash anywhere leaves the input stored and unclaimed or
 * claimed under a lease that runs out, so a restart processes it; processing is idempotent through the
 * unique keys of what it records (gives' source keys, prompts' keys, answers per group and person).
 */
export function createInbox(deps: {
  repo: InboxRepository;
  log: Logger;
  clock: Clock;
  leaseMs: number;
  /** Stored-and-unprocessed inputs above which `store` refuses what it may refuse. */
  maxBacklog: number;
  /** Items processed at once (PGlite runs one query at a time; PostgreSQL gains from a few). */
  concurrency: number;
  /** Counts the worker's runs as in flight, so a graceful stop and the tests can wait for them. */
  inflight: { run<T>(work: () => Promise<T>): Promise<T> };
  /** False for a team this app does not serve (nothing is stored for it). */
  accepts: (workspaceId: string) => Promise<boolean>;
  /**
   * Runs a stored input through the listeners; resolves with their error, if any. `handOver` gives the
   * listener's ack to the request still waiting for it (true) if there is one.
   */
  process: (
    body: Record<string, unknown>,
    handOver: (response: unknown) => boolean,
  ) => Promise<{ error?: unknown }>;
  workerId?: string;
}) {
  const log = deps.log.child({ component: 'inbox' });

  /** Requests of this process waiting for their listener's ack, by inbox key. */
  const waiting = new Map<string, (response: unknown) => void>();

  async function handle(item: ClaimedInboxItem): Promise<DeliveryOutcome> {
    const r = await deps.process(item.body, (response) => {
      const resolve = waiting.get(item.key);
      if (!resolve) return false;
      waiting.delete(item.key);
      resolve(response);
      return true;
    });
    if (r.error === undefined) return { status: 'sent' };
    const message = r.error instanceof Error ? r.error.message : String(r.error);
    return { status: 'retry', error: message };
  }

  // Acks first: the worker takes its next item only when no input is being stored, and after a turn of
  // the event loop (so requests already received get to their insert). In one process with PGlite the
  // worker's queries run on the same thread as the acks; processing may lag under load, acks must not.
  let storing = 0;
  const idleWaiters: Array<() => void> = [];
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function intakeIdle(): Promise<void> {
    await nextTurn();
    while (storing > 0) {
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
      await nextTurn();
    }
  }

  const worker = createOutbox<ClaimedInboxItem>({
    prompts: {
      ...deps.repo,
      claimDue: async (_now, limit, workerId, leaseMs) => {
        await intakeIdle();
        return deps.repo.claimDue(deps.clock.now(), limit, workerId, leaseMs);
      },
    },
    handlers: { event: handle, command: handle, action: handle },
    log: deps.log,
    clock: deps.clock,
    leaseMs: deps.leaseMs,
    concurrency: deps.concurrency,
    name: 'inbox',
    ...(deps.workerId ? { workerId: deps.workerId } : {}),
  });

  let cached: { at: number; value: number } | null = null;
  let counting: Promise<number> | null = null;
  /** The backlog, counted at most every BACKLOG_TTL_MS (plus what this process stored since). */
  function backlog(): Promise<number> {
    if (cached && Date.now() - cached.at < BACKLOG_TTL_MS) return Promise.resolve(cached.value);
    counting ??= deps.repo
      .backlog()
      .then((value) => {
        cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        counting = null;
      });
    return counting;
  }

  let running = false;
  let again = false;
  let stopped = false;
  /** Processes what is due now, in the background; a kick during a run makes it look once more. */
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void deps.inflight.run(async () => {
      try {
        do {
          again = false;
          await worker.drain();
        } while (again && !stopped);
      } catch (error) {
        // The scheduler's inbox job tries again on its next tick.
        log.error({ err: error }, 'inbox worker failed');
      } finally {
        running = false;
      }
    });
  }

  return {
    /** Stores one input before its ack; see InboxIntake. */
    async store(
      input: { workspaceId: string; key: string; kind: InboxKind },
      body: Record<string, unknown>,
      opts: { refuseWhenFull: boolean },
    ): Promise<'stored' | 'duplicate' | 'full' | 'foreign'> {
      storing += 1;
      try {
        if (!(await deps.accepts(input.workspaceId))) return 'foreign';
        if (opts.refuseWhenFull && (await backlog()) >= deps.maxBacklog) return 'full';
        const r = await deps.repo.store({ ...input, body, receivedAt: deps.clock.now() });
        if (r === 'stored') {
          if (cached) cached.value += 1;
          kick();
        }
        return r;
      } finally {
        storing -= 1;
        if (storing === 0) for (const wake of idleWaiters.splice(0)) wake();
      }
    },
    kick,
    /** What the listener acked the stored input `key` with, or undefined after `budgetMs`. */
    reply(key: string, budgetMs: number): Promise<unknown> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          resolve(undefined);
        }, budgetMs);
        waiting.set(key, (response) => {
          clearTimeout(timer);
          resolve(response);
        });
      });
    },
    /** Processes everything due now (the scheduler's job: retries whose backoff ran out, leftovers). */
    drain: () => worker.drain(),
    backlog: () => deps.repo.backlog(),
    /** Claims nothing more; items being processed finish. */
    stop(): void {
      stopped = true;
      worker.stop();
    },
  };
}
export type Inbox = ReturnType<typeof createInbox>;
