import type { NewRound } from '../../services/ports.ts';
import type { RoundRepository } from '../../services/rounds.ts';
import type { Prisma } from '../database.ts';
import { promptRow } from './prompts.ts';

/**
 * Rows per multi-row INSERT. PostgreSQL takes at most 65,535 bind parameters a statement; the widest
 * row here (a prompt) has 7, so 2,000 rows stay well under it while keeping a 10,000-person round to a
 * dozen statements.
 */
export const ROUND_BATCH_ROWS = 2000;

function* batches<T>(rows: T[], size = ROUND_BATCH_ROWS): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Rounds in bulk: a 5,000-group round is about a dozen statements in one short transaction. */
export function createRoundRepository(prisma: Prisma): RoundRepository {
  return {
    async joinProgram(workspaceId, programId, userIds, at) {
      await prisma.programMember.createMany({
        data: userIds.map((userId) => ({ workspaceId, programId, userId, joinedAt: at })),
        skipDuplicates: true,
      });
    },

    async joinedAt(programId, userIds) {
      const joined = await prisma.programMember.findMany({
        where: { programId, userId: { in: userIds } },
      });
      return new Map(joined.map((j) => [j.userId, j.joinedAt]));
    },

    latestRounds: (programId, take) =>
      prisma.round.findMany({
        where: { programId },
        orderBy: { number: 'desc' },
        take,
        select: { id: true, number: true },
      }),

    async groupsOfRounds(workspaceId, roundIds) {
      const groups = await prisma.group.findMany({
        where: { workspaceId, roundId: { in: roundIds } },
        select: { roundId: true, members: { select: { userId: true } } },
      });
      return groups.map((g) => ({ roundId: g.roundId, userIds: g.members.map((m) => m.userId) }));
    },

    async hasRound(programId, periodKey) {
      const existing = await prisma.round.findUnique({
        where: { programId_periodKey: { programId, periodKey } },
      });
      return existing !== null;
    },

    async lastPeriodKey(programId) {
      const last = await prisma.round.findFirst({
        where: { programId },
        orderBy: { createdAt: 'desc' },
        select: { periodKey: true },
      });
      return last?.periodKey ?? null;
    },

    activePrograms: () =>
      prisma.program.findMany({ where: { active: true, workspace: { uninstalledAt: null } } }),

    async create(round: NewRound) {
      try {
        await prisma.$transaction(
          async (tx) => {
            const id = round.id;
            // Rows of one multi-row insert would share a creation time: a millisecond apart instead, so
            // groups and prompts keep the plan's order wherever they are listed or claimed by creation.
            const base = Date.now();
            // First, so a second replica planning the same period fails here (unique program + period)
            // before writing anything else.
            await tx.round.create({
              data: {
                id,
                workspaceId: round.workspaceId,
                programId: round.programId,
                periodKey: round.periodKey,
                number: round.number,
                seed: round.seed,
                status: 'delivering',
                stats: round.stats as object,
                unmatched: round.unmatched,
              },
            });
            const groupAt = new Map(round.groups.map((g, i) => [g.id, new Date(base + i)]));
            for (const part of batches(round.groups)) {
              await tx.group.createMany({
                data: part.map((g) => ({
                  createdAt: groupAt.get(g.id) ?? new Date(base),
                  id: g.id,
                  workspaceId: round.workspaceId,
                  roundId: id,
                  kind: 'round',
                  reasons: g.reasons,
                })),
              });
            }
            const members = round.groups.flatMap((g) =>
              g.members.map((userId) => ({ workspaceId: round.workspaceId, groupId: g.id, userId })),
            );
            for (const part of batches(members)) await tx.groupMember.createMany({ data: part });
            const promptAt = new Map(round.prompts.map((p, i) => [p.key, new Date(base + i)]));
            for (const part of batches(round.prompts)) {
              await tx.prompt.createMany({
                data: part.map((p) => ({
                  ...promptRow(p),
                  createdAt: promptAt.get(p.key) ?? new Date(base),
                })),
                skipDuplicates: true,
              });
            }
          },
          // Generous for a slow shared machine; the work itself is a dozen statements.
          { timeout: 60_000, maxWait: 30_000 },
        );
        return 'created';
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return 'exists';
        throw error;
      }
    },
  };
}
