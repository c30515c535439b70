import path from 'node:path';
import type { PrismaConfig } from 'prisma';

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
    return new PrismaPGlite(new PGlite(dir));
  },
} satisfies PrismaConfig;
