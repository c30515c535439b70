import type { App as BoltApp } from '@slack/bolt';
import type { Config } from './config/config.ts';
import { cachedCheck, healthRoutes } from './observability/health.ts';
import { InflightTracker } from './observability/inflight.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, metricsRoutes } from './observability/metrics.ts';
import { SecretBox } from './persistence/crypto.ts';
import { type Database, openDatabase } from './persistence/database.ts';
import { createDashboardAccessRepository } from './persistence/repositories/dashboard-access.ts';
import { createDeliveryRepository } from './persistence/repositories/deliveries.ts';
import { createDigestRepository } from './persistence/repositories/digest.ts';
import { createEventRepository } from './persistence/repositories/events.ts';
import { createFollowUpRepository } from './persistence/repositories/followups.ts';
import { createGiveRepository } from './persistence/repositories/gives.ts';
import { createHomeRepository } from './persistence/repositories/home.ts';
import { createInboxRepository } from './persistence/repositories/inbox.ts';
import { createInstallationRepository } from './persistence/repositories/installations.ts';
import { createIntroCommandRepository } from './persistence/repositories/intro-command.ts';
import { createIntroRepository } from './persistence/repositories/intros.ts';
import { createMeetingRepository } from './persistence/repositories/meetings.ts';
import { createMemberRepository } from './persistence/repositories/members.ts';
import { createPrivacyRepository } from './persistence/repositories/privacy.ts';
import { createProfileRepository } from './persistence/repositories/profile.ts';
import { createProgramRepository } from './persistence/repositories/programs.ts';
import { createPromptRepository } from './persistence/repositories/prompts.ts';
import { createRateBudgetRepository } from './persistence/repositories/rate-budget.ts';
import { createRecapRepository } from './persistence/repositories/recap.ts';
import { createRoundRepository } from './persistence/repositories/rounds.ts';
import { createStatsRepository } from './persistence/repositories/stats.ts';
import { createWorkspaceLifecycleRepository } from './persistence/repositories/workspace-lifecycle.ts';
import { createWorkspaceRepository } from './persistence/repositories/workspaces.ts';
import { unitOfWork } from './persistence/unit-of-work.ts';
import { createJobs } from './scheduler/jobs.ts';
import { createScheduler, type Scheduler } from './scheduler/runner.ts';
import { createAdminCheck, createAdminSettingsService } from './services/admin-settings.ts';
import { createDashboardAccess } from './services/dashboard-access.ts';
import { createChannelDepartments, createDepartmentsService } from './services/departments.ts';
import { createDigestService } from './services/digest.ts';
import { createFollowUpService } from './services/followups.ts';
import { createGiveNoticeHandlers } from './services/give-notices.ts';
import { createGiveService } from './services/gives.ts';
import { createHomeService } from './services/home.ts';
import { createInbox, type Inbox } from './services/inbox.ts';
import { createIntroCommandService } from './services/intro-command.ts';
import { createIntroService } from './services/intros.ts';
import { createLifecycleService } from './services/lifecycle.ts';
import { createMeetingService } from './services/meetings.ts';
import { createMemberService } from './services/members.ts';
import { createMembershipService } from './services/membership.ts';
import { createPromptOutbox, type Outbox } from './services/outbox.ts';
import { type Clock, type SlackGateway, systemClock } from './services/ports.ts';
import { createPrivacyDeliveryHandlers, createPrivacyService } from './services/privacy.ts';
import { createProfileService } from './services/profile.ts';
import { createProgramService } from './services/programs.ts';
import { createRecapService } from './services/recap.ts';
import { createRoundService, type RoundService } from './services/rounds.ts';
import { createStatsService, type StatsService } from './services/stats.ts';
import { createSlackApp, replayStoredInput } from './slack/bolt-app.ts';
import { createDigestDeliveryHandlers } from './slack/deliveries/digest.ts';
import { createFollowUpDeliveryHandlers } from './slack/deliveries/followups.ts';
import { createGiveDeliveryHandlers } from './slack/deliveries/gives.ts';
import { createIntroDeliveryHandlers } from './slack/deliveries/intros.ts';
import { createMeetingDeliveryHandlers } from './slack/deliveries/meetings.ts';
import { createRecapDeliveryHandlers } from './slack/deliveries/recap.ts';
import { createRoundDeliveryHandlers } from './slack/deliveries/rounds.ts';
import { createSlackGateway } from './slack/gateway.ts';
import { createHomePublisher } from './slack/home-publisher.ts';
import { createIntroCommandHandler } from './slack/listeners/commands/intro-command.ts';
import { defaultRateLimits, Pacer, type RateGate } from './slack/pacer.ts';
import { createProfileModalOpener } from './slack/profile-modal.ts';
import { SharedPacer } from './slack/shared-pacer.ts';
import { createThankYouModalOpener } from './slack/thank-you-modal.ts';
import { buildExportMessages } from './slack/views/privacy.ts';
import { buildSettingsModal, buildSettingsOpenReply } from './slack/views/settings-modal.ts';
import { calendarRoutes } from './web/calendar-routes.ts';
import { calendarUrl, dashboardKeySource, dashboardUrl, deriveDashboardKey } from './web/link.ts';
import { dashboardRoutes } from './web/routes.ts';

/** The running application: what main.ts and the integration tests hold on to. */
/** Inbox inserts at once on PostgreSQL (the pool has 10 connections; the workers need some). */
const INBOX_PARALLEL_INSERTS_PG = 4;

export interface Weave {
  bolt: BoltApp;
  db: Database;
  inflight: InflightTracker;
  scheduler: Scheduler;
  outbox: Outbox;
  /** Slack inputs stored before their ack and processed after. */
  inbox: Inbox;
  rounds: RoundService;
  slack: SlackGateway;
  /** Network figures (read-only; tests read the raw matrix through it). */
  stats: StatsService;
  /** Starts serving; resolves with the HTTP port actually bound (PORT=0 picks a free one). */
  start(): Promise<{ port: number }>;
  /** Stops accepting work, waits for in-flight work (up to `drainMs`), closes the database. */
  stop(drainMs?: number): Promise<void>;
}

export interface WeaveOverrides {
  /** Lets tests share one database between app instances. */
  db?: Database;
  clock?: Clock;
  /** Requests per minute per Slack method. */
  rateLimits?: Record<string, number>;
  /** The length of Slack's rate-limit window (a minute; benchmarks shrink it). */
  rateWindowMs?: number;
  /** Where Slack's rate budget lives (default: the config's SLACK_RATE_BUDGET, `local` unless set). */
  rateBudget?: 'shared' | 'local';
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
  const metrics = createMetrics();
  const workspaces = createWorkspaceRepository(prisma);
  const events = createEventRepository(prisma);
  const prompts = createPromptRepository(prisma, db.sql);
  const inboxRepo = createInboxRepository(
    prisma,
    db.kind === 'postgres' ? INBOX_PARALLEL_INSERTS_PG : 1,
    db.sql,
  );
  let stopping = false;
  let started = false;

  // Single workspace: the configured token. OAuth: each workspace's installation, decrypted on use.
  const installations =
    config.auth.kind === 'oauth'
      ? createInstallationRepository(prisma, new SecretBox(config.encryptionKeys), () => clock.now())
      : null;
  if (installations) await installations.verifyKey();
  const singleToken = config.auth.kind === 'single' ? config.auth.botToken : null;
  const tokenFor = async (workspaceId: string) =>
    installations ? installations.tokenFor(workspaceId) : singleToken;
  const rateLimits = overrides.rateLimits ?? defaultRateLimits({ distributedApp: config.distributedApp });
  const pacer: RateGate =
    (overrides.rateBudget ?? config.rateBudget) === 'shared'
      ? new SharedPacer(createRateBudgetRepository(prisma), rateLimits, log, overrides.rateWindowMs)
      : new Pacer(rateLimits, undefined, undefined, overrides.rateWindowMs);
  const slack = createSlackGateway({
    tokenFor,
    log,
    pacer,
    metrics,
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  });
  // auth.test, once per token: the bot's user id, and in single-token mode the one workspace it serves.
  const identities = new Map<string, { botUserId: string; teamId: string; enterpriseId: string | null }>();
  const identity = async (workspaceId: string) => {
    const key = installations ? workspaceId : 'single-token';
    const known = identities.get(key);
    if (known) return known;
    const r = await slack.identity(workspaceId);
    if (!r.ok) return null;
    const found = { botUserId: r.botUserId, teamId: r.teamId, enterpriseId: r.enterpriseId };
    identities.set(key, found);
    return found;
  };
  const botUserId = async (workspaceId: string) => (await identity(workspaceId))?.botUserId ?? null;
  const installedTeam = async (teamId: string) => (installations ? null : identity(teamId));
  /** One bot token serves one workspace (or one Enterprise Grid org); OAuth serves what is installed. */
  const foreignTeam = async (teamId: string) => {
    const home = await installedTeam(teamId);
    return Boolean(home?.teamId && teamId !== home.teamId && teamId !== home.enterpriseId);
  };

  const memberRepo = createMemberRepository(prisma, db.sql);
  const members = createMemberService({ repo: memberRepo, slack, log, clock });
  const programRepo = createProgramRepository(prisma);
  const programs = createProgramService({ repo: programRepo, slack, log, clock });
  const stats = createStatsService({
    stats: createStatsRepository(prisma),
    clock,
    adminIds: config.adminIds,
  });
  const dashboardKey = deriveDashboardKey(dashboardKeySource(config));
  let scheduler: Scheduler | null = null;
  const wakeDelivery = () => scheduler?.wake('deliver');
  const meetings = createMeetingService({
    meetings: createMeetingRepository(prisma, prompts),
    clock,
    log,
    onScheduled: wakeDelivery,
  });
  const home = createHomeService({
    meetings,
    homes: createHomeRepository(prisma),
    publisher: createHomePublisher(slack, log),
    members,
    clock,
    log,
    admin: {
      stats,
      dashboardUrl: (workspaceId, userId) =>
        dashboardUrl(config.publicUrl, dashboardKey, { workspaceId, userId }, clock.now()),
    },
  });
  const lifecycle = createLifecycleService({
    repo: createWorkspaceLifecycleRepository(prisma),
    log,
    clock,
    onUninstalled: (id) => workspaces.forgetCache(id),
  });
  const giveRepository = createGiveRepository(prisma, db.sql);
  const introCommandRepo = createIntroCommandRepository(prisma);
  const gives = createGiveService({
    gives: giveRepository,
    names: introCommandRepo,
    workspaces,
    prompts,
    log,
    clock,
    botUserId,
    onScheduled: wakeDelivery,
  });
  const followups = createFollowUpService({
    followups: createFollowUpRepository(prisma, prompts),
    prompts,
    thankYouModal: createThankYouModalOpener(slack),
    members,
    gives,
    workspaces,
    log,
    clock,
    onScheduled: wakeDelivery,
  });
  const rounds = createRoundService({
    exclusive: db.exclusive,
    slack,
    members,
    store: createRoundRepository(prisma, db.sql),
    log,
    clock,
    botUserId,
    onScheduled: wakeDelivery,
    excludeQuiet: (workspaceId, userIds) => followups.pauseGhosts(workspaceId, userIds),
    departmentPairWeights: (workspaceId, now) => stats.departmentPairWeights(workspaceId, now),
  });
  const intros = createIntroService({
    intros: createIntroRepository(prisma),
    unitOfWork: unitOfWork(prisma, createIntroRepository),
    members,
    slack,
    log,
    clock,
    onScheduled: wakeDelivery,
  });
  const profile = createProfileService({
    profiles: createProfileRepository(prisma),
    members,
    home,
    meetings,
    modal: createProfileModalOpener(slack),
    clock,
    log,
  });
  const privacyRepo = createPrivacyRepository(prisma);
  const privacy = createPrivacyService({
    privacy: privacyRepo,
    exportMessages: buildExportMessages,
    prompts,
    workspaces,
    log,
    clock,
    onScheduled: wakeDelivery,
  });
  const isAdmin = createAdminCheck({ members, workspaces, adminIds: config.adminIds });
  const adminSettings = createAdminSettingsService({
    programs,
    programRepo,
    members,
    workspaces,
    prompts,
    slack,
    isAdmin,
    present: { settingsModal: buildSettingsModal, openReply: buildSettingsOpenReply },
    log,
    clock,
    onScheduled: wakeDelivery,
  });
  const departments = createDepartmentsService({
    repo: memberRepo,
    slack,
    members,
    workspaces,
    isAdmin,
    log,
  });
  const recap = createRecapService({
    recaps: createRecapRepository(prisma),
    prompts,
    stats,
    log,
    onScheduled: wakeDelivery,
  });
  const digest = createDigestService({
    digests: createDigestRepository(prisma, prompts),
    workspaces,
    slack,
    log,
    onScheduled: wakeDelivery,
  });
  const deliveries = createDeliveryRepository(prisma);
  // A handler for every kind of notification (the compiler checks none is missing); each claimed prompt's
  // payload is parsed as its kind's before the handler runs.
  const outbox = createPromptOutbox({
    prompts,
    handlers: {
      ...createRoundDeliveryHandlers({
        deliveries,
        slack,
        log,
        clock,
        channelDepartments: createChannelDepartments({ members: memberRepo, slack }),
        meetingOffer: meetings.offerOf,
        onGroupDelivered: async (group, memberRows, at, plannedCheckIn) =>
          followups.scheduleCheckIn(
            group.workspaceId,
            group.id,
            await followups.checkInTimeFor(group, at, plannedCheckIn),
            memberRows,
          ),
      }),
      ...createFollowUpDeliveryHandlers({ slack, followups, clock }),
      ...createGiveDeliveryHandlers({ deliveries, slack }),
      ...createGiveNoticeHandlers({ gives: giveRepository, slack, members, log }),
      ...createIntroDeliveryHandlers({
        deliveries,
        slack,
        log,
        clock,
        meetingOffer: meetings.offerFor,
        onGroupDelivered: async (group, at) =>
          followups.scheduleCheckIn(group.workspaceId, group.id, await followups.checkInTimeFor(group, at)),
      }),
      ...createPrivacyDeliveryHandlers({ privacy: privacyRepo, slack }),
      ...createMeetingDeliveryHandlers({
        meetings,
        slack,
        calendarUrl: (workspaceId, groupId, meetingAt) =>
          calendarUrl(config.publicUrl, dashboardKey, { workspaceId, groupId, meetingAt }),
      }),
      ...createRecapDeliveryHandlers({ recap, slack }),
      ...createDigestDeliveryHandlers({ digest, slack, log }),
    },
    log,
    clock,
    leaseMs: config.outboxLeaseMs,
    ...(overrides.workerId ? { workerId: overrides.workerId } : {}),
  });
  // Slack inputs stored before their ack, replayed through the listeners by the inbox worker.
  let bolt: BoltApp | null = null;
  const inbox = createInbox({
    repo: inboxRepo,
    log,
    clock,
    leaseMs: config.outboxLeaseMs,
    maxBacklog: config.inboxMaxBacklog,
    concurrency: db.kind === 'postgres' ? 2 : 1,
    inflight,
    accepts: async (teamId) => !(await foreignTeam(teamId)),
    process: async (body, handOver) => {
      if (!bolt) throw new Error('the Slack app is not built yet');
      return replayStoredInput(bolt, body, handOver);
    },
    ...(overrides.workerId ? { workerId: `${overrides.workerId}-inbox` } : {}),
  });
  scheduler = createScheduler({
    jobs: createJobs({
      rounds,
      outbox,
      inbox,
      inboxRepo,
      events,
      lifecycle,
      followups,
      prisma,
      recap,
      digest,
      intros,
      metrics,
    }),
    log,
    clock,
    tickMs: config.schedulerTickMs,
    metrics,
  });
  metrics.backlogFrom({ inbox: () => inboxRepo.backlog(), outbox: () => prompts.countPending() });
  const activeScheduler = scheduler;

  bolt = createSlackApp({
    config,
    log,
    inbox,
    ...(installations ? { installationStore: installations.store } : {}),
    inflight,
    metrics,
    routes: [
      ...healthRoutes({
        dbReachable: () => db.ping(),
        stopping: () => stopping,
        inbox: { backlog: () => inbox.backlog(), limit: config.inboxMaxBacklog },
      }),
      ...dashboardRoutes({
        stats,
        access: createDashboardAccess({
          repo: createDashboardAccessRepository(prisma),
          slack,
          clock,
          adminIds: config.adminIds,
          log,
        }),
        clock,
        key: dashboardKey,
        publicUrl: config.publicUrl,
        log,
        meetingCounts: (workspaceId, since) => meetings.counts(workspaceId, since),
      }),
      ...metricsRoutes(metrics, config.metricsToken),
      ...calendarRoutes({ meetings, key: dashboardKey, clock, log }),
    ],
    listenerDeps: {
      log,
      slack,
      services: {
        introCommand: createIntroCommandHandler({
          introCommand: createIntroCommandService({ repo: introCommandRepo, members }),
          programs,
          rounds,
          intros,
          profile,
          privacy,
          adminSettings,
          departments,
          isAdmin,
          slack,
          log,
          clock,
        }),
        intros,
        profile,
        privacy,
        adminSettings,
        departments,
        gives,
        followups,
        home,
        meetings,
        lifecycle,
        membership: createMembershipService({
          programMembers: programRepo,
          slack,
          programs,
          members,
          prompts,
          log,
          clock,
          botUserId,
          onScheduled: wakeDelivery,
          onboard: (workspaceId, userId, programId, channelId) =>
            followups.onboard(workspaceId, userId, programId, channelId),
          onboardOnWorkspaceJoin: async (workspaceId) =>
            (await workspaces.settings(workspaceId)).onboardOnWorkspaceJoin,
        }),
      },
    },
    beforeListeners: async (body, teamId, replayed) => {
      if (!teamId) return 'continue';
      // A correctly signed request naming a team this token does not serve must not create rows for it.
      if (await foreignTeam(teamId)) return 'foreign';
      await workspaces.ensure(teamId, (body.enterprise_id as string | undefined) ?? null);
      // Events the inbox stored are deduplicated by its key (Slack's event id) already.
      const eventId = typeof body.event_id === 'string' && !replayed ? body.event_id : undefined;
      if (eventId && (await events.seen(teamId, eventId))) return 'skip';
      return 'continue';
    },
    canProcessEvents: cachedCheck(() => db.ping(500), 1000),
    afterListeners: async (body, teamId, replayed) => {
      const eventId = typeof body.event_id === 'string' && !replayed ? body.event_id : undefined;
      if (teamId && eventId) await events.markSeen(teamId, eventId);
    },
  });

  const slackApp = bolt;
  return {
    bolt: slackApp,
    db,
    inflight,
    scheduler: activeScheduler,
    outbox,
    inbox,
    rounds,
    slack,
    stats,
    async start() {
      started = true;
      const server = (await slackApp.start(config.port)) as { address?: () => unknown } | undefined;
      const address = typeof server?.address === 'function' ? server.address() : null;
      const port =
        address && typeof address === 'object' && 'port' in address ? Number(address.port) : config.port;
      if (!overrides.manualScheduler) activeScheduler.start();
      inbox.kick(); // inputs acknowledged before a crash or restart

      log.info({ mode: config.mode, port, database: db.kind }, 'Weave is running');
      return { port };
    },
    async stop(drainMs = 8000) {
      stopping = true;
      if (started) await slackApp.stop();
      inbox.stop();
      // Delivery may be waiting on Slack's rate limits for up to a minute: stop claiming and end the waits
      // (an interrupted prompt goes back to the queue; its lease makes it safe for another process).
      outbox.stop();
      pacer.stop();
      await activeScheduler.stop();
      const drained = await inflight.drain(drainMs);
      if (!drained) log.warn({ inflight: inflight.size }, 'stopping with work still in flight');
      if (!overrides.db) await db.close();
    },
  };
}
