// The synthetic, seeded matching workload of docs/benchmarks.md: Zipf department sizes, four time-zone
// regions on a ring with an 80 % home region per department, 5 % unavailable per round.
import { createRng, type MatchMember, shuffleInPlace } from '../src/domain/matching/index.ts';

export interface Scenario {
  name: string;
  n: number;
  departments: number;
  zipf: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'tiny', n: 10, departments: 3, zipf: 1 },
  { name: 'tiny-odd', n: 11, departments: 3, zipf: 1 },
  { name: 'team', n: 40, departments: 5, zipf: 1 },
  { name: 'org-1k', n: 1_000, departments: 20, zipf: 1 },
  { name: 'skewed-1k', n: 1_000, departments: 10, zipf: 2 },
  { name: 'org-10k', n: 10_000, departments: 60, zipf: 1 },
  { name: 'enterprise-100k', n: 100_000, departments: 200, zipf: 1 },
];

/** Regions in ring order (each neighbours the next, APAC neighbours the Americas). */
export const REGIONS: readonly (readonly string[])[] = [
  ['America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Sao_Paulo'],
  ['Europe/London', 'Europe/Berlin', 'Africa/Lagos', 'Europe/Helsinki', 'Africa/Nairobi'],
  ['Asia/Kolkata', 'Asia/Karachi', 'Asia/Colombo', 'Asia/Dhaka'],
  ['Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'],
];

export const ROUNDS = 12;
export const WINDOW = 12;
export const UNAVAILABLE = 0.05;
/** Monday 10:00 UTC; round r runs r − 1 weeks later. */
const FIRST_ROUND_MS = Date.UTC(2026, 0, 5, 10);
const WEEK_MS = 7 * 24 * 3_600_000;

/** The instant round `round` (1-based) is planned at. */
export function roundAt(round: number): Date {
  return new Date(FIRST_ROUND_MS + (round - 1) * WEEK_MS);
}

/** Zipf(s) sizes over D departments summing to n, at least one each (largest-remainder rounding). */
export function zipfSizes(n: number, departments: number, s: number): number[] {
  const weights = Array.from({ length: departments }, (_, k) => 1 / (k + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const spare = n - departments;
  const exact = weights.map((w) => (spare * w) / total);
  const sizes = exact.map((x) => 1 + Math.floor(x));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, k) => ({ k, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { k } of byRemainder) {
    if (left === 0) break;
    sizes[k] = (sizes[k] as number) + 1;
    left -= 1;
  }
  return sizes;
}

/** The scenario's roster: same seed → same roster. Ids are U0…U(n−1) in shuffled department order. */
export function makeRoster(scenario: Scenario, seed: number): MatchMember[] {
  const rng = createRng(seed);
  const sizes = zipfSizes(scenario.n, scenario.departments, scenario.zipf);
  const labels: number[] = [];
  sizes.forEach((size, d) => {
    for (let i = 0; i < size; i += 1) labels.push(d);
  });
  shuffleInPlace(labels, rng);
  const home = sizes.map(() => Math.floor(rng() * REGIONS.length));
  // One string per department, shared by its members (the roster is the harness's, not the engine's).
  const names = sizes.map((_, d) => `dept-${String(d + 1).padStart(3, '0')}`);
  return labels.map((d, i) => {
    const region = rng() < 0.8 ? (home[d] as number) : Math.floor(rng() * REGIONS.length);
    const zones = REGIONS[region] as readonly string[];
    return {
      id: `U${i}`,
      department: names[d] as string,
      tz: zones[Math.floor(rng() * zones.length)] as string,
    };
  });
}

/** Members available in a round: each independently unavailable with p = 0.05. */
export function availableIn(roster: readonly MatchMember[], rng: () => number): MatchMember[] {
  return roster.filter(() => rng() >= UNAVAILABLE);
}
