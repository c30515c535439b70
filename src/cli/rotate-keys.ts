// `npm run keys:rotate`: re-encrypts every stored Slack token and installation under the first (newest)
// key of ENCRYPTION_KEY. Rotation: put the new key first (`ENCRYPTION_KEY=k2:<new>,k1:<old>`), restart
// Weave (it reads both), run this, then drop the old key. Safe to run again; prints one JSON line.
import { pathToFileURL } from 'node:url';
import type { EncryptionKey } from '../config/config.ts';
import { formatConfigProblems } from '../config/config.ts';
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../observability/logger.ts';
import { SecretBox } from '../persistence/crypto.ts';
import type { Prisma } from '../persistence/database.ts';
import { openDatabase } from '../persistence/database.ts';
import { createInstallationRepository } from '../persistence/repositories/installations.ts';

/** Re-encrypts every installation under `keys[0]`; every key that wrote a stored value must be listed. */
export async function rotateKeys(prisma: Prisma, keys: EncryptionKey[]) {
  const box = new SecretBox(keys);
  const installations = createInstallationRepository(prisma, box, () => new Date());
  const r = await installations.reencryptAll();
  return { keyId: box.currentKeyId, ...r };
}

async function main(): Promise<number> {
  const loaded = loadConfig();
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigProblems(loaded.problems)}\n`);
    return 2;
  }
  const { config } = loaded;
  if (config.encryptionKeys.length === 0) {
    process.stderr.write('keys:rotate: ENCRYPTION_KEY is not set: there is nothing encrypted to rotate\n');
    return 2;
  }
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase(config.database, log);
  try {
    const result = await rotateKeys(db.prisma, config.encryptionKeys);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`keys:rotate: ${message.split('\n')[0]}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().then((code) => {
    process.exitCode = code;
  });
}
