import { defineConfig } from 'vitest/config';

// Projects: pure unit tests (no database), and the integration suite — the real Bolt app over HTTP
// against a fake Slack server — once on embedded PGlite and once on PostgreSQL. The PostgreSQL project
// runs when TEST_DATABASE_URL points at a server where it may create databases (.ci/run sets it).
const integration = (db: 'pglite' | 'postgres') => ({
  test: {
    name: `integration-${db}`,
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node' as const,
    env: { WEAVE_TEST_DB: db },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file gets its own database; files of one project run one after another to spare 2 cores.
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      integration('pglite'),
      ...(process.env.TEST_DATABASE_URL ? [integration('postgres')] : []),
    ],
  },
});
