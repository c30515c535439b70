import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../src/observability/logger.ts';
import { applyMigrations, type SqlSession } from '../../src/persistence/migrate.ts';

// Every integration test file starts on a fresh database. Initialising PGlite and applying the migrations
// costs ~2.7 s a file; copying a migrated data directory ~0.1 s. So each integration project migrates one
// template here, once per run, and createTestDatabase copies it (PGlite: the directory; PostgreSQL:
// CREATE DATABASE … TEMPLATE). A test that needs an empty database (the migrations themselves) asks for one.

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory to copy (integration-pglite). */
    pgliteTemplateDir: string;
    /** A migrated PostgreSQL database to create test databases from (integration-postgres). */
    postgresTemplateDb: string;
  }
}

const log = createLogger('silent');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.config.env?.WEAVE_TEST_DB === 'postgres') {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL integration project');
    const name = `weave_tmpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const session: SqlSession = {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      exec: async (sql) => {
        await client.query(sql);
      },
    };
    await applyMigrations(session, log, { lock: false });
    // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
    await client.end();
    project.provide('postgresTemplateDb', name);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'weave-template-'));
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  await applyMigrations(
    {
      query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
      exec: async (sql) => {
        await pglite.exec(sql);
      },
    },
    log,
    { lock: false },
  );
  await pglite.close();
  project.provide('pgliteTemplateDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
