import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides. Never a downloaded browser. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string)) ?? null;
}

export interface ChromiumRun {
  /** What --dump-dom printed: the DOM after load. */
  dom: string;
  /** Messages the page logged or caused (console calls, CSP refusals, failed loads). */
  consoleMessages: string[];
  stderr: string;
}

/**
 * Loads `url` in headless Chromium once: dumps the DOM and, when asked, saves a screenshot. A fresh profile
 * each time, no network beyond the page, no sandbox (tests run as root in containers).
 */
export async function loadInChromium(
  chromium: string,
  url: string,
  opts: { screenshot?: string; windowSize?: [number, number] } = {},
): Promise<ChromiumRun> {
  const profile = await mkdtemp(join(tmpdir(), 'weave-chromium-'));
  const [w, h] = opts.windowSize ?? [1280, 1800];
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    `--window-size=${w},${h}`,
    '--enable-logging=stderr',
    '--v=0',
    ...(opts.screenshot ? [`--screenshot=${opts.screenshot}`] : ['--dump-dom']),
    url,
  ];
  try {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(chromium, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr }));
        else resolve({ stdout, stderr });
      });
    });
    // Chromium logs every console message of the page as `…:INFO:CONSOLE:<line>] "<message>", source: …`.
    const consoleMessages = stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
    return { dom: stdout, consoleMessages, stderr };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
