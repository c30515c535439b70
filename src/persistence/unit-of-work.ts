// The UnitOfWork port (src/services/ports.ts) on Prisma: the repository factory is called with the
// transaction's client, so every call `fn` makes through it runs in that one transaction.
import type { UnitOfWork } from '../services/ports.ts';
import type { Prisma, TransactionClient } from './database.ts';

export function unitOfWork<R>(
  prisma: Prisma,
  make: (db: TransactionClient) => R,
  options: { timeoutMs?: number } = {},
): UnitOfWork<R> {
  return {
    run: (fn) =>
      prisma.$transaction((tx) => fn(make(tx)), {
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      }),
  };
}
