// One Weave replica for `npm run bench:round`: src/main.ts's start-up, plus the two things a benchmark
// against the fake Slack changes — Slack's rate window shrunk K× (as the fake's), and where the rate
// budget lives. Reads its configuration from the environment like main.ts; the benchmark knobs come as
// arguments: --rate-window-ms MS --rate-budget shared|local.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createWeave } from '../src/app.ts';
import { formatConfigProblems } from '../src/config/config.ts';
import { loadConfig } from '../src/config/load.ts';
import { createLogger } from '../src/observability/logger.ts';

const { values } = parseArgs({
  options: {
    'rate-window-ms': { type: 'string' },
    'rate-budget': { type: 'string' },
    // Prints the process's memory every N ms on stderr (where a round's memory goes).
    'memory-every-ms': { type: 'string' },
    // Samples every allocation, garbage included, and writes a .heapprofile there when stopped (what
    // allocates the most, for Chrome DevTools or a script).
    'alloc-profile': { type: 'string' },
  },
});
const allocProfile = values['alloc-profile'];
const profiler = allocProfile ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
if (values['memory-every-ms']) {
  const mb = (n: number) => Math.round(n / 1048576);
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(
      `memory ${JSON.stringify({ at: Date.now(), rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) })}\n`,
    );
  }, Number(values['memory-every-ms'])).unref();
}
const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`${formatConfigProblems(loaded.problems)}\n`);
  process.exit(1);
}
const log = createLogger(loaded.config.logLevel);
const budget = values['rate-budget'];
const weave = await createWeave(loaded.config, log, {
  ...(values['rate-window-ms'] ? { rateWindowMs: Number(values['rate-window-ms']) } : {}),
  ...(budget === 'shared' || budget === 'local' ? { rateBudget: budget } : {}),
});
const stop = async () => {
  if (profiler && allocProfile) {
    const { profile } = await profiler.post('HeapProfiler.stopSampling');
    writeFileSync(allocProfile, JSON.stringify(profile));
  }
  weave
    .stop(2000)
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    });
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
await weave.start();
