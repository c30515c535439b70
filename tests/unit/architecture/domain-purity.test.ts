import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = join(import.meta.dirname, '../../../src/domain');
const FORBIDDEN_IMPORTS = [
  /^@slack\//,
  /^@prisma\//,
  /prisma/,
  /^node-cron$/,
  /^pino/,
  /^prom-client$/,
  /^pg$/,
  /^dotenv/,
  /^(node:)?(fs|net|http|https|http2|dgram|dns|tls|child_process|worker_threads|cluster)(\/|$)/,
  /generated/,
];
const FORBIDDEN_CALLS = [/\bDate\.now\(/, /\bMath\.random\(/, /new Date\(\s*\)/];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Import specifiers of a TypeScript source, static and dynamic. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(
    /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm,
  )) {
    found.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return found;
}

/** A relative import that leaves src/domain (into services, persistence, slack, …) brings their I/O along. */
function leavesDomain(spec: string, file: string): boolean {
  return spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(`${DOMAIN}/`);
}

/** Rule violations in one domain file: forbidden imports, clock reads and randomness. */
function violations(source: string, file = join(DOMAIN, 'file.ts')): string[] {
  const bad = importsOf(source).filter(
    (spec) => FORBIDDEN_IMPORTS.some((re) => re.test(spec)) || leavesDomain(spec, file),
  );
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return [...bad, ...FORBIDDEN_CALLS.filter((re) => re.test(code)).map((re) => re.source)];
}

describe('src/domain stays pure', () => {
  it('flags Slack, Prisma, node-cron and pino imports and clock reads (the check itself works)', () => {
    expect(violations("import { App } from '@slack/bolt';")).toEqual(['@slack/bolt']);
    expect(violations("import { PrismaClient } from '../generated/prisma/client.ts';")).toHaveLength(1);
    expect(violations("import cron from 'node-cron';\nimport pino from 'pino';")).toEqual([
      'node-cron',
      'pino',
    ]);
    expect(violations("const x = await import('@prisma/client');")).toEqual(['@prisma/client']);
    expect(violations('const t = Date.now();')).toHaveLength(1);
    expect(violations('const r = Math.random();')).toHaveLength(1);
    expect(violations('const d = new Date();')).toHaveLength(1);
    expect(violations("import { z } from 'zod';\nconst d = new Date(at.getTime());")).toEqual([]);
    expect(violations("import { readFile } from 'node:fs/promises';")).toHaveLength(1);
    expect(violations("import { Socket } from 'node:net';\nimport { Pool } from 'pg';")).toHaveLength(2);
    expect(violations("import { Registry } from 'prom-client';")).toHaveLength(1);
    // Another layer of src/ brings its I/O along; a sibling domain module does not.
    expect(violations("import type { Clock } from '../services/ports.ts';")).toHaveLength(1);
    expect(violations("import { x } from '../persistence/database.ts';")).toHaveLength(1);
    expect(violations("import { planRound } from './matching/plan.ts';")).toEqual([]);
  });

  it('no file under src/domain imports Slack, Prisma, node-cron or pino, or reads the clock', () => {
    const files = tsFiles(DOMAIN);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files
      .map((f) => ({ file: f.slice(DOMAIN.length + 1), problems: violations(readFileSync(f, 'utf8'), f) }))
      .filter((o) => o.problems.length > 0);
    expect(offenders).toEqual([]);
  });
});
