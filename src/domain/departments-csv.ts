// A pasted CSV of `email or user id, department` (an HR system's export): read into rows, with every line
// that cannot be used named, so an import is applied whole or not at all.
import { DEPARTMENT_NAME_MAX, departmentKey } from './departments.ts';

/** Most rows one paste may hold. */
export const CSV_MAX_ROWS = 5000;

/** One usable line: who (a Slack user id or an email address, lower-cased) and their department. */
export interface CsvRow {
  line: number;
  who: { kind: 'user'; userId: string } | { kind: 'email'; email: string };
  department: string;
}

/** A line that cannot be used, and why, in words an admin can act on. */
export interface CsvProblem {
  line: number;
  text: string;
  why: string;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"')
    ? t.slice(1, -1).replace(/""/g, '"').trim()
    : t;
}

/** Splits one line at its first separator (comma, semicolon or tab), honouring a quoted first cell. */
function splitLine(line: string): [string, string] | null {
  const m = /^\s*("(?:[^"]|"")*"|[^,;\t]*)\s*[,;\t](.*)$/.exec(line);
  return m ? [unquote(m[1] ?? ''), unquote(m[2] ?? '')] : null;
}

/**
 * Reads the pasted text. Blank lines are skipped, and so is a first line that is a header (e.g.
 * `email,department`). Returns the rows and every problem (malformed lines, a person listed twice with
 * different departments, too many rows).
 */
export function parseDepartmentCsv(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<string, CsvRow>();
  const lines = text.split(/\r\n|\n|\r/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    const cells = splitLine(raw);
    const first = cells?.[0] ?? '';
    if (
      rows.length === 0 &&
      problems.length === 0 &&
      /^(e-?mail|user|id|person)/i.test(first) &&
      !EMAIL.test(first)
    )
      continue; // a header
    const text = raw.trim().slice(0, 120);
    if (cells === null) {
      problems.push({ line, text, why: 'needs two columns: email or user id, then department' });
      continue;
    }
    const [whoText, department] = cells;
    const who: CsvRow['who'] | null = USER_ID.test(whoText)
      ? { kind: 'user', userId: whoText }
      : EMAIL.test(whoText)
        ? { kind: 'email', email: whoText.toLowerCase() }
        : null;
    if (who === null) {
      problems.push({
        line,
        text,
        why: `"${whoText.slice(0, 60)}" is neither an email address nor a Slack user id`,
      });
      continue;
    }
    if (departmentKey(department) === '') {
      problems.push({ line, text, why: 'the department is empty' });
      continue;
    }
    if (department.length > DEPARTMENT_NAME_MAX) {
      problems.push({ line, text, why: `the department is longer than ${DEPARTMENT_NAME_MAX} characters` });
      continue;
    }
    const key = who.kind === 'user' ? who.userId : who.email;
    const before = seen.get(key);
    if (before && departmentKey(before.department) !== departmentKey(department)) {
      problems.push({ line, text, why: `also listed on line ${before.line} with another department` });
      continue;
    }
    if (before) continue;
    const row = { line, who, department };
    seen.set(key, row);
    rows.push(row);
  }
  if (rows.length > CSV_MAX_ROWS) {
    problems.push({ line: 0, text: '', why: `more than ${CSV_MAX_ROWS} rows: split the file` });
  }
  return { rows, problems };
}
