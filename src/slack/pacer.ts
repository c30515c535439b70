/** Requests per minute Weave allows itself per workspace and method: a little under Slack's tiers. */
export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  'conversations.open': 50,
  'chat.postMessage': 100,
  'chat.postEphemeral': 100,
  'chat.update': 50,
  'chat.getPermalink': 100,
  'conversations.history': 50,
  'conversations.members': 100,
  'conversations.info': 50,
  'conversations.join': 20,
  'users.list': 20,
  'users.info': 100,
  'users.profile.get': 100,
  'team.profile.get': 20,
  'reactions.add': 50,
  'views.publish': 100,
  'views.open': 100,
  'views.update': 50,
};

/**
 * Slack limits conversations.history to 1 request a minute (and 15 messages a page) for commercially
 * distributed apps that are not in the Slack Marketplace; other apps get Tier 3 (50 a minute).
 */
export function defaultRateLimits(opts: { distributedApp: boolean }): Record<string, number> {
  return opts.distributedApp ? { ...DEFAULT_RATE_LIMITS, 'conversations.history': 1 } : DEFAULT_RATE_LIMITS;
}

/** chat.postMessage is also limited to about one message per second in each channel. */
const PER_CHANNEL_PER_MINUTE = 60;

function insertSorted(values: number[], value: number): void {
  let i = values.length;
  while (i > 0 && (values[i - 1] as number) > value) i -= 1;
  values.splice(i, 0, value);
}

interface Bucket {
  /**
   * The latest calls (at most `limit`), ascending, ms epoch: a call's start while it is in flight (may lie
   * in the future), its completion once it has completed.
   */
  starts: number[];
  /** Starts (in `starts`) of the calls still in flight, one entry per call. */
  pending: number[];
  blockedUntil: number;
}

/** Slack's rate-limit window. */
export const WINDOW_MS = 60_000;
/** Headroom against clock and network jitter, so Slack never sees one call too many in a window. */
export const MARGIN = 1.02;
/**
 * The least headroom in absolute time after a call still in flight: when it reaches Slack is unknown (a
 * late timer, a busy event loop, the request's way there), and that jitter does not shrink with the window,
 * so a shortened window (benchmarks, tests) keeps at least this.
 */
export const MIN_HEADROOM_MS = 100;
/**
 * After a completed call: Slack counted it before it answered, so a window from its completion is already
 * safe; a few milliseconds cover clock granularity.
 */
export const MIN_SETTLED_HEADROOM_MS = 5;

/**
 * How far apart a call and the `limit`-th call after it start: the window plus headroom, counted from the
 * earlier call's completion once it has completed (`inFlight` false), else from its start with room for
 * how late it may reach Slack. At Slack's minute both are the 2 % margin (1.2 s).
 */
export function spacingMs(windowMs: number, inFlight = true): number {
  return Math.max(windowMs * MARGIN, windowMs + (inFlight ? MIN_HEADROOM_MS : MIN_SETTLED_HEADROOM_MS));
}

/** What the Slack gateway asks before each call: the process's own Pacer, or one shared by replicas. */
export interface RateGate {
  /** Waits for the call's slot; call the returned function once the request has completed. */
  take(workspaceId: string, method: string, channel?: string): Promise<() => void | Promise<void>>;
  /** Honours a 429's Retry-After for this workspace and method. */
  block(workspaceId: string, method: string, retryAfterMs: number): void | Promise<void>;
  /** Ends every wait (callers get PacerStoppedError) and refuses new calls. */
  stop(): void;
}

/**
 * Spaces Slack calls so Weave stays under each method's limit instead of discovering it with 429s (the
 * WebClient only reacts after the fact). Slack counts calls per method in a sliding minute, so the pacer
 * keeps a sliding log per workspace and method: the next call starts when it would be the `limit`-th in
 * the last minute. That uses a whole minute's allowance at once (as Slack allows) and then keeps the
 * steady rate exactly. A 429's Retry-After blocks the method until then.
 */
/** Thrown to callers still waiting for a slot when the process stops. */
export class PacerStoppedError extends Error {
  constructor() {
    super('shutting down');
  }
}

export class Pacer implements RateGate {
  private readonly buckets = new Map<string, Bucket>();
  private stopped = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly limits: Record<string, number> = DEFAULT_RATE_LIMITS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
    /** Slack's window is a minute; benchmarks shrink it to run faster at the same proportions. */
    private readonly windowMs: number = WINDOW_MS,
  ) {}

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { starts: [], pending: [], blockedUntil: 0 };
      this.buckets.set(key, b);
    }
    return b;
  }

  /**
   * Reserves the next slot for `method` (and `channel` for messages) and waits until it comes. Call the
   * returned function when the request has completed: Slack counted the call somewhere between its
   * start and its answer, so the log keeps the later of the two and never undercounts a window.
   */
  async take(workspaceId: string, method: string, channel?: string): Promise<() => void> {
    const perMinute = this.limits[method];
    const now = this.now();
    const keys: Array<[string, number]> = [];
    // Every method has a key, for Retry-After blocks; only methods with a limit are spaced.
    keys.push([`${workspaceId}:${method}`, perMinute ?? Number.POSITIVE_INFINITY]);
    if (channel && method === 'chat.postMessage')
      keys.push([`${workspaceId}:${method}:${channel}`, PER_CHANNEL_PER_MINUTE]);
    let startAt = now;
    for (const [key, limit] of keys) {
      const b = this.bucket(key);
      startAt = Math.max(startAt, b.blockedUntil);
      const cap = Math.max(1, Math.floor(limit));
      if (Number.isFinite(cap) && b.starts.length >= cap) {
        const earlier = b.starts[b.starts.length - cap] as number;
        startAt = Math.max(startAt, earlier + spacingMs(this.windowMs, b.pending.includes(earlier)));
      }
    }
    for (const [key, limit] of keys) {
      const b = this.bucket(key);
      if (!Number.isFinite(limit)) continue;
      insertSorted(b.starts, startAt);
      b.pending.push(startAt);
      const cap = Math.max(1, Math.floor(limit));
      if (b.starts.length > cap) b.starts.splice(0, b.starts.length - cap);
      // A call that fell out of the log no longer spaces anything.
      const oldest = b.starts[0] as number;
      if (b.pending.length > cap) b.pending = b.pending.filter((t) => t >= oldest);
    }
    const wait = startAt - now;
    if (this.stopped) throw new PacerStoppedError();
    if (wait > 0) {
      // A wait can last up to a minute: shutting down must not have to sit it out.
      let wake: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        wake = resolve;
        this.wakers.add(resolve);
      });
      await Promise.race([this.sleep(wait), stopped]);
      this.wakers.delete(wake);
      if (this.stopped) throw new PacerStoppedError();
    }
    return () => {
      const finished = this.now();
      for (const [key] of keys) {
        const { starts, pending } = this.bucket(key);
        const inFlight = pending.indexOf(startAt);
        if (inFlight >= 0) pending.splice(inFlight, 1);
        const at = starts.lastIndexOf(startAt);
        if (at < 0) continue; // already pushed out of the window by later calls
        starts.splice(at, 1);
        insertSorted(starts, Math.max(startAt, finished));
      }
    };
  }

  /** Ends every wait at once (the callers get PacerStoppedError) and refuses new calls. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  /** Honours a 429: nothing more for this method until `retryAfterMs` has passed. */
  block(workspaceId: string, method: string, retryAfterMs: number): void {
    const b = this.bucket(`${workspaceId}:${method}`);
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + retryAfterMs);
  }
}
