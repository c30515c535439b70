// Multi-row INSERTs on the driver's plain SQL, for the few statements that write thousands of rows (a
// round, a first roster sync). Prisma's createMany builds a query plan with nodes for every value and its
// client keeps the arguments of its latest 100 debug calls (even with DEBUG off), so a 10,000-person round
// written through it held ~100 MB of plans in memory until later queries pushed them out.
import type { SqlStatements } from '../database.ts';

/** PostgreSQL takes at most 65,535 bind parameters a statement; stay well under. */
const MAX_PARAMETERS = 30_000;

/** A value as a bind parameter, and the SQL for it: dates and JSON are cast, the rest typed by their column. */
function bind(value: unknown, params: unknown[]): string {
  if (value instanceof Date) {
    params.push(value.toISOString());
    return `CAST($${params.length} AS timestamp)`;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    params.push(JSON.stringify(value));
    return `CAST($${params.length} AS jsonb)`;
  }
  params.push(value ?? null);
  return `$${params.length}`;
}

/**
 * Inserts `rows` into `table` in as few statements as the parameter limit allows. Columns are the union of
 * the rows' keys (a row without one gets the column's default); `onConflict` is appended as written (e.g.
 * `ON CONFLICT DO NOTHING`), `returning` names the columns to return. Returns the returned rows.
 */
export async function insertRows<R = Record<string, unknown>>(
  db: SqlStatements,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
  opts: { onConflict?: string; returning?: string[]; jsonColumns?: string[] } = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const json = new Set(opts.jsonColumns ?? []);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const returned: R[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const values = rows.slice(i, i + perStatement).map((row) => {
      const cells = columns.map((c) => {
        if (!(c in row)) return 'DEFAULT';
        const v = row[c];
        // A JSON column holding an array (or a string) is stored as JSON, not as a PostgreSQL array.
        if (json.has(c)) {
          params.push(JSON.stringify(v ?? null));
          return `CAST($${params.length} AS jsonb)`;
        }
        return bind(v, params);
      });
      return `(${cells.join(', ')})`;
    });
    const text = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values.join(', ')}${
      opts.onConflict ? ` ${opts.onConflict}` : ''
    }${opts.returning ? ` RETURNING ${opts.returning.map((c) => `"${c}"`).join(', ')}` : ''}`;
    if (opts.returning) returned.push(...(await db.query<R>(text, params)));
    else await db.execute(text, params);
  }
  return returned;
}

/** True for PostgreSQL's unique_violation (from pg or PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
