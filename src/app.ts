import type { App as BoltApp } from '@slack/bolt';
import type { Config } from './config/config.ts';
import { healthRoutes } from './observability/health.ts';
import { InflightTracker } from './observability/inflight.ts';
import type { Logger } from './observability/logger.ts';
import { type Database, openDatabase } from './persistence/database.ts';
import { createEventRepository } from './persistence/repositories/events.ts';
import { createWorkspaceRepository } from './persistence/repositories/workspaces.ts';
import { createGiveService } from './services/gives.ts';
import { createIntroCommandService } from './services/intro-command.ts';
import { createSlackApp } from './slack/bolt-app.ts';

/** The running application: what main.ts and the integration tests hold on to. */
export interface Weave {
  bolt: BoltApp;
  db: Database;
  inflight: InflightTracker;
  start(): Promise<void>;
  /** Stops accepting work, waits for in-flight work (up to `drainMs`), closes the database. */
  stop(drainMs?: number): Promise<void>;
}

export interface WeaveOverrides {
  /** Lets tests share one database between app instances. */
  db?: Database;
}

/** Composition root: builds every dependency once and wires them together. */
export async function createWeave(
  config: Config,
  log: Logger,
  overrides: WeaveOverrides = {},
): Promise<Weave> {
  const db = overrides.db ?? (await openDatabase(config.database, log));
  const inflight = new InflightTracker();
  const workspaces = createWorkspaceRepository(db.prisma);
  const events = createEventRepository(db.prisma);
  let stopping = false;

  const bolt = createSlackApp({
    config,
    log,
    inflight,
    routes: healthRoutes({ dbReachable: () => db.ping(), stopping: () => stopping }),
    listenerDeps: {
      log,
      services: { introCommand: createIntroCommandService(), gives: createGiveService() },
    },
    beforeListeners: async (body, teamId) => {
      if (!teamId) return 'continue';
      await workspaces.ensure(teamId, (body.enterprise_id as string | undefined) ?? null);
      const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
      if (eventId && (await events.seen(teamId, eventId))) return 'skip';
      return 'continue';
    },
    afterListeners: async (body, teamId) => {
      const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
      if (teamId && eventId) await events.markSeen(teamId, eventId);
    },
  });

  return {
    bolt,
    db,
    inflight,
    async start() {
      await bolt.start(config.port);
      log.info({ mode: config.mode, port: config.port, database: db.kind }, 'Weave is running');
    },
    async stop(drainMs = 8000) {
      stopping = true;
      await bolt.stop();
      const drained = await inflight.drain(drainMs);
      if (!drained) log.warn({ inflight: inflight.size }, 'stopping with work still in flight');
      if (!overrides.db) await db.close();
    },
  };
}
