import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Node's flags as production runs Weave (`npm start`, and the Docker image, which a unit test holds to the
 * same command): the heap ceiling among them. Benchmarks that measure a process's memory start it so.
 */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}
