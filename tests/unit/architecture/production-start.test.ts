import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Production starts Weave two ways, `npm start` and the Docker image: both run compiled JavaScript on
// plain node with the same flags (the heap ceiling that keeps V8 from growing the heap towards 4 GB on a
// big machine before collecting), and bench:round's replicas take their flags from `npm start`.
const ROOT = join(import.meta.dirname, '../../..');
const startScript = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;
const dockerCmd = /^CMD (\[.*\])\s*$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];

describe('how production starts Weave', () => {
  it('npm start runs compiled JavaScript on node, no tsx and no prisma generate, with a heap ceiling', () => {
    const words = startScript.split(/\s+/);
    expect(words[0]).toBe('node');
    expect(words.at(-1)).toBe('dist/main.js');
    expect(startScript).not.toMatch(/tsx|prisma/);
    const ceiling = words.find((w) => w.startsWith('--max-old-space-size='));
    expect(Number(ceiling?.split('=')[1])).toBeGreaterThanOrEqual(512);
  });

  it('the Docker image runs the same command as npm start', () => {
    expect(dockerCmd).toBeDefined();
    expect((JSON.parse(dockerCmd as string) as string[]).join(' ')).toBe(startScript);
  });
});
