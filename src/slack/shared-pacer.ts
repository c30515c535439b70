import type { Logger } from '../observability/logger.ts';
import type { RateBudgetStore } from '../services/ports.ts';
import { Pacer, PacerStoppedError, type RateGate, spacingMs, WINDOW_MS } from './pacer.ts';

/** Reservations a call makes at most when it keeps waking late for its slot. */
const MAX_RESERVATIONS = 5;

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
    // The budget counts a call at its reserved start; the calls reserved after it are spaced from that
    // start. A call that goes out much later than its slot (a late timer, a busy event loop on a loaded
    // machine) would land in the same window as the `limit`-th call after it, and Slack would see one
    // call too many. So a call that wakes later than the headroom allows gives its slot up (the slot stays
    // counted: never too few) and reserves again, from the current log.
    // (A call counted from its completion needs no such care: Slack counted it before answering.)
    const tolerance = (spacingMs(this.windowMs, true) - this.windowMs) / 2;
    let reserved: { startMs: number; nowMs: number } | undefined;
    for (let attempt = 0; ; attempt += 1) {
      try {
        reserved = await this.store.reserve(
          workspaceId,
          method,
          limit,
          spacingMs(this.windowMs, false),
          spacingMs(this.windowMs, true),
        );
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
      const wait = Math.max(0, reserved.startMs - reserved.nowMs);
      const due = Date.now() + wait;
      await this.sleep(wait);
      const late = Date.now() - due;
      if (late <= tolerance || attempt >= MAX_RESERVATIONS - 1) {
        if (late > tolerance)
          this.log.warn({ workspaceId, method, lateMs: late }, 'Slack call goes out late for its slot');
        break;
      }
      this.log.debug({ workspaceId, method, lateMs: late }, 'woke late for a rate slot; reserving again');
    }
    const slot = reserved;
    return async () => {
      local();
      try {
        await this.store.complete(workspaceId, method, slot.startMs);
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
