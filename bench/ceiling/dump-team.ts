// Dumps a bench:match scenario (default `team`) for tz-ceiling.py: ids, departments, and per round the
// available people and every pair's shared working hours. Same seed and draws as bench/match.ts.
import { createRng, offsetMinutesOrUtc, sharedWorkingMinutes } from '../../src/domain/matching/index.ts';
import { availableIn, makeRoster, ROUNDS, roundAt, SCENARIOS } from '../match-workload.ts';

const SEED = 20_260_105;
const name = process.argv[2] ?? 'team';
const scenario = SCENARIOS.find((s) => s.name === name);
if (!scenario) throw new Error(`unknown scenario ${name}`);
const roster = makeRoster(scenario, SEED);
const availability = createRng(SEED ^ 0x51ed);
const rounds: Array<{ av: number[]; w: number[][] }> = [];
for (let round = 1; round <= ROUNDS; round++) {
  const av = availableIn(roster, availability).map((m) => roster.indexOf(m));
  const off = roster.map((m) => offsetMinutesOrUtc(m.tz, roundAt(round)));
  const w = off.map((a) => off.map((b) => sharedWorkingMinutes([a, b]) / 60));
  rounds.push({ av, w });
}
process.stdout.write(
  `${JSON.stringify({ ids: roster.map((m) => m.id), dept: roster.map((m) => m.department), rounds })}\n`,
);
