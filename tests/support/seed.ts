import { createLogger } from '../../src/observability/logger.ts';
import { openDatabase } from '../../src/persistence/database.ts';
import type { TestDatabase } from './database.ts';
import { PAIRS_CHANNEL_ID, TEAM_ID } from './fake-workspace.ts';

/**
 * Creates the workspace and a #coffee program whose current round is already due (anchored 8 days
 * ago), then closes the database so a separate process can open it (PGlite allows one at a time).
 */
export async function seedDueProgram(db: TestDatabase, now = new Date()): Promise<void> {
  const opened = await openDatabase(db.config, createLogger('silent'));
  try {
    await opened.prisma.workspace.create({ data: { id: TEAM_ID, name: 'Acme' } });
    await opened.prisma.program.create({
      data: {
        workspaceId: TEAM_ID,
        channelId: PAIRS_CHANNEL_ID,
        tz: 'UTC',
        weekday: 1,
        hour: 0,
        anchor: new Date(now.getTime() - 8 * 86_400_000),
      },
    });
  } finally {
    await opened.close();
  }
}

/** Reads rows after the processes are gone. */
export async function countRows(
  db: TestDatabase,
): Promise<{ rounds: number; groups: number; delivered: number }> {
  const opened = await openDatabase(db.config, createLogger('silent'));
  try {
    return {
      rounds: await opened.prisma.round.count(),
      groups: await opened.prisma.group.count(),
      delivered: await opened.prisma.group.count({ where: { deliveredAt: { not: null } } }),
    };
  } finally {
    await opened.close();
  }
}
