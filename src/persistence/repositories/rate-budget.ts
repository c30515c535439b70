import type { RateBudgetStore } from '../../services/ports.ts';
import type { Prisma } from '../database.ts';

const NOW_MS = `floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT`;

/** Rate budgets in the RateBudget table (see the 20261204190500_rate_budget and
 * 20261205170000_rate_budget_in_flight migrations). */
export function createRateBudgetRepository(prisma: Prisma): RateBudgetStore {
  return {
    async reserve(workspaceId, method, limit, windowMs, inFlightWindowMs) {
      const rows = await prisma.$queryRaw<Array<{ start_ms: bigint | number; now_ms: bigint | number }>>`
        SELECT start_ms, now_ms FROM weave_rate_take(${workspaceId}, ${method},
          CAST(${Math.max(1, Math.floor(limit))} AS INTEGER), CAST(${Math.ceil(windowMs)} AS BIGINT),
          CAST(${Math.ceil(inFlightWindowMs)} AS BIGINT))`;
      const row = rows[0];
      if (!row) throw new Error(`weave_rate_take returned nothing for ${workspaceId}/${method}`);
      return { startMs: Number(row.start_ms), nowMs: Number(row.now_ms) };
    },

    async complete(workspaceId, method, startMs) {
      // That call's entry moves to now (never earlier than its start): counting a call late only makes the
      // next ones wait a little longer, never less.
      await prisma.$executeRaw`SELECT weave_rate_done(${workspaceId}, ${method}, CAST(${String(startMs)} AS BIGINT))`;
    },

    async block(workspaceId, method, retryAfterMs) {
      await prisma.$executeRawUnsafe(
        `INSERT INTO "RateBudget" ("workspaceId", "method", "blockedUntil")
              VALUES ($1, $2, ${NOW_MS} + $3::BIGINT)
         ON CONFLICT ("workspaceId", "method")
         DO UPDATE SET "blockedUntil" = GREATEST("RateBudget"."blockedUntil", EXCLUDED."blockedUntil")`,
        workspaceId,
        method,
        String(Math.ceil(retryAfterMs)),
      );
    },
  };
}
