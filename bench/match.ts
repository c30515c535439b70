// Matching benchmark (docs/benchmarks.md): one JSON line per scenario, engine next to a random-shuffle
// baseline measured in the same run. Each scenario runs in its own process so peak RSS is its own.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  boundFromSizes,
  createRng,
  type MatchMember,
  offsetMinutesOrUtc,
  type PastGroup,
  type Plan,
  planRound,
  sharedWorkingMinutes,
  shuffleInPlace,
} from '../src/domain/matching/index.ts';
import {
  availableIn,
  makeRoster,
  ROUNDS,
  roundAt,
  SCENARIOS,
  type Scenario,
  WINDOW,
  zipfSizes,
} from './match-workload.ts';
import { productionNodeFlags } from './production-flags.ts';

const SEED = 20_260_105;

/** A workload scenario and the group size it is planned with (docs/benchmarks.md lists the pair ones). */
interface BenchScenario extends Scenario {
  groupSize: number;
}

/** Every scenario with pairs, then again in groups of three (`<name>-g3`). */
const BENCH_SCENARIOS: readonly BenchScenario[] = [
  ...SCENARIOS.map((s) => ({ ...s, groupSize: 2 })),
  ...SCENARIOS.map((s) => ({ ...s, name: `${s.name}-g3`, groupSize: 3 })),
];

interface RoundResult {
  groups: string[][];
  unmatched: string[];
  ms: number;
}

interface Figures {
  msPerRoundMean: number;
  msPerRoundMax: number;
  coverageOfBound: number;
  minCoverageOfBound: number;
  repeatRate: number;
  /** Pairs that were also paired in the round right before (never allowed unless the pool is two). */
  consecutiveRepeats: number;
  tzScore: number;
  trios: number;
  unmatched: number;
  invariantsOk: boolean;
}

type Planner = (
  available: MatchMember[],
  history: PastGroup[],
  round: number,
  seed: number,
  groupSize: number,
) => RoundResult;

const engine: Planner = (available, history, round, seed, groupSize) => {
  const t0 = performance.now();
  const plan: Plan = planRound({
    members: available,
    history,
    round,
    windowRounds: WINDOW,
    seed,
    at: roundAt(round),
    groupSize,
  });
  const ms = performance.now() - t0;
  return { groups: plan.groups.map((g) => g.members), unmatched: plan.unmatched, ms };
};

const baseline: Planner = (available, _history, _round, seed, groupSize) => {
  const t0 = performance.now();
  const ids = shuffleInPlace(
    available.map((m) => m.id),
    createRng(seed),
  );
  const groups: string[][] = [];
  let i = 0;
  for (; i + groupSize <= ids.length; i += groupSize) groups.push(ids.slice(i, i + groupSize));
  // The people left over join different groups (all into one when there are fewer groups).
  for (let k = 0; i < ids.length; i += 1, k += 1) {
    if (groups.length === 0) groups.push([]);
    (groups[groups.length - 1 - (k % groups.length)] as string[]).push(ids[i] as string);
  }
  if (groups.length === 1 && (groups[0] as string[]).length === 1) groups.pop();
  return { groups, unmatched: ids.length === 1 ? [ids[0] as string] : [], ms: performance.now() - t0 };
};

/** Per-member meetings of the simulation (rounds ≤ 12, at most `perRound` partners per round). */
class Meetings {
  private readonly partner: Int32Array;
  private readonly round: Int8Array;
  private readonly count: Uint8Array;
  private readonly width: number;

  constructor(n: number, perRound: number) {
    this.width = perRound * ROUNDS;
    this.partner = new Int32Array(n * this.width);
    this.round = new Int8Array(n * this.width);
    this.count = new Uint8Array(n);
  }

  /** Last round a and b met in, or -1. */
  last(a: number, b: number): number {
    let latest = -1;
    for (let k = 0; k < (this.count[a] as number); k += 1) {
      if (this.partner[a * this.width + k] === b)
        latest = Math.max(latest, this.round[a * this.width + k] as number);
    }
    return latest;
  }

  add(a: number, b: number, round: number): void {
    this.push(a, b, round);
    this.push(b, a, round);
  }

  private push(x: number, y: number, round: number): void {
    const k = this.count[x] as number;
    this.partner[x * this.width + k] = y;
    this.round[x * this.width + k] = round;
    this.count[x] = k + 1;
  }
}

/** Runs the rounds with history carried, measuring everything the benchmark table asks for. */
function simulate(
  roster: MatchMember[],
  planner: Planner,
  groupSize: number,
  rounds = ROUNDS,
): Figures & { firstRound: string } {
  // Bookkeeping by member index in typed arrays, so the harness adds little garbage of its own to the
  // engine's peak RSS.
  const n = roster.length;
  const index = new Map(roster.map((m, i) => [m.id, i]));
  const zones = [...new Set(roster.map((m) => m.tz))];
  const zoneOf = Int32Array.from(roster.map((m) => zones.indexOf(m.tz)));
  const departments = [...new Set(roster.map((m) => m.department))];
  const deptOf = Int32Array.from(roster.map((m) => departments.indexOf(m.department)));
  const availableRound = new Int32Array(n);
  const placedIn = new Int32Array(n);
  const trioIn = new Int32Array(n);
  // A member meets at most groupSize others a round when pairing (a trio), groupSize + 1 in groups of
  // three (five people make a group of five).
  const meetings = new Meetings(n, groupSize === 2 ? 2 : groupSize + 1);
  const history: PastGroup[] = [];
  const availability = createRng(SEED ^ 0x51ed);
  let covered = 0;
  let bounded = 0;
  let minRatio = 1;
  let repeatPairs = 0;
  let consecutive = 0;
  let laterPairs = 0;
  let hours = 0;
  let groupCount = 0;
  let trios = 0;
  let unmatched = 0;
  let invariantsOk = true;
  const times: number[] = [];
  let firstRound = '';

  for (let round = 1; round <= rounds; round += 1) {
    // Only last round's trio members need a flag; everyone else is passed as is (no per-round copies).
    const available = availableIn(roster, availability).map((m) => {
      const i = index.get(m.id) as number;
      availableRound[i] = round;
      return trioIn[i] === round - 1 && round > 1 ? { ...m, wasInTrioLastRound: true } : m;
    });
    const result = planner(available, history, round, SEED + round, groupSize);
    times.push(result.ms);
    if (round === 1) {
      const digest = createHash('sha256');
      for (const g of result.groups) digest.update(`${g.join(',')};`);
      firstRound = digest.update(`u:${result.unmatched.join(',')}`).digest('hex');
    }

    const at = roundAt(round);
    const offsets = zones.map((tz) => offsetMinutesOrUtc(tz, at));
    // Invariants: everyone available exactly once, nobody unavailable, groups of at least groupSize
    // (when there are that many people), at most groupSize − 1 enlarged groups (one trio for pairs).
    let placed = 0;
    const place = (id: string) => {
      const i = index.get(id);
      if (i === undefined || availableRound[i] !== round || placedIn[i] === round) invariantsOk = false;
      else placedIn[i] = round;
      placed += 1;
      return i ?? 0;
    };
    for (let u = 0; u < result.unmatched.length; u += 1) place(result.unmatched[u] as string);
    unmatched += result.unmatched.length;
    let roundTrios = 0;
    const sizes = new Map<number, number>();
    for (let i = 0; i < available.length; i += 1) {
      const d = deptOf[index.get((available[i] as MatchMember).id) as number] as number;
      sizes.set(d, (sizes.get(d) ?? 0) + 1);
    }
    const bound = boundFromSizes(available.length, Math.max(0, ...sizes.values()), groupSize);
    let cov = 0;
    const idx = [0, 0, 0, 0, 0];
    const minutes = [0, 0, 0, 0, 0];
    for (let k = 0; k < result.groups.length; k += 1) {
      const g = result.groups[k] as string[];
      const enlarged = g.length > groupSize;
      if (enlarged) roundTrios += 1;
      if (g.length < Math.min(groupSize, available.length)) invariantsOk = false;
      for (let x = 0; x < g.length; x += 1) {
        idx[x] = place(g[x] as string);
        minutes[x] = offsets[zoneOf[idx[x] as number] as number] as number;
        if (enlarged) trioIn[idx[x] as number] = round;
      }
      for (let x = 0; x < g.length; x += 1) {
        let crossed = false;
        for (let y = 0; y < g.length; y += 1)
          if (deptOf[idx[x] as number] !== deptOf[idx[y] as number]) crossed = true;
        if (crossed) cov += 1;
      }
      hours += sharedWorkingMinutes(minutes.slice(0, g.length)) / 60;
      groupCount += 1;
      for (let x = 0; x < g.length; x += 1) {
        for (let y = x + 1; y < g.length; y += 1) {
          const a = idx[x] as number;
          const b = idx[y] as number;
          const met = meetings.last(a, b);
          if (round >= 2) {
            laterPairs += 1;
            if (met >= 0 && round - met <= WINDOW) repeatPairs += 1;
            if (met === round - 1) consecutive += 1;
          }
          meetings.add(a, b, round);
        }
      }
      history.push({ round, members: g });
    }
    if (placed !== available.length || roundTrios > groupSize - 1) invariantsOk = false;
    trios += roundTrios;
    covered += cov;
    bounded += bound;
    if (bound > 0) minRatio = Math.min(minRatio, cov / bound);
  }

  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    msPerRoundMean: round3(times.reduce((a, b) => a + b, 0) / times.length),
    msPerRoundMax: round3(Math.max(...times)),
    coverageOfBound: round3(bounded === 0 ? 1 : covered / bounded),
    minCoverageOfBound: round3(minRatio),
    repeatRate: Math.round((laterPairs === 0 ? 0 : repeatPairs / laterPairs) * 100_000) / 100_000,
    consecutiveRepeats: consecutive,
    tzScore: round3(groupCount === 0 ? 0 : hours / groupCount),
    trios,
    unmatched,
    invariantsOk,
    firstRound,
  };
}

function runScenario(scenario: BenchScenario): void {
  const roster = makeRoster(scenario, SEED);
  const sizes = zipfSizes(scenario.n, scenario.departments, scenario.zipf);
  const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
  const { groupSize } = scenario;
  const { firstRound, ...figures } = simulate(roster, engine, groupSize);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // Same seed → identical output: replay round 1 from scratch and compare digests.
  const replay = simulate(roster, engine, groupSize, 1);
  const { firstRound: _baselineRound, ...base } = simulate(roster, baseline, groupSize);
  const line = {
    scenario: scenario.name,
    groupSize,
    n: scenario.n,
    departments: scenario.departments,
    largestDepartment: Math.round((Math.max(...sizes) / scenario.n) * 1000) / 1000,
    rounds: ROUNDS,
    ...figures,
    peakRssMb,
    rssBeforeMb,
    deterministic: replay.firstRound === firstRound,
    baseline: {
      msPerRoundMean: base.msPerRoundMean,
      coverageOfBound: base.coverageOfBound,
      minCoverageOfBound: base.minCoverageOfBound,
      repeatRate: base.repeatRate,
      consecutiveRepeats: base.consecutiveRepeats,
      tzScore: base.tzScore,
      trios: base.trios,
    },
    tzScoreVsBaseline: Math.round((figures.tzScore / Math.max(1e-9, base.tzScore)) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Runs one scenario in a fresh process (same loader flags), forwarding its output. */
function runChild(name: string): Promise<number> {
  return new Promise((resolve) => {
    // The engine runs inside Weave's process: measured with production's Node flags (the heap ceiling).
    const args = [
      ...productionNodeFlags(),
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--run',
      name,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const USAGE = `usage: npm run bench:match [-- --only <${BENCH_SCENARIOS.map((s) => s.name).join('|')}>]\n`;

async function main(argv: string[]): Promise<number> {
  // --run is internal: the child process that actually runs one scenario.
  const [flag, name, ...rest] = argv;
  if (flag === undefined) {
    let worst = 0;
    for (const s of BENCH_SCENARIOS) worst = Math.max(worst, await runChild(s.name));
    return worst;
  }
  if ((flag !== '--only' && flag !== '--run') || name === undefined || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const scenario = BENCH_SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    process.stderr.write(`bench:match: unknown scenario '${name}'; ${USAGE}`);
    return 2;
  }
  if (flag === '--only') return runChild(name);
  runScenario(scenario);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
