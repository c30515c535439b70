import path from 'node:path';
import type { PrismaConfig } from 'prisma';

// biome-ignore lint/suspicious/noExplicitAny: the adapter type is not exported by prisma/config in 6.19
type MigrationAdapter = any;

// The CLI is only used to generate the client and author migrations (on an embedded PGlite under
// ./data/prisma-dev). At run time migrations are applied by src/persistence/migrate.ts.
export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const { mkdirSync } = await import('node:fs');
    const dir = path.join('data', 'prisma-dev');
    mkdirSync(dir, { recursive: true });
    // pglite-prisma-adapter 0.6 is typed against an older driver-adapter-utils; same protocol at run time.
    return new PrismaPGlite(new PGlite(dir)) as unknown as MigrationAdapter;
  },
} satisfies PrismaConfig;
