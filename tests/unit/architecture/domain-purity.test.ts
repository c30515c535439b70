import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = join(import.meta.dirname, '../../../src/domain');
const FORBIDDEN_IMPORTS = [
  /^@slack\//,
  /^@prisma\//,
  /prisma/,
  /^node-cron$/,
  /^pino/,
  /^node:fs/,
  /^fs$/,
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

/** Rule violations in one domain file: forbidden imports, clock reads and randomness. */
function violations(source: string): string[] {
  const bad = importsOf(source).filter((spec) => FORBIDDEN_IMPORTS.some((re) => re.test(spec)));
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
  });

  it('no file under src/domain imports Slack, Prisma, node-cron or pino, or reads the clock', () => {
    const files = tsFiles(DOMAIN);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files
      .map((f) => ({ file: f.slice(DOMAIN.length + 1), problems: violations(readFileSync(f, 'utf8')) }))
      .filter((o) => o.problems.length > 0);
    expect(offenders).toEqual([]);
  });
});
