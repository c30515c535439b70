import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NON_PERSONAL_COLUMNS, PERSONAL_COLUMNS } from '../../../src/services/privacy.ts';

/** Every `Model.column` of prisma/schema.prisma whose type can hold text: String, String[] or Json. */
function textColumns(schema: string): string[] {
  const out: string[] = [];
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const line of (m[2] ?? '').split('\n')) {
      const f = /^\s+(\w+)\s+(String|Json)(\[\])?\??(\s|$)/.exec(line);
      if (f) out.push(`${m[1]}.${f[1]}`);
    }
  }
  return out;
}

describe('/intro forget covers every column that can hold a person', () => {
  const schema = readFileSync(join(import.meta.dirname, '../../../prisma/schema.prisma'), 'utf8');
  const columns = textColumns(schema);

  it('finds the columns of the schema', () => {
    expect(columns).toContain('Give.reason');
    expect(columns).toContain('Member.expertise');
    expect(columns).toContain('Prompt.payload');
    expect(columns.length).toBeGreaterThan(50);
  });

  it('has every text and JSON column classified: covered by forget, or holding nothing about a person', () => {
    const classified = new Set([...Object.keys(PERSONAL_COLUMNS), ...Object.keys(NON_PERSONAL_COLUMNS)]);
    const unclassified = columns.filter((c) => !classified.has(c));
    expect(
      unclassified,
      'add each to PERSONAL_COLUMNS (and make forget erase it) or NON_PERSONAL_COLUMNS in src/services/privacy.ts',
    ).toEqual([]);
    // No stale entries, and nothing in both lists.
    expect(Object.keys(PERSONAL_COLUMNS).filter((c) => !columns.includes(c))).toEqual([]);
    expect(Object.keys(NON_PERSONAL_COLUMNS).filter((c) => !columns.includes(c))).toEqual([]);
    expect(Object.keys(PERSONAL_COLUMNS).filter((c) => c in NON_PERSONAL_COLUMNS)).toEqual([]);
  });

  it('lists every covered column in the README privacy section', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Privacy'));
    const missing = Object.keys(PERSONAL_COLUMNS).filter((c) => !section.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });
});
