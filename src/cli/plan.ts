// `npm run plan -- --input roster.json [--history history.json] [--seed N] [--window 12] [--at ISO]
//  [--group-size 2|3]`
// Plans one matching round offline from JSON files and prints the plan as JSON. Bad input gets one
// clear line on stderr and exit code 2, never a stack trace.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { type MatchMember, type PastGroup, planRound } from '../domain/matching/index.ts';
import { isValidTimeZone } from '../domain/schedule/index.ts';

export interface PlanCliIo {
  readFile: (path: string) => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Clock for the time-zone instant when --at is not given. */
  now?: () => Date;
}

const USAGE =
  'usage: npm run plan -- --input roster.json [--history history.json] [--seed N] [--window 12] [--at 2026-01-05T10:00:00Z] [--group-size 2|3]';

const HELP = `${USAGE}

  --input    roster JSON: {"members":[{"id":"U1","department":"Sales","tz":"Europe/Berlin"}, ...]}
             optional per member: isNew, wasInTrioLastRound, doNotPair (ids), interests (strings);
             a missing or null department means unknown
  --history  past groups JSON: {"groups":[{"round":1,"members":["U1","U2"]}, ...]};
             the planned round is the highest round in it + 1
  --seed     integer seed (default: the planned round number); same seed, same plan
  --window   repeat window in rounds (default 12)
  --at       instant used for time-zone offsets (default: now)
  --group-size
             people per group, 2 or 3 (default 2), as in the program's settings; the people left
             over join different groups, and last round's groups larger than this are remembered
`;

/** Bad input: reported as one line with exit code 2. */
class InputError extends Error {}

const memberSchema = z.object({
  id: z.string().trim().min(1, { error: 'must be a non-empty string' }),
  department: z.string().nullish(),
  tz: z.string({ error: 'must be an IANA time zone string such as "Europe/Berlin"' }),
  isNew: z.boolean().optional(),
  wasInTrioLastRound: z.boolean().optional(),
  doNotPair: z.array(z.string()).optional(),
  interests: z.array(z.string()).optional(),
});
const rosterSchema = z.object({ members: z.array(memberSchema) });
const historySchema = z.object({
  groups: z.array(
    z.object({
      round: z.int().positive({ error: 'must be a positive integer' }),
      members: z.array(z.string().min(1)).min(2, { error: 'a group has at least two members' }),
    }),
  ),
});

interface Options {
  input: string;
  history?: string;
  seed?: number;
  window: number;
  at?: Date;
  groupSize: number;
  help: boolean;
}

const FLAGS = new Set(['--input', '--history', '--seed', '--window', '--at', '--group-size']);

function parseArgs(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!FLAGS.has(flag)) {
      throw new InputError(
        arg.startsWith('-') ? `unknown option ${flag}; ${USAGE}` : `unexpected argument '${arg}'; ${USAGE}`,
      );
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new InputError(`${flag} needs a value; ${USAGE}`);
      i += 1;
    }
    if (values.has(flag)) throw new InputError(`${flag} given twice; pass it once`);
    values.set(flag, value);
  }
  if (help) return { input: '', window: 12, groupSize: 2, help };
  const input = values.get('--input');
  if (!input) throw new InputError(`missing --input <roster.json>; ${USAGE}`);
  const options: Options = { input, window: 12, groupSize: 2, help };
  const history = values.get('--history');
  if (history !== undefined) options.history = history;
  const seed = values.get('--seed');
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) {
      throw new InputError(`--seed must be a non-negative integer, got '${seed}'`);
    }
    options.seed = Number(seed);
  }
  const window = values.get('--window');
  if (window !== undefined) {
    if (!/^\d+$/.test(window) || Number(window) > 1000) {
      throw new InputError(`--window must be a whole number of rounds (0–1000), got '${window}'`);
    }
    options.window = Number(window);
  }
  const at = values.get('--at');
  if (at !== undefined) {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) {
      throw new InputError(`--at must be an ISO date-time such as 2026-01-05T10:00:00Z, got '${at}'`);
    }
    options.at = date;
  }
  const groupSize = values.get('--group-size');
  if (groupSize !== undefined) {
    if (groupSize !== '2' && groupSize !== '3') {
      throw new InputError(`--group-size must be 2 or 3, got '${groupSize}'`);
    }
    options.groupSize = Number(groupSize);
  }
  return options;
}

/** "members[3].tz" from a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

async function readJson(io: PlanCliIo, path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new InputError(`cannot read ${flag} file '${path}' (${why}); check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'parse error';
    throw new InputError(`${flag} file '${path}' is not valid JSON (${detail}); fix the file and run again`);
  }
}

function validate<T>(schema: z.ZodType<T>, data: unknown, path: string, shape: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${pathText(issue.path)}: ` : '';
  throw new InputError(`'${path}': ${where}${issue?.message ?? 'invalid'}; expected ${shape}`);
}

async function loadRoster(io: PlanCliIo, path: string): Promise<MatchMember[]> {
  const data = validate(
    rosterSchema,
    await readJson(io, path, '--input'),
    path,
    '{"members":[{"id","department","tz"}, ...]}',
  );
  const seen = new Set<string>();
  return data.members.map((m, i) => {
    if (seen.has(m.id)) {
      throw new InputError(
        `'${path}': members[${i}].id: duplicate id '${m.id}'; each member must appear once`,
      );
    }
    seen.add(m.id);
    if (!isValidTimeZone(m.tz)) {
      throw new InputError(
        `'${path}': members[${i}].tz: '${m.tz}' is not an IANA time zone; use a name such as 'Europe/Berlin'`,
      );
    }
    const department = m.department?.trim() ? m.department.trim() : null;
    const member: MatchMember = { id: m.id, department, tz: m.tz };
    if (m.isNew !== undefined) member.isNew = m.isNew;
    if (m.wasInTrioLastRound !== undefined) member.wasInTrioLastRound = m.wasInTrioLastRound;
    if (m.doNotPair !== undefined) member.doNotPair = m.doNotPair;
    if (m.interests !== undefined) member.interests = m.interests;
    return member;
  });
}

async function loadHistory(io: PlanCliIo, path: string): Promise<PastGroup[]> {
  const data = validate(
    historySchema,
    await readJson(io, path, '--history'),
    path,
    '{"groups":[{"round":1,"members":["U1","U2"]}, ...]}',
  );
  return data.groups;
}

/** Runs the CLI with the given arguments and I/O; resolves to the process exit code. */
export async function runPlanCli(argv: string[], io: PlanCliIo): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      io.stdout(HELP);
      return 0;
    }
    const members = await loadRoster(io, options.input);
    const history = options.history ? await loadHistory(io, options.history) : [];
    const lastRound = history.reduce((max, g) => Math.max(max, g.round), 0);
    const round = lastRound + 1;
    // As the app does: members of last round's enlarged groups (the trio, when pairing) are flagged
    // unless the roster says otherwise.
    const lastTrio = new Set(
      history
        .filter((g) => g.round === lastRound && g.members.length > options.groupSize)
        .flatMap((g) => g.members),
    );
    for (const m of members)
      if (m.wasInTrioLastRound === undefined && lastTrio.has(m.id)) m.wasInTrioLastRound = true;
    const seed = options.seed ?? round;
    const plan = planRound({
      members,
      history,
      round,
      windowRounds: options.window,
      seed,
      at: options.at ?? (io.now ? io.now() : new Date()),
      groupSize: options.groupSize,
    });
    const output = {
      round,
      seed,
      groupSize: options.groupSize,
      groups: plan.groups.map((g) => ({ members: g.members, reasons: g.reasons.map((r) => r.text) })),
      unmatched: plan.unmatched,
      stats: plan.stats,
    };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`plan: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`plan: unexpected error: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  process.exitCode = await runPlanCli(process.argv.slice(2), {
    readFile: (path) => readFileFromDisk(path, 'utf8'),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
