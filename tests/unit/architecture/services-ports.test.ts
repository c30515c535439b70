import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Services depend only on ports (docs/architecture.md): no Prisma, no generated client, no src/slack/,
// nothing from src/persistence/ (the interfaces they need are theirs, in src/services/).
const SERVICES = join(import.meta.dirname, '../../../src/services');

const FORBIDDEN = [
  /^@prisma\//,
  /(^|\/)prisma$/,
  /\/generated\//,
  /^@slack\//,
  /(^|\/)slack\//,
  // The Prisma client factory, the repositories and their types.
  /(^|\/)persistence\//,
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Import specifiers of a TypeScript source that break the rule, static and dynamic. */
function forbiddenImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(
    /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm,
  )) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    if (FORBIDDEN.some((re) => re.test(spec))) found.push(spec);
  }
  return found;
}

describe('src/services depends only on ports', () => {
  it('flags Prisma, the generated client and src/slack/ (the check itself works)', () => {
    expect(forbiddenImports("import type { Prisma } from '../persistence/database.ts';")).toHaveLength(1);
    expect(forbiddenImports("import { Prisma } from '../generated/prisma/client.ts';")).toHaveLength(1);
    expect(forbiddenImports("import { PrismaClient } from '@prisma/client';")).toHaveLength(1);
    expect(forbiddenImports("import { buildHome } from '../slack/views/home.ts';")).toHaveLength(1);
    expect(forbiddenImports("import type { App } from '@slack/bolt';")).toHaveLength(1);
    expect(forbiddenImports("const m = await import('../slack/ids.ts');")).toHaveLength(1);
    expect(forbiddenImports("import type { Clock } from './ports.ts';\nimport { z } from 'zod';")).toEqual(
      [],
    );
    expect(forbiddenImports("import { planRound } from '../domain/matching/plan.ts';")).toEqual([]);
  });

  it('no service imports Prisma, the generated client, src/persistence/ or src/slack/', () => {
    const offenders = tsFiles(SERVICES)
      .map((f) => ({
        file: f.slice(SERVICES.length + 1),
        imports: forbiddenImports(readFileSync(f, 'utf8')),
      }))
      .filter((o) => o.imports.length > 0);
    expect(offenders).toEqual([]);
  });
});
