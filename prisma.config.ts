import path from 'node:path';
import type { PrismaConfig } from 'prisma';

// biome-ignore lint/suspicious/noExplicitAny: the adapter type is not exported by prisma/config in 6.19
type MigrationAdapter = any;

// The CLI is only used to generate the client and author migrations (on an in-memory PGlite).
// At run time migrations are applied by src/persistence/migrate.ts.
export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    // In memory: `prisma migrate dev` replays the committed migrations into it and diffs against the
    // schema. A data directory on disk made the next CLI run (even `prisma -v`, which @prisma/client's
    // postinstall runs) hang opening it, so a second `npm ci` never finished.
    // pglite-prisma-adapter 0.6 is typed against an older driver-adapter-utils; same protocol at run time.
    return new PrismaPGlite(new PGlite()) as unknown as MigrationAdapter;
  },
} satisfies PrismaConfig;
