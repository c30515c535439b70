import type { Logger } from '../observability/logger.ts';
import type { RateBudgetStore } from '../services/ports.ts';
import { MARGIN, Pacer, PacerStoppedError, type RateGate, WINDOW_MS } from './pacer.ts';

/**
 * Paces Slack calls against a rate budget every replica shares (the database), so R replicas together
 * send what Slack allows one app per workspace and method, not R times that. Each reservation is one
 * round trip (weave_rate_take); a completed call is counted at its completion, as the Pacer does.
 * Workspaces and methods have budgets of their own, so they never wait for each other.
 *
 * chat.postMessage's one-a-second per channel stays with the process (a channel's messages come from
 * the one prompt being delivered there); a 429's Retry-After is shared and also kept locally. When the
 * shared budget cannot be read, the process paces itself alone rather than stopping talking to Slack.
 */
export class SharedPacer implements RateGate {
  /** Per-channel spacing and local Retry-After blocks (no per-method limits of its own). */
  private readonly local: Pacer;
  /** Used only while the shared budget is unreachable. */
  private readonly alone: Pacer;
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  private readonly log: Logger;

  constructor(
    private readonly store: RateBudgetStore,
    private readonly limits: Record<string, number>,
    log: Logger,
    /** Slack's window is a minute; benchmarks shrink it to run faster at the same proportions. */
    private readonly windowMs: number = WINDOW_MS,
  ) {
    this.log = log.child({ component: 'rate-budget' });
    this.local = new Pacer({}, undefined, undefined, windowMs);
    this.alone = new Pacer(limits, undefined, undefined, windowMs);
  }

  async take(workspaceId: string, method: string, channel?: string): Promise<() => void | Promise<void>> {
    if (this.stopped) throw new PacerStoppedError();
    const local = await this.local.take(workspaceId, method, channel);
    const limit = this.limits[method];
    if (limit === undefined) return local;
    let reserved: { startMs: number; nowMs: number };
    try {
      reserved = await this.store.reserve(workspaceId, method, limit, this.windowMs * MARGIN);
    } catch (error) {
      this.log.warn(
        { err: error, workspaceId, method },
        'shared rate budget unavailable; this process paces itself alone',
      );
      const alone = await this.alone.take(workspaceId, method);
      return () => {
        local();
        alone();
      };
    }
    await this.sleep(reserved.startMs - reserved.nowMs);
    return async () => {
      local();
      try {
        await this.store.complete(workspaceId, method, reserved.startMs);
      } catch (error) {
        // The call itself is done; only its place in the shared log stays at its start.
        this.log.warn({ err: error, workspaceId, method }, 'could not record a completed call in the budget');
      }
    };
  }

  async block(workspaceId: string, method: string, retryAfterMs: number): Promise<void> {
    this.local.block(workspaceId, method, retryAfterMs);
    this.alone.block(workspaceId, method, retryAfterMs);
    try {
      await this.store.block(workspaceId, method, retryAfterMs);
    } catch (error) {
      this.log.warn({ err: error, workspaceId, method }, 'could not share a Retry-After; blocked here only');
    }
  }

  stop(): void {
    this.stopped = true;
    this.local.stop();
    this.alone.stop();
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  /** Waits up to `ms`, ending early (with PacerStoppedError) when the process stops. */
  private async sleep(ms: number): Promise<void> {
    if (this.stopped) throw new PacerStoppedError();
    if (ms <= 0) return;
    let wake: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      this.wakers.add(resolve);
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.wakers.delete(wake);
    if (this.stopped) throw new PacerStoppedError();
  }
}
