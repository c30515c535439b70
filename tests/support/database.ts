import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config/config.ts';

export type TestDbKind = 'pglite' | 'postgres';

/** Which database this vitest project runs the integration suite on (see vitest.config.ts). */
export function testDbKind(): TestDbKind {
  return process.env.WEAVE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
  kind: TestDbKind;
  config: Config['database'];
  /** Removes the database (PostgreSQL) or its directory (PGlite). */
  drop(): Promise<void>;
}

/**
 * The migrated template this vitest project made (tests/support/global-setup.ts), if any: outside vitest
 * (benchmarks) or in the other database's project there is none, and the database starts empty.
 */
async function migratedTemplate(kind: TestDbKind): Promise<string | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return kind === 'pglite' ? inject('pgliteTemplateDir') : inject('postgresTemplateDb');
}

/**
 * A fresh database for one test file: a temp PGlite directory, or a new PostgreSQL database. Inside the
 * integration projects it is a copy of a migrated template (the app then finds no migration to apply);
 * `{ empty: true }` gives one with nothing in it, for tests of the migrations themselves.
 */
export async function createTestDatabase(
  kind: TestDbKind = testDbKind(),
  opts: { empty?: boolean } = {},
): Promise<TestDatabase> {
  const template = opts.empty ? undefined : await migratedTemplate(kind);
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'weave-test-'));
    if (template) await cp(template, dir, { recursive: true });
    return {
      kind,
      // In the test's own process: the suite's hundreds of worlds would pay the embedded database's own
      // process (~0.3 ms a query, a start each) for nothing they test. Weave's default (separate) runs in
      // every test that starts Weave as a process (crash, process, socket-mode…) and in
      // embedded-database.test.ts.
      config: { kind: 'pglite', dataDir: dir, process: 'inline' },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL integration project');
  const name = `weave_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(
    template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
