import { defineConfig } from 'vitest/config';

// Projects: pure unit tests (no database), and the integration suite — the real Bolt app over HTTP
// against a fake Slack server — once on embedded PGlite and once on PostgreSQL. The PostgreSQL project
// runs when TEST_DATABASE_URL points at a server where it may create databases (.ci/run sets it).
//
// All three projects share one pool of two workers, a worker per core: each integration file has its own
// database (a copy of a template migrated once by tests/support/global-setup.ts) and its own ports, so any
// two files can run side by side.
const integration = (db: 'pglite' | 'postgres') => ({
  test: {
    name: `integration-${db}`,
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node' as const,
    env: { WEAVE_TEST_DB: db },
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      integration('pglite'),
      ...(process.env.TEST_DATABASE_URL ? [integration('postgres')] : []),
    ],
  },
});
