import { randomUUID } from 'node:crypto';
import type { NewRound } from '../../services/ports.ts';
import type { RoundRepository } from '../../services/rounds.ts';
import type { Prisma, Sql } from '../database.ts';
import { insertRows, isUniqueViolation } from './bulk-insert.ts';
import { promptRow } from './prompts.ts';

/**
 * Rounds in bulk: a 5,000-group round is a handful of multi-row statements on the driver's plain SQL
 * (bulk-insert.ts), in one short transaction.
 */
export function createRoundRepository(prisma: Prisma, sql: Sql): RoundRepository {
  return {
    async joinProgram(workspaceId, programId, userIds, at) {
      await insertRows(
        sql,
        'ProgramMember',
        userIds.map((userId) => ({ workspaceId, programId, userId, joinedAt: at })),
        { onConflict: 'ON CONFLICT DO NOTHING' },
      );
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
        await sql.transaction(async (tx) => {
          const id = round.id;
          // Rows of one multi-row insert would share a creation time: a millisecond apart instead, so
          // groups and prompts keep the plan's order wherever they are listed or claimed by creation.
          const base = Date.now();
          // First, so a second replica planning the same period fails here (unique program + period)
          // before writing anything else.
          await insertRows(
            tx,
            'Round',
            [
              {
                id,
                workspaceId: round.workspaceId,
                programId: round.programId,
                periodKey: round.periodKey,
                number: round.number,
                seed: round.seed,
                status: 'delivering',
                stats: round.stats,
                unmatched: round.unmatched,
              },
            ],
            { jsonColumns: ['stats'] },
          );
          await insertRows(
            tx,
            'Group',
            round.groups.map((g, i) => ({
              id: g.id,
              workspaceId: round.workspaceId,
              roundId: id,
              kind: 'round',
              reasons: g.reasons,
              createdAt: new Date(base + i),
            })),
            { jsonColumns: ['reasons'] },
          );
          await insertRows(
            tx,
            'GroupMember',
            round.groups.flatMap((g) =>
              g.members.map((userId) => ({ workspaceId: round.workspaceId, groupId: g.id, userId })),
            ),
          );
          await insertRows(
            tx,
            'Prompt',
            round.prompts.map((p, i) => ({
              id: randomUUID(),
              ...promptRow(p),
              createdAt: new Date(base + i),
            })),
            { jsonColumns: ['payload'], onConflict: 'ON CONFLICT ("workspaceId", key) DO NOTHING' },
          );
        });
        return 'created';
      } catch (error) {
        // A second replica's attempt at the same program and period: the round's unique key.
        if (isUniqueViolation(error)) return 'exists';
        throw error;
      }
    },
  };
}
