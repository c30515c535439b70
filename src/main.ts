import { configWarnings, formatConfigProblems } from './config/config.ts';
import { loadConfig } from './config/load.ts';
import { createLogger } from './observability/logger.ts';

// Process entry: configuration, start, graceful stop. Everything else is built in app.ts.
const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`${formatConfigProblems(loaded.problems)}\n`);
  process.exit(1);
}
const config = loaded.config;
// The configured secrets themselves are scrubbed from every line, wherever they might turn up.
const log = createLogger(config.logLevel, undefined, [
  config.signingSecret,
  config.appToken,
  config.auth.kind === 'single' ? config.auth.botToken : config.auth.clientSecret,
  config.auth.kind === 'oauth' ? config.auth.stateSecret : undefined,
  ...config.encryptionKeys.map((k) => k.secret),
  config.metricsToken,
]);
for (const warning of configWarnings(config)) log.warn(warning);

const SHUTDOWN_LIMIT_MS = 10_000;

async function main(): Promise<void> {
  const { createWeave } = await import('./app.ts');
  const weave = await createWeave(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    weave
      .stop(SHUTDOWN_LIMIT_MS - 2000)
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  await weave.start();
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'Weave failed to start');
  process.exit(1);
});
