/** Requests per minute Weave allows itself per workspace and method: a little under Slack's tiers. */
export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  'conversations.open': 50,
  'chat.postMessage': 100,
  'chat.postEphemeral': 100,
  'chat.update': 50,
  'chat.getPermalink': 100,
  'conversations.history': 50,
  'conversations.members': 100,
  'users.list': 20,
  'users.info': 100,
  'users.profile.get': 100,
  'team.profile.get': 20,
  'reactions.add': 50,
  'views.publish': 100,
  'views.open': 100,
};

/** chat.postMessage is also limited to about one message per second in each channel. */
const PER_CHANNEL_PER_MINUTE = 60;

interface Bucket {
  /** Theoretical arrival time of the next request (GCRA), ms epoch. */
  tat: number;
  blockedUntil: number;
}

/** Requests allowed back to back before spacing starts (Slack tolerates short bursts). */
const burstOf = (perMinute: number) => Math.max(1, Math.floor(perMinute / 10));

/**
 * Spaces Slack calls so Weave stays under each method's limit instead of discovering it with 429s (the
 * WebClient only reacts after the fact): a generic cell-rate algorithm per workspace and method, with a
 * small burst. A 429's Retry-After blocks the method until then.
 */
export class Pacer {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: Record<string, number> = DEFAULT_RATE_LIMITS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tat: 0, blockedUntil: 0 };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Reserves the next slot for `method` (and `channel` for messages) and waits until it comes. */
  async take(workspaceId: string, method: string, channel?: string): Promise<void> {
    const perMinute = this.limits[method];
    const now = this.now();
    const keys: Array<[string, number]> = [];
    if (perMinute) keys.push([`${workspaceId}:${method}`, perMinute]);
    if (channel && method === 'chat.postMessage')
      keys.push([`${workspaceId}:${method}:${channel}`, PER_CHANNEL_PER_MINUTE]);
    let startAt = now;
    for (const [key, limit] of keys) {
      const b = this.bucket(key);
      const interval = 60_000 / limit;
      const tolerance = (burstOf(limit) - 1) * interval;
      startAt = Math.max(startAt, b.tat - tolerance, b.blockedUntil);
    }
    for (const [key, limit] of keys) {
      const b = this.bucket(key);
      b.tat = Math.max(b.tat, startAt) + 60_000 / limit;
    }
    const wait = startAt - now;
    if (wait > 0) await this.sleep(wait);
  }

  /** Honours a 429: nothing more for this method until `retryAfterMs` has passed. */
  block(workspaceId: string, method: string, retryAfterMs: number): void {
    const b = this.bucket(`${workspaceId}:${method}`);
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + retryAfterMs);
  }
}
