import type { App as BoltApp } from '@slack/bolt';
import type { Config } from './config/config.ts';
import { healthRoutes } from './observability/health.ts';
import { InflightTracker } from './observability/inflight.ts';
import type { Logger } from './observability/logger.ts';
import { type Database, openDatabase } from './persistence/database.ts';
import { createEventRepository } from './persistence/repositories/events.ts';
import { createGiveRepository } from './persistence/repositories/gives.ts';
import { createPromptRepository } from './persistence/repositories/prompts.ts';
import { createWorkspaceRepository } from './persistence/repositories/workspaces.ts';
import { createJobs } from './scheduler/jobs.ts';
import { createScheduler, type Scheduler } from './scheduler/runner.ts';
import { createGiveDeliveryHandlers, createRoundDeliveryHandlers } from './services/deliveries.ts';
import { createGiveService } from './services/gives.ts';
import { createHomeService } from './services/home.ts';
import { createIntroCommandService } from './services/intro-command.ts';
import { createLifecycleService } from './services/lifecycle.ts';
import { createMemberService } from './services/members.ts';
import { createMembershipService } from './services/membership.ts';
import { createOutbox, type Outbox } from './services/outbox.ts';
import { type Clock, type SlackGateway, systemClock } from './services/ports.ts';
import { createProgramService } from './services/programs.ts';
import { createRoundService, type RoundService } from './services/rounds.ts';
import { createSlackApp } from './slack/bolt-app.ts';
import { createSlackGateway } from './slack/gateway.ts';
import { DEFAULT_RATE_LIMITS, Pacer } from './slack/pacer.ts';

/** The running application: what main.ts and the integration tests hold on to. */
export interface Weave {
  bolt: BoltApp;
  db: Database;
  inflight: InflightTracker;
  scheduler: Scheduler;
  outbox: Outbox;
  rounds: RoundService;
  slack: SlackGateway;
  /** Starts serving; resolves with the HTTP port actually bound (PORT=0 picks a free one). */
  start(): Promise<{ port: number }>;
  /** Stops accepting work, waits for in-flight work (up to `drainMs`), closes the database. */
  stop(drainMs?: number): Promise<void>;
}

export interface WeaveOverrides {
  /** Lets tests share one database between app instances. */
  db?: Database;
  clock?: Clock;
  /** Requests per minute per Slack method (benchmarks scale these). */
  rateLimits?: Record<string, number>;
  /** Don't start the scheduler's timer (tests drive jobs directly). */
  manualScheduler?: boolean;
  workerId?: string;
}

/** Composition root: builds every dependency once and wires them together. */
export async function createWeave(
  config: Config,
  log: Logger,
  overrides: WeaveOverrides = {},
): Promise<Weave> {
  const db = overrides.db ?? (await openDatabase(config.database, log));
  const prisma = db.prisma;
  const clock = overrides.clock ?? systemClock;
  const inflight = new InflightTracker();
  const workspaces = createWorkspaceRepository(prisma);
  const events = createEventRepository(prisma);
  const prompts = createPromptRepository(prisma);
  let stopping = false;

  const tokenFor = async (_workspaceId: string) =>
    config.auth.kind === 'single' ? config.auth.botToken : null;
  const slack = createSlackGateway({
    tokenFor,
    log,
    pacer: new Pacer(overrides.rateLimits ?? DEFAULT_RATE_LIMITS),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  });
  const botIds = new Map<string, string>();
  const botUserId = async (workspaceId: string) => {
    const known = botIds.get(workspaceId);
    if (known) return known;
    const r = await slack.identity(workspaceId);
    if (!r.ok) return null;
    botIds.set(workspaceId, r.botUserId);
    return r.botUserId;
  };

  const members = createMemberService({ prisma, slack, log, clock });
  const programs = createProgramService({ prisma, slack, log, clock });
  const home = createHomeService({ prisma, members, slack, clock, log });
  const lifecycle = createLifecycleService({
    prisma,
    log,
    clock,
    onUninstalled: (id) => workspaces.forgetCache(id),
  });
  let scheduler: Scheduler | null = null;
  const rounds = createRoundService({
    prisma,
    slack,
    members,
    prompts,
    log,
    clock,
    botUserId,
    onScheduled: () => scheduler?.wake('deliver'),
  });
  const outbox = createOutbox({
    prompts,
    handlers: {
      ...createRoundDeliveryHandlers({ prisma, slack, log, clock }),
      ...createGiveDeliveryHandlers({ prisma, slack }),
    },
    log,
    clock,
    leaseMs: config.outboxLeaseMs,
    ...(overrides.workerId ? { workerId: overrides.workerId } : {}),
  });
  scheduler = createScheduler({
    jobs: createJobs({ rounds, outbox, events, lifecycle }),
    log,
    clock,
    tickMs: config.schedulerTickMs,
  });
  const activeScheduler = scheduler;

  const bolt = createSlackApp({
    config,
    log,
    inflight,
    routes: healthRoutes({ dbReachable: () => db.ping(), stopping: () => stopping }),
    listenerDeps: {
      log,
      services: {
        introCommand: createIntroCommandService({
          prisma,
          programs,
          rounds,
          members,
          log,
          clock,
          adminIds: config.adminIds,
        }),
        gives: createGiveService({
          prisma,
          gives: createGiveRepository(prisma),
          members,
          workspaces,
          prompts,
          slack,
          log,
          clock,
          botUserId,
          onScheduled: () => scheduler?.wake('deliver'),
        }),
        home,
        lifecycle,
        membership: createMembershipService({
          prisma,
          slack,
          programs,
          members,
          prompts,
          log,
          clock,
          botUserId,
          onScheduled: () => scheduler?.wake('deliver'),
        }),
      },
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
    scheduler: activeScheduler,
    outbox,
    rounds,
    slack,
    async start() {
      const server = (await bolt.start(config.port)) as { address?: () => unknown } | undefined;
      const address = typeof server?.address === 'function' ? server.address() : null;
      const port =
        address && typeof address === 'object' && 'port' in address ? Number(address.port) : config.port;
      if (!overrides.manualScheduler) activeScheduler.start();
      log.info({ mode: config.mode, port, database: db.kind }, 'Weave is running');
      return { port };
    },
    async stop(drainMs = 8000) {
      stopping = true;
      await bolt.stop();
      await activeScheduler.stop();
      const drained = await inflight.drain(drainMs);
      if (!drained) log.warn({ inflight: inflight.size }, 'stopping with work still in flight');
      if (!overrides.db) await db.close();
    },
  };
}
