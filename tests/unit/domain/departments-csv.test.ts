import { describe, expect, it } from 'vitest';
import { parseDepartmentCsv } from '../../../src/domain/departments-csv.ts';

describe('parseDepartmentCsv', () => {
  it('reads emails and user ids, skips a header and blank lines, tolerates quotes, semicolons and tabs', () => {
    const r = parseDepartmentCsv(
      'email,department\n\nAna@Acme.example, Engineering\nU0123ABC;"Sales, EMEA"\nW09XYZ\tPeople\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { line: 3, who: { kind: 'email', email: 'ana@acme.example' }, department: 'Engineering' },
      { line: 4, who: { kind: 'user', userId: 'U0123ABC' }, department: 'Sales, EMEA' },
      { line: 5, who: { kind: 'user', userId: 'W09XYZ' }, department: 'People' },
    ]);
  });

  it('names every malformed line and why', () => {
    const r = parseDepartmentCsv(
      'ana@acme.example\nbob, Sales\ncarl@acme.example, \ndana@acme.example,Design',
    );
    expect(r.rows).toHaveLength(1);
    expect(r.problems.map((p) => [p.line, p.why])).toEqual([
      [1, 'needs two columns: email or user id, then department'],
      [2, '"bob" is neither an email address nor a Slack user id'],
      [3, 'the department is empty'],
    ]);
  });

  it('refuses one person listed twice with different departments, and keeps an exact repeat once', () => {
    const r = parseDepartmentCsv('a@x.example,Sales\na@x.example,sales\na@x.example,Design');
    expect(r.rows).toHaveLength(1);
    expect(r.problems).toEqual([
      { line: 3, text: 'a@x.example,Design', why: 'also listed on line 1 with another department' },
    ]);
  });
});
