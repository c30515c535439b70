import { isWeaveAdmin, namedInConfig } from '../domain/admins.ts';
import type { DepartmentDirectory } from '../domain/departments.ts';
import {
  anonymousGives,
  anonymousMatrix,
  buildConnectionMatrix,
  buildHeatmap,
  type ConnectionMatrix,
  type DeliveryProgress,
  type DepartmentPair,
  deliveryProgress,
  departmentPairWeights,
  type GiveLink,
  givesByKind,
  type Heatmap,
  type KindCount,
  leastConnectedPairs,
  type Meeting,
  type NetworkPerson,
  type Recap,
  type RoundSummary,
  summariseRound,
  type TimeWindow,
  type WeekPoint,
  weeklyCrossDepartmentTrend,
  weeklyRecap,
} from '../domain/network/index.ts';
import { parseWorkspaceSettings } from '../domain/settings.ts';
import { departmentOf } from './members.ts';
import type { Clock } from './ports.ts';
import { nextRoundAtFor, type ProgramRow } from './rounds.ts';

const DAY_MS = 86_400_000;
/** The window of the admin Home's heatmap and of the matcher's "rarely connected" preference. */
export const NETWORK_WINDOW_DAYS = 90;
/** Departments in the admin Home's text heatmap and on the dashboard's heatmap. */
export const HOME_HEATMAP_DEPARTMENTS = 8;
export const DASHBOARD_HEATMAP_DEPARTMENTS = 40;
const HOME_ROUNDS_PER_PROGRAM = 3;
const DASHBOARD_ROUNDS = 26;
const LEAST_CONNECTED = 5;

export interface ProgramOverview {
  program: ProgramRow;
  nextRoundAt: Date;
  /** Latest first. */
  rounds: RoundSummary[];
  /** The latest round while its intros are still going out. */
  delivering: (DeliveryProgress & { roundNumber: number }) | null;
}

export interface AdminHomeData {
  programs: ProgramOverview[];
  /** Where departments come from, how many there are and how many people have none. */
  departments: { source: string; departments: number; unknown: number };
  heatmap: Heatmap;
  leastConnected: DepartmentPair[];
  windowDays: number;
}

export interface DashboardData {
  workspaceName: string;
  window: TimeWindow;
  heatmap: Heatmap;
  leastConnected: DepartmentPair[];
  trend: WeekPoint[];
  /** Oldest first. */
  rounds: Array<RoundSummary & { channelId: string }>;
  gives: KindCount[];
}

/** A round with its groups, as the overviews summarise it. */
export type RoundRow = {
  id: string;
  programId: string;
  number: number;
  status: string;
  createdAt: Date;
  groups: Array<{
    deliveredAt: Date | null;
    failedAt: Date | null;
    status: string;
    members: Array<{ userId: string }>;
  }>;
};

/** What the statistics read, every query scoped to one workspace: src/persistence/repositories/stats.ts. */
export interface StatsRepository {
  /** Everyone but bots, deleted people included. */
  people(
    workspaceId: string,
  ): Promise<
    Array<{ userId: string; department: string | null; slackDepartment: string | null; isDeleted: boolean }>
  >;
  departments(workspaceId: string): Promise<DepartmentDirectory>;
  /** Where departments come from, how many there are and how many people have none. */
  departmentsSummary(workspaceId: string): Promise<{ source: string; departments: number; unknown: number }>;
  /** Groups that met in the window (by when they met, else by creation), of one program or all. */
  metGroups(
    workspaceId: string,
    window: TimeWindow,
    programId?: string,
  ): Promise<Array<{ metAt: Date | null; createdAt: Date; members: Array<{ userId: string }> }>>;
  gives(
    workspaceId: string,
    window: TimeWindow,
  ): Promise<Array<{ giverId: string; receiverId: string | null; kind: string; createdAt: Date }>>;
  /** A program's latest rounds, latest first. */
  programRounds(workspaceId: string, programId: string, take: number): Promise<RoundRow[]>;
  /** The workspace's latest rounds, latest first. */
  latestRounds(workspaceId: string, take: number): Promise<RoundRow[]>;
  /** Active programs first, then oldest first. */
  programs(workspaceId: string): Promise<ProgramRow[]>;
  programChannels(workspaceId: string): Promise<Array<{ id: string; channelId: string }>>;
  /** The member's admin flags and the workspace's settings, read together. */
  adminFacts(
    workspaceId: string,
    userId: string,
  ): Promise<{ member: { isAdmin: boolean; isDeleted: boolean } | null; settings: unknown }>;
  /** Whether the workspace exists and is not uninstalled. */
  isInstalled(workspaceId: string): Promise<boolean>;
  workspaceName(workspaceId: string): Promise<string | null>;
}

function summary(r: RoundRow): RoundSummary {
  return summariseRound({
    id: r.id,
    number: r.number,
    at: r.createdAt,
    status: r.status,
    groups: r.groups.map((g) => ({
      members: g.members.map((m) => m.userId),
      delivered: g.deliveredAt !== null,
      met: g.status === 'met',
    })),
  });
}

/** Network statistics read from the database: every query is scoped to one workspace. */
export function createStatsService(deps: { stats: StatsRepository; clock: Clock; adminIds: string[] }) {
  const repo = deps.stats;

  async function people(workspaceId: string): Promise<NetworkPerson[]> {
    const [rows, departments] = await Promise.all([repo.people(workspaceId), repo.departments(workspaceId)]);
    return rows.map((m) => ({
      id: m.userId,
      department: departments.name(departmentOf(m)),
      active: !m.isDeleted,
    }));
  }

  /** Groups that met in the window (when they said so; groups without that time count by creation). */
  async function meetings(workspaceId: string, window: TimeWindow, programId?: string): Promise<Meeting[]> {
    const rows = await repo.metGroups(workspaceId, window, programId);
    return rows.map((g) => ({ members: g.members.map((m) => m.userId), at: g.metAt ?? g.createdAt }));
  }

  async function gives(workspaceId: string, window: TimeWindow): Promise<GiveLink[]> {
    const rows = await repo.gives(workspaceId, window);
    return rows.map((g) => ({ giverId: g.giverId, receiverId: g.receiverId, kind: g.kind, at: g.createdAt }));
  }

  async function network(workspaceId: string, window: TimeWindow) {
    const [p, m, g] = await Promise.all([
      people(workspaceId),
      meetings(workspaceId, window),
      gives(workspaceId, window),
    ]);
    const matrix = buildConnectionMatrix({ people: p, meetings: m, gives: g, window });
    return { people: p, gives: g, matrix };
  }

  /** What may be shown of a window: hidden departments left out of every figure (see anonymousMatrix). */
  async function shownNetwork(workspaceId: string, window: TimeWindow) {
    const { people: p, gives: g, matrix } = await network(workspaceId, window);
    return { matrix: anonymousMatrix(matrix), gives: anonymousGives(g, p, matrix.departments) };
  }

  const windowEndingNow = (days: number): TimeWindow => {
    const to = deps.clock.now();
    return { from: new Date(to.getTime() - days * DAY_MS), to };
  };

  async function programOverview(program: ProgramRow, now: Date): Promise<ProgramOverview> {
    const rounds = await repo.programRounds(program.workspaceId, program.id, HOME_ROUNDS_PER_PROGRAM);
    const latest = rounds[0];
    const delivering =
      latest && latest.status === 'delivering'
        ? {
            roundNumber: latest.number,
            ...deliveryProgress({
              total: latest.groups.length,
              sent: latest.groups.filter((g) => g.deliveredAt !== null).length,
              failed: latest.groups.filter((g) => g.deliveredAt === null && g.failedAt !== null).length,
              startedAt: latest.createdAt,
              now,
            }),
          }
        : null;
    return { program, nextRoundAt: nextRoundAtFor(program, now), rounds: rounds.map(summary), delivering };
  }

  return {
    /** Workspace admins and owners, admins named in the config or in the workspace settings. */
    async isAdmin(workspaceId: string, userId: string): Promise<boolean> {
      if (namedInConfig(deps.adminIds, workspaceId, userId)) return true;
      const { member, settings } = await repo.adminFacts(workspaceId, userId);
      return isWeaveAdmin({
        namedInConfig: false,
        namedInSettings: parseWorkspaceSettings(settings).adminIds.includes(userId),
        member,
      });
    },

    /** True while the workspace has Weave installed (the dashboard of an uninstalled one is closed). */
    async isInstalled(workspaceId: string): Promise<boolean> {
      return repo.isInstalled(workspaceId);
    },

    /** The matcher's "rarely connected" input: connections per department pair over the last 90 days. */
    async departmentPairWeights(workspaceId: string, now: Date): Promise<Map<string, number>> {
      const window = { from: new Date(now.getTime() - NETWORK_WINDOW_DAYS * DAY_MS), to: now };
      return departmentPairWeights((await network(workspaceId, window)).matrix);
    },

    /** The raw matrix of a window (tests and tools; never shown as it is). */
    async matrix(workspaceId: string, window: TimeWindow): Promise<ConnectionMatrix> {
      return (await network(workspaceId, window)).matrix;
    },

    /** What the admin section of the App Home shows. */
    async adminHome(workspaceId: string): Promise<AdminHomeData> {
      const now = deps.clock.now();
      const programs = await repo.programs(workspaceId);
      const overviews: ProgramOverview[] = [];
      for (const p of programs) overviews.push(await programOverview(p, now));
      const { matrix } = await shownNetwork(workspaceId, windowEndingNow(NETWORK_WINDOW_DAYS));
      const { source, departments, unknown } = await repo.departmentsSummary(workspaceId);
      return {
        programs: overviews,
        departments: { source, departments, unknown },
        heatmap: buildHeatmap(matrix, { limit: HOME_HEATMAP_DEPARTMENTS }),
        leastConnected: leastConnectedPairs(matrix, { count: LEAST_CONNECTED }),
        windowDays: NETWORK_WINDOW_DAYS,
      };
    },

    /** What the web dashboard shows for the last `days` days. */
    async dashboard(workspaceId: string, days: number): Promise<DashboardData> {
      const window = windowEndingNow(days);
      const [{ matrix, gives: g }, workspaceName, rounds, programs] = await Promise.all([
        shownNetwork(workspaceId, window),
        repo.workspaceName(workspaceId),
        repo.latestRounds(workspaceId, DASHBOARD_ROUNDS),
        repo.programChannels(workspaceId),
      ]);
      const channelOf = new Map(programs.map((p) => [p.id, p.channelId]));
      return {
        workspaceName: workspaceName ?? '',
        window,
        heatmap: buildHeatmap(matrix, { limit: DASHBOARD_HEATMAP_DEPARTMENTS }),
        leastConnected: leastConnectedPairs(matrix, { count: LEAST_CONNECTED }),
        trend: weeklyCrossDepartmentTrend(matrix.connections, window),
        rounds: rounds.reverse().map((r) => ({ ...summary(r), channelId: channelOf.get(r.programId) ?? '' })),
        gives: givesByKind(g, window),
      };
    },

    /** The weekly recap of one program: who met in its rounds' groups during the window. */
    async recap(workspaceId: string, programId: string, window: TimeWindow): Promise<Recap> {
      const [p, m] = await Promise.all([people(workspaceId), meetings(workspaceId, window, programId)]);
      return weeklyRecap(p, m, window);
    },
  };
}
export type StatsService = ReturnType<typeof createStatsService>;
