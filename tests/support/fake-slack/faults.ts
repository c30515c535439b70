/**
 * Faults and rate limits. Injected faults (`failNext`) come first; then the limits a test set with
 * `setRateLimit`; then Slack's own tiers per workspace and method (on by default, see slack-reference.ts):
 * Tier 1/2/3/4 at 1/20/50/100 calls a minute, chat.postMessage about one a second per channel.
 */
import { METHODS, TIER_PER_MINUTE } from '../slack-reference.ts';
import type { FakeSlackState } from './state.ts';
import type { CallArgs, FakeFault, FakeRateLimit } from './types.ts';
import { str } from './util.ts';

/** Takes the next queued fault for a call (its method first, then '*'). */
export function takeFault(s: FakeSlackState, method: string, args: CallArgs): FakeFault | undefined {
  for (const key of [method, '*']) {
    const queue = s.faults.get(key);
    if (!queue) continue;
    const idx = queue.findIndex((q) => !q.fault.when || q.fault.when(args));
    const entry = queue[idx];
    if (!entry) continue;
    entry.remaining -= 1;
    if (entry.remaining <= 0) queue.splice(idx, 1);
    if (queue.length === 0) s.faults.delete(key);
    s.stats.faultsInjected += 1;
    return entry.fault;
  }
  return undefined;
}

/** Slack's default limit for a method (undefined: none known). */
export function tierLimit(s: FakeSlackState, method: string): FakeRateLimit | undefined {
  const ref = METHODS[method];
  if (!ref) return undefined;
  const scale = s.opts.rateWindowScale ?? 1;
  if (method === 'conversations.history' && s.opts.distributedAppLimits) {
    return { perMinute: 1, windowMs: 60_000 * scale };
  }
  if (ref.tier === 'special') {
    const special = ref.special ?? { perMinute: 100, per: 'method' };
    return { perMinute: special.perMinute, scope: special.per, windowMs: 60_000 * scale };
  }
  return { perMinute: TIER_PER_MINUTE[ref.tier], windowMs: 60_000 * scale };
}

function windowCheck(s: FakeSlackState, key: string, limit: FakeRateLimit, now: number): number | undefined {
  const windowMs = limit.windowMs ?? 60_000;
  const stamps = (s.windows.get(key) ?? []).filter((t) => t > now - windowMs);
  s.windows.set(key, stamps);
  if (stamps.length >= limit.perMinute) {
    const oldest = stamps[0] ?? now;
    return limit.retryAfterSec ?? Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  }
  stamps.push(now);
  return undefined;
}

/**
 * Returns Retry-After seconds when the call exceeds a window (the test's own limit, else Slack's tier for
 * this workspace and method), else records it and returns undefined.
 */
export function checkRateLimit(
  s: FakeSlackState,
  method: string,
  args: CallArgs,
  teamId: string,
): number | undefined {
  const now = Date.now();
  const own = s.rateLimits.get(method);
  if (own) {
    const key = `${method}|${own.scope === 'channel' ? (str(args, 'channel') ?? '') : ''}`;
    return windowCheck(s, key, own, now);
  }
  if (s.isLenient('rateLimits')) return undefined;
  const tier = tierLimit(s, method);
  if (!tier) return undefined;
  const key = `tier|${teamId}|${method}|${tier.scope === 'channel' ? (str(args, 'channel') ?? '') : ''}`;
  return windowCheck(s, key, tier, now);
}

export function countRateLimited(s: FakeSlackState, method: string): void {
  s.stats.rateLimited += 1;
  s.stats.rateLimitedByMethod[method] = (s.stats.rateLimitedByMethod[method] ?? 0) + 1;
}
