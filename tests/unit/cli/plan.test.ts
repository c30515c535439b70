import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runPlanCli } from '../../../src/cli/plan.ts';

const ROSTER = {
  members: [
    { id: 'U1', department: 'Sales', tz: 'Europe/Berlin', interests: ['chess'] },
    { id: 'U2', department: 'Engineering', tz: 'Europe/London', interests: ['chess'] },
    { id: 'U3', department: 'Engineering', tz: 'America/New_York' },
    { id: 'U4', department: null, tz: 'Asia/Kolkata', isNew: true },
    { id: 'U5', tz: 'Europe/Paris', doNotPair: ['U1'] },
  ],
};
const HISTORY = {
  groups: [
    { round: 1, members: ['U1', 'U2'] },
    { round: 1, members: ['U3', 'U4', 'U5'] },
  ],
};

/** Runs the CLI against in-memory files; returns exit code and captured output. */
async function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runPlanCli(argv, {
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    now: () => new Date('2026-01-05T10:00:00Z'),
  });
  return { code, stdout, stderr };
}

const files = { 'roster.json': JSON.stringify(ROSTER), 'history.json': JSON.stringify(HISTORY) };

describe('plan CLI', () => {
  it('prints the plan as JSON: groups with reason texts, unmatched and stats', async () => {
    const r = await run(['--input', 'roster.json', '--history', 'history.json', '--seed', '7'], files);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.round).toBe(2);
    expect(out.seed).toBe(7);
    expect(out.unmatched).toEqual([]);
    expect(out.groups.flatMap((g: { members: string[] }) => g.members).sort()).toEqual([
      'U1',
      'U2',
      'U3',
      'U4',
      'U5',
    ]);
    for (const g of out.groups) {
      expect(g.reasons.length).toBeGreaterThan(0);
      for (const reason of g.reasons) expect(typeof reason).toBe('string');
    }
    expect(out.stats).toMatchObject({ n: 5, coverage: 5, bound: 5, trios: 1 });
    // The hard rule holds in the output too.
    const together = out.groups.find((g: { members: string[] }) => g.members.includes('U1')).members;
    expect(together).not.toContain('U5');
  });

  it('is deterministic for a seed and defaults the seed to the round', async () => {
    const a = await run(['--input=roster.json', '--history=history.json', '--seed=3', '--window=4'], files);
    const b = await run(
      ['--window', '4', '--seed', '3', '--history', 'history.json', '--input', 'roster.json'],
      files,
    );
    expect(a.stdout).toBe(b.stdout);
    const c = await run(['--input', 'roster.json'], files);
    expect(JSON.parse(c.stdout)).toMatchObject({ round: 1, seed: 1 });
  });

  it('uses --at for time-zone offsets', async () => {
    const r = await run(['--input', 'roster.json', '--at', '2026-07-06T10:00:00Z'], files);
    expect(r.code).toBe(0);
  });

  it('plans groups of three with --group-size 3', async () => {
    const departments = ['Sales', 'Engineering', 'Design'];
    const members = Array.from({ length: 10 }, (_, i) => ({
      id: `M${i}`,
      department: departments[i % 3],
      tz: 'Europe/Berlin',
    }));
    // Last round M0–M3 were a group of four: none of them should be the one added this time.
    const history = { groups: [{ round: 1, members: ['M0', 'M1', 'M2', 'M3'] }] };
    const given = { 'ten.json': JSON.stringify({ members }), 'h.json': JSON.stringify(history) };
    for (const argv of [
      ['--input', 'ten.json', '--history', 'h.json', '--group-size', '3'],
      ['--input=ten.json', '--history=h.json', '--group-size=3'],
    ]) {
      const r = await run(argv, given);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const out = JSON.parse(r.stdout);
      expect(out.groupSize).toBe(3);
      const sizes = out.groups.map((g: { members: string[] }) => g.members.length).sort();
      expect(sizes).toEqual([3, 3, 4]);
      expect(out.stats).toMatchObject({ n: 10, coverage: 10, bound: 10, trios: 1 });
      const four = out.groups.find((g: { members: string[] }) => g.members.length === 4);
      expect(['M0', 'M1', 'M2', 'M3']).not.toContain(four.members[3]);
      expect(four.reasons.at(-1)).toMatch(/A group of four/);
    }
    // The default stays pairs.
    const pairs = JSON.parse((await run(['--input', 'ten.json'], given)).stdout);
    expect(pairs.groupSize).toBe(2);
    expect(pairs.groups.every((g: { members: string[] }) => g.members.length === 2)).toBe(true);
  });

  it('prints usage for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run plan -- --input roster.json/);
    expect(r.stdout).toContain('--group-size');
  });

  const roster = (members: unknown[]) => ({ 'r.json': JSON.stringify({ members }) });
  it.each([
    ['no arguments', [], {}, /missing --input/],
    ['an unknown flag', ['--input', 'r.json', '--fast'], roster([]), /unknown option --fast/],
    ['a stray argument', ['r.json'], {}, /unexpected argument 'r.json'/],
    ['a flag without value', ['--input'], {}, /--input needs a value/],
    ['a repeated flag', ['--input', 'a', '--input', 'b'], {}, /--input given twice/],
    [
      'a missing file',
      ['--input', 'nope.json'],
      {},
      /cannot read --input file 'nope.json' \(no such file\); check the path/,
    ],
    ['bad JSON', ['--input', 'r.json'], { 'r.json': '{"members": [' }, /'r.json' is not valid JSON/],
    [
      'a non-integer seed',
      ['--input', 'r.json', '--seed', '1.5'],
      roster([]),
      /--seed must be a non-negative integer, got '1.5'/,
    ],
    [
      'a negative window',
      ['--input', 'r.json', '--window', '-2'],
      roster([]),
      /--window must be a whole number/,
    ],
    ['a bad --at', ['--input', 'r.json', '--at', 'yesterday'], roster([]), /--at must be an ISO date-time/],
    [
      'a group size other than 2 or 3',
      ['--input', 'r.json', '--group-size', '4'],
      roster([]),
      /--group-size must be 2 or 3, got '4'/,
    ],
    [
      'a group size that is not a number',
      ['--input', 'r.json', '--group-size=three'],
      roster([]),
      /--group-size must be 2 or 3, got 'three'/,
    ],
    [
      'a group size without value',
      ['--input', 'r.json', '--group-size'],
      roster([]),
      /--group-size needs a value/,
    ],
    [
      'no members array',
      ['--input', 'r.json'],
      { 'r.json': '{"people":[]}' },
      /'r.json': members: .*expected \{"members"/,
    ],
    ['a member without id', ['--input', 'r.json'], roster([{ tz: 'UTC' }]), /members\[0\]\.id/],
    [
      'duplicate ids',
      ['--input', 'r.json'],
      roster([
        { id: 'U1', tz: 'UTC' },
        { id: 'U1', tz: 'UTC' },
      ]),
      /members\[1\]\.id: duplicate id 'U1'/,
    ],
    [
      'a bad time zone',
      ['--input', 'r.json'],
      roster([{ id: 'U1', tz: 'Mars/Base' }]),
      /members\[0\]\.tz: 'Mars\/Base' is not an IANA time zone/,
    ],
    [
      'a bad history round',
      ['--input', 'r.json', '--history', 'h.json'],
      { ...roster([]), 'h.json': JSON.stringify({ groups: [{ round: 0, members: ['a', 'b'] }] }) },
      /'h.json': groups\[0\]\.round: must be a positive integer/,
    ],
  ])('rejects %s with one clear line and exit code 2', async (_name, argv, given, message) => {
    const r = await run(argv as string[], given as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^plan: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs as a real entry point with npx tsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weave-plan-'));
    const rosterPath = join(dir, 'roster.json');
    writeFileSync(rosterPath, JSON.stringify(ROSTER));
    const ok = await promisify(execFile)(
      'npx',
      ['tsx', 'src/cli/plan.ts', '--input', rosterPath, '--seed', '5'],
      {
        cwd: join(import.meta.dirname, '../../..'),
      },
    );
    expect(JSON.parse(ok.stdout).stats).toMatchObject({ n: 5, bound: 5 });
    const bad = await promisify(execFile)(
      'npx',
      ['tsx', 'src/cli/plan.ts', '--input', join(dir, 'missing.json')],
      {
        cwd: join(import.meta.dirname, '../../..'),
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(/^plan: cannot read --input file/);
  }, 60_000);
});
