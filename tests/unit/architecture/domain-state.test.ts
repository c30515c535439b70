// No module-level mutable state in src/domain (issue 14): no top-level `let`/`var`, and no top-level
// Map, Set, array or typed array that code could write to between calls (constant tables are declared
// readonly, or `as const`). Scratch space belongs to the object a call builds (the matching engine keeps
// its own on the model and the groupings).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = join(import.meta.dirname, '../../../src/domain');

/**
 * Files that still keep such state, each with the reason; this list may only shrink. The time-zone
 * formatter cache memoises immutable Intl.DateTimeFormat objects (expensive to build, invisible to
 * callers); removing it means passing a formatter source through every schedule function.
 */
const KNOWN: Readonly<Record<string, string>> = {
  'schedule/zoned-time.ts': 'memo of Intl.DateTimeFormat per time zone',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const MUTABLE_INIT =
  /^(?:export\s+)?const\s+\w+\s*(?::[^=]+)?=\s*(?:new\s+(?:Map|Set|WeakMap|Array|(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|BigInt64Array)\b|\[)/;

/** Top-level declarations of a source that hold mutable state. */
function mutableState(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return code
    .split('\n')
    .filter(
      (line) =>
        /^(?:export\s+)?(?:let|var)\s/.test(line) ||
        (MUTABLE_INIT.test(line) && !/:\s*(?:readonly\s|Readonly)|\bas const\b/.test(line)),
    )
    .map((line) => line.trim());
}

describe('src/domain keeps no module-level mutable state', () => {
  it('flags top-level let, var and mutable collections (the check itself works)', () => {
    expect(mutableState('let count = 0;')).toHaveLength(1);
    expect(mutableState('export const slot = new Float64Array(1);')).toHaveLength(1);
    expect(mutableState('const cache = new Map<string, number>();')).toHaveLength(1);
    expect(mutableState('const seen: number[] = [];')).toHaveLength(1);
    expect(mutableState('const LIMIT = 4;\nconst WORDS = Object.freeze(["a"]);')).toEqual([]);
    expect(mutableState("const NAMES: readonly string[] = ['a'];\nconst KINDS = ['a'] as const;")).toEqual(
      [],
    );
    expect(mutableState("const STOP: ReadonlySet<string> = new Set(['a']);")).toEqual([]);
    expect(mutableState('function f() {\n  let x = 1;\n  const m = new Map();\n}')).toEqual([]);
  });

  it('holds for every domain file but the known ones', () => {
    const offenders = tsFiles(DOMAIN)
      .map((file) => relative(DOMAIN, file))
      .filter((file) => mutableState(readFileSync(join(DOMAIN, file), 'utf8')).length > 0);
    expect(offenders.filter((file) => KNOWN[file] === undefined)).toEqual([]);
    // The list only shrinks: an entry that no longer offends must go.
    expect(Object.keys(KNOWN).filter((file) => !offenders.includes(file))).toEqual([]);
  });
});
