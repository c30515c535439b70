/**
 * Counts every call that reaches the fake's rate check (accepted or answered 429), per workspace and
 * method, so a test can ask how many calls Weave sent within any window: the busiest window, not only
 * whether the fake had to refuse some.
 */
export class RateObserver {
  private readonly stamps = new Map<string, number[]>();

  record(teamId: string, method: string, at: number): void {
    const key = `${teamId}|${method}`;
    const list = this.stamps.get(key) ?? [];
    list.push(at);
    this.stamps.set(key, list);
  }

  /** The most calls to `method` in one workspace within any `windowMs` (a sliding window, as Slack's). */
  maxInWindow(method: string, windowMs: number, teamId?: string): number {
    let max = 0;
    for (const [key, list] of this.stamps) {
      const [team, m] = key.split('|');
      if (m !== method || (teamId !== undefined && team !== teamId)) continue;
      const sorted = [...list].sort((a, b) => a - b);
      let from = 0;
      for (let to = 0; to < sorted.length; to += 1) {
        while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from += 1;
        max = Math.max(max, to - from + 1);
      }
    }
    return max;
  }

  clear(): void {
    this.stamps.clear();
  }
}
