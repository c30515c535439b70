import { createRng, offsetMinutesOrUtc, sharedWorkingMinutes } from '../../src/domain/matching/index.ts';
import { availableIn, makeRoster, ROUNDS, roundAt, SCENARIOS } from '../match-workload.ts';
const SEED = 20_260_105;
const sc = SCENARIOS.find((s) => s.name === (process.argv[2] ?? 'team'))!;
const roster = makeRoster(sc, SEED);
const avail = createRng(SEED ^ 0x51ed);
const out: any = { ids: roster.map((m) => m.id), dept: roster.map((m) => m.department), rounds: [] };
for (let round = 1; round <= ROUNDS; round++) {
  const av = availableIn(roster, avail).map((m) => roster.indexOf(m));
  const off = roster.map((m) => offsetMinutesOrUtc(m.tz, roundAt(round)));
  const w: number[][] = roster.map((_, a) => roster.map((_, b) => sharedWorkingMinutes([off[a]!, off[b]!]) / 60));
  out.rounds.push({ av, w });
}
console.log(JSON.stringify(out));
