import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.ts';
import { type NotificationKind, parseNotification } from './notifications.ts';
import type { ClaimedNotification, ClaimedPrompt, Clock } from './ports.ts';

/** What a prompt handler reports; the outbox turns it into the prompt's next state. */
export type DeliveryOutcome =
  | { status: 'sent'; result?: Record<string, unknown> }
  | { status: 'retry'; error: string; retryAfterMs?: number; rateLimited?: boolean }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

/** Sends one kind of notification (or several kinds, taking any of them). */
export type PromptHandler<K extends NotificationKind = NotificationKind> = (
  prompt: ClaimedNotification<K>,
) => Promise<DeliveryOutcome>;

/** A handler for every kind of notification: the compiler checks the map the app assembles is complete. */
export type NotificationHandlers = { [K in NotificationKind]: PromptHandler<K> };

/** An item the outbox machinery claims and delivers: a prompt, or a Slack input from the inbox. */
export type QueueItem = { id: string; kind: string; attempts: number };

/** What the outbox machinery needs of a stored queue: the prompts, and the inbox of Slack inputs. */
export interface WorkQueue<T extends QueueItem> {
  claimDue(now: Date, limit: number, workerId: string, leaseMs: number): Promise<T[]>;
  markSent(id: string, workerId: string, now: Date, result?: Record<string, unknown>): Promise<boolean>;
  retryAt(id: string, workerId: string, dueAt: Date, error: string): Promise<void>;
  markFailed(id: string, workerId: string, error: string): Promise<void>;
}

/** A claimed item as its handler takes it, or why it cannot be delivered at all (never retried). */
export type Parsed<P> = { ok: true; item: P } | { ok: false; error: string };

/** Handlers by kind, each taking the items of its kind. */
export type HandlersOf<P extends QueueItem> = {
  [K in P['kind']]: (item: Extract<P, { kind: K }>) => Promise<DeliveryOutcome>;
};

/** A claimed prompt as its kind's notification: its payload parsed with the kind's schema. */
export function parseClaimedPrompt(prompt: ClaimedPrompt): Parsed<ClaimedNotification> {
  const parsed = parseNotification(prompt.kind, prompt.payload);
  if (!parsed.ok) return parsed;
  return { ok: true, item: { ...prompt, ...parsed.notification } as ClaimedNotification };
}

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
  skipped: number;
}

export const MAX_ATTEMPTS = 8;
// One prompt per claim: a worker that dies holds at most one prompt, for at most one lease.
const BATCH = 1;
const DEFAULT_CONCURRENCY = 4;

/** Exponential backoff for transient failures: 5 s, 10 s, 20 s … capped at 15 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(15 * 60_000, 5000 * 2 ** Math.max(0, attempts - 1));
}

export interface OutboxDeps<T extends QueueItem, P extends QueueItem> {
  prompts: WorkQueue<T>;
  /**
   * Turns each claimed item into what its handler takes, before the handler runs (without it, items go
   * to their handler as claimed). An item it rejects is marked failed at once, with its error.
   */
  parse?: (item: T) => Parsed<P>;
  /** The handler of each kind; an item of a kind without one is marked failed. */
  handlers: HandlersOf<P>;
  log: Logger;
  clock: Clock;
  workerId?: string;
  /** How long a claim lasts; a dead worker's prompt is taken over after it. */
  leaseMs: number;
  /** Prompts delivered in parallel by this process. */
  concurrency?: number;
  /** Names the queue in logs (default "outbox"). */
  name?: string;
}

/**
 * Delivers due prompts through their kind's handler, exactly once: a claim (lease) per prompt, retries
 * with backoff, permanent failures recorded once. Handlers must be idempotent for re-claimed prompts
 * (attempts > 1), e.g. by looking for the message they may already have posted.
 */
export function createOutbox<T extends QueueItem, P extends QueueItem = T>(deps: OutboxDeps<T, P>) {
  const workerId = deps.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const log = deps.log.child({ component: deps.name ?? 'outbox', workerId });
  let draining: Promise<DrainResult> | null = null;
  let stopping = false;

  // Each claim holds the lock under its own name: a handler still running after its lease ran out (and
  // the prompt was claimed again, by another process or another lane of this one) can no longer mark,
  // retry or post it.
  let claimSeq = 0;

  /** The claimed item as its handler takes it, and that handler; or why it cannot be delivered. */
  function prepare(
    p: T,
  ): { ok: true; item: P; handler: (item: P) => Promise<DeliveryOutcome> } | { ok: false; error: string } {
    let parsed: Parsed<P>;
    try {
      parsed = deps.parse ? deps.parse(p) : { ok: true, item: p as unknown as P };
    } catch (error) {
      parsed = {
        ok: false,
        error: `unreadable ${p.kind}: ${error instanceof Error ? error.message : error}`,
      };
    }
    if (!parsed.ok) return parsed;
    // The map gives each kind's handler its own kind's items: `parsed.item` is of the kind looked up.
    const handlers = deps.handlers as unknown as Record<
      string,
      ((item: P) => Promise<DeliveryOutcome>) | undefined
    >;
    const handler = Object.hasOwn(handlers, parsed.item.kind) ? handlers[parsed.item.kind] : undefined;
    if (!handler) return { ok: false, error: `no handler for prompt kind ${p.kind}` };
    return { ok: true, item: parsed.item, handler };
  }

  async function deliver(p: T, owner: string, totals: DrainResult): Promise<void> {
    const ready = prepare(p);
    let outcome: DeliveryOutcome;
    if (!ready.ok) {
      outcome = { status: 'failed', error: ready.error };
    } else {
      try {
        outcome = await ready.handler(ready.item);
      } catch (error) {
        log.error({ err: error, promptId: p.id, kind: p.kind }, 'prompt handler threw');
        outcome = { status: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
    }
    const now = deps.clock.now();
    switch (outcome.status) {
      case 'sent':
      case 'skipped':
        await deps.prompts.markSent(
          p.id,
          owner,
          now,
          outcome.status === 'sent' ? (outcome.result ?? {}) : { skipped: outcome.reason },
        );
        totals[outcome.status === 'sent' ? 'sent' : 'skipped'] += 1;
        return;
      case 'failed':
        await deps.prompts.markFailed(p.id, owner, outcome.error);
        log.warn({ promptId: p.id, kind: p.kind, error: outcome.error }, 'prompt failed permanently');
        totals.failed += 1;
        return;
      case 'retry': {
        // Rate limits are Slack asking us to wait, not a failure of the prompt: they do not use up attempts.
        if (!outcome.rateLimited && p.attempts >= MAX_ATTEMPTS) {
          await deps.prompts.markFailed(
            p.id,
            owner,
            `gave up after ${p.attempts} attempts: ${outcome.error}`,
          );
          totals.failed += 1;
          return;
        }
        const delay = outcome.retryAfterMs ?? backoffMs(p.attempts);
        await deps.prompts.retryAt(p.id, owner, new Date(now.getTime() + delay), outcome.error);
        totals.retried += 1;
      }
    }
  }

  async function drainOnce(maxBatches: number): Promise<DrainResult> {
    const totals: DrainResult = { sent: 0, failed: 0, retried: 0, skipped: 0 };
    let claims = 0;
    // A few lanes in parallel: Slack's pacing is shared (the Pacer), so lanes only hide the database
    // and network latency between calls; each lane claims one prompt at a time. A lane opens the next
    // one when its claim found work, and the first claim to find nothing ends them all: a drain with
    // nothing due costs one claim, not one per lane (each queued give wakes a drain).
    const maxLanes = deps.concurrency ?? DEFAULT_CONCURRENCY;
    const lanes: Promise<void>[] = [];
    let exhausted = false;
    const lane = async (): Promise<void> => {
      while (claims < maxBatches && !stopping && !exhausted) {
        claims += 1;
        claimSeq += 1;
        const owner = `${workerId}#${claimSeq}`;
        const batch = await deps.prompts.claimDue(deps.clock.now(), BATCH, owner, deps.leaseMs);
        if (batch.length === 0) {
          exhausted = true;
          return;
        }
        if (lanes.length < maxLanes) lanes.push(open());
        for (const p of batch) await deliver(p, owner, totals);
      }
    };
    // A lane's failure (the database gone) is caught where the lane starts, never left to reject
    // unhandled while the drain waits on other lanes: it stops the other lanes' claims, and the drain
    // reports the first failure once every lane has finished what it holds.
    let failure: { error: unknown } | undefined;
    const open = (): Promise<void> =>
      lane().catch((error: unknown) => {
        exhausted = true;
        failure ??= { error };
      });
    lanes.push(open());
    // Lanes are added while earlier ones run: wait until no new one appeared.
    for (let waited = 0; waited < lanes.length; ) {
      const n = lanes.length;
      await Promise.all(lanes.slice(waited, n));
      waited = n;
    }
    if (failure) throw failure.error;
    if (totals.sent + totals.failed + totals.retried > 0) log.info(totals, 'outbox drained');
    return totals;
  }

  return {
    workerId,
    /** Claims nothing more; prompts being sent finish (or go back to the queue), then drains resolve. */
    stop(): void {
      stopping = true;
    },
    /** Delivers everything due now (one drain at a time per process; concurrent callers share it). */
    drain(maxBatches = 10_000): Promise<DrainResult> {
      if (!draining) {
        draining = drainOnce(maxBatches).finally(() => {
          draining = null;
        });
      }
      return draining;
    },
  };
}

/** The outbox of prompts: each claimed prompt's payload parsed as its kind's notification, then sent. */
export function createPromptOutbox(
  deps: Omit<OutboxDeps<ClaimedPrompt, ClaimedNotification>, 'parse' | 'handlers'> & {
    handlers: NotificationHandlers;
  },
) {
  return createOutbox<ClaimedPrompt, ClaimedNotification>({ ...deps, parse: parseClaimedPrompt });
}
export type Outbox = ReturnType<typeof createPromptOutbox>;
