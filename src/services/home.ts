import { describeWorkingHours } from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { MeetingService } from './meetings.ts';
import { departmentOf, type MemberService } from './members.ts';
import type { Clock } from './ports.ts';
import { nextRoundAtFor, type ProgramRow } from './rounds.ts';
import type { StatsService } from './stats.ts';

export interface HomeData {
  userId: string;
  status: {
    kind: 'active' | 'paused' | 'auto_paused' | 'opted_out';
    pausedUntil: Date | null;
    skipping: boolean;
  };
  programs: Array<{ channelId: string; nextRoundAt: Date }>;
  currentGroup: {
    groupId: string;
    partnerIds: string[];
    status: string;
    conversationId: string | null;
  } | null;
  network: { peopleMet: number; departmentsReached: number; departmentsTotal: number };
  givesReceived: Array<{ fromId: string; kind: string; reason: string; at: Date }>;
  givesSent: Array<{ toId: string | null; kind: string; reason: string; at: Date }>;
  intros: { made: number; met: number };
  isNew: boolean;
  /** The member's intros that met, and those that agreed a time in Weave. */
  meetings?: { met: number; agreed: number };
  /** The member's working hours, described ("Mon–Fri 09:00–17:00"), and their time zone. */
  workingHours?: { text: string; tz: string };
}

/** The admin part of an admin's Home: its data, or that it could not be read; none for everyone else. */
export type AdminHomeSection =
  | { kind: 'none' }
  | {
      kind: 'admin';
      data: Awaited<ReturnType<StatsService['adminHome']>>;
      dashboardUrl: string;
    }
  | { kind: 'unavailable' };

/** Renders and publishes a member's Home in Slack (src/slack/home-publisher.ts). */
export interface HomePublisher {
  publish(
    workspaceId: string,
    userId: string,
    home: { data: HomeData; admin: AdminHomeSection },
  ): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** A group the member was in, newest first. */
export interface HomeGroup {
  id: string;
  status: string;
  conversationId: string | null;
  deliveredAt: Date | null;
  memberIds: string[];
}

/** A give as the Home lists it. */
export interface HomeGive {
  giverId: string;
  receiverId: string | null;
  kind: string;
  reason: string;
  createdAt: Date;
}

/** The persistence the Home needs (implemented in src/persistence/repositories/home.ts). */
export interface HomeRepository {
  /** Programs the member is in (not left). */
  programsOf(workspaceId: string, userId: string): Promise<ProgramRow[]>;
  /** The member's latest groups, newest first, at most `limit`. */
  groupsOf(workspaceId: string, userId: string, limit: number): Promise<HomeGroup[]>;
  /** Department fields of these members. */
  departmentsOf(
    workspaceId: string,
    userIds: string[],
  ): Promise<Array<{ department: string | null; slackDepartment: string | null }>>;
  /** The latest gives received (or given, by `giverId`), newest first. */
  givesReceived(workspaceId: string, userId: string, limit: number): Promise<HomeGive[]>;
  givesSent(workspaceId: string, userId: string, limit: number): Promise<HomeGive[]>;
  /** Groups of the intros the member made with `/intro @a @b` (null while not accepted). */
  introsMade(workspaceId: string, userId: string): Promise<Array<{ groupId: string | null }>>;
  /** How many of these groups met. */
  metCount(groupIds: string[]): Promise<number>;
}

/** What a member's App Home shows, read in one place. */
export function createHomeService(deps: {
  homes: HomeRepository;
  publisher: HomePublisher;
  members: MemberService;
  clock: Clock;
  log: Logger;
  /** Working hours and meeting counts (times agreed beside met). */
  meetings?: Pick<MeetingService, 'counts' | 'workingHours'>;
  /** The admin section (programs, network heatmap, dashboard link), shown to admins only. */
  admin?: {
    stats: Pick<StatsService, 'isAdmin' | 'adminHome'>;
    dashboardUrl: (workspaceId: string, userId: string) => string;
  };
}) {
  /** The admin section for an admin; none for everyone else. */
  async function adminSection(workspaceId: string, userId: string): Promise<AdminHomeSection> {
    if (!deps.admin || !(await deps.admin.stats.isAdmin(workspaceId, userId))) return { kind: 'none' };
    try {
      const data = await deps.admin.stats.adminHome(workspaceId);
      return { kind: 'admin', data, dashboardUrl: deps.admin.dashboardUrl(workspaceId, userId) };
    } catch (error) {
      deps.log.error({ err: error, workspaceId }, 'could not build the admin section of the Home tab');
      return { kind: 'unavailable' };
    }
  }

  return {
    /** Publishes the member's Home (on app_home_opened and after their own changes). */
    async publish(workspaceId: string, userId: string): Promise<void> {
      const data = await this.dataFor(workspaceId, userId);
      const admin = await adminSection(workspaceId, userId);
      const r = await deps.publisher.publish(workspaceId, userId, { data, admin });
      if (!r.ok) deps.log.warn({ workspaceId, userId, error: r.error }, 'could not publish the Home tab');
    },
    async dataFor(workspaceId: string, userId: string): Promise<HomeData> {
      const now = deps.clock.now();
      const member = await deps.members.get(workspaceId, userId);
      const programs = await deps.homes.programsOf(workspaceId, userId);
      const myGroups = await deps.homes.groupsOf(workspaceId, userId, 200);
      const partners = new Set<string>();
      for (const g of myGroups) {
        if (!g.deliveredAt) continue;
        for (const id of g.memberIds) if (id !== userId) partners.add(id);
      }
      const partnerRows = await deps.homes.departmentsOf(workspaceId, [...partners]);
      const departments = await deps.members.departments(workspaceId);
      const departmentsTotal = departments.entries.length;
      const mine = member ? departments.key(departmentOf(member)) : null;
      const reached = new Set(
        partnerRows
          .map((p) => departments.key(departmentOf(p)))
          .filter((d): d is string => d !== null && d !== mine),
      );
      const latest = myGroups[0];
      const [received, sent, introsMade] = await Promise.all([
        deps.homes.givesReceived(workspaceId, userId, 5),
        deps.homes.givesSent(workspaceId, userId, 5),
        deps.homes.introsMade(workspaceId, userId),
      ]);
      const introGroupIds = introsMade.map((i) => i.groupId).filter((g): g is string => g !== null);
      const introsMet = introGroupIds.length ? await deps.homes.metCount(introGroupIds) : 0;
      const [meetings, hours] = deps.meetings
        ? await Promise.all([
            deps.meetings.counts(workspaceId, new Date(0), userId),
            deps.meetings.workingHours(workspaceId, userId),
          ])
        : [undefined, undefined];
      const status = (member?.status ?? 'active') as HomeData['status']['kind'];
      const pausedUntil = member?.pausedUntil ?? null;
      const activeStatus = status === 'paused' && pausedUntil && pausedUntil <= now ? 'active' : status;
      return {
        userId,
        status: { kind: activeStatus, pausedUntil, skipping: Boolean(member?.skipPeriodKey) },
        programs: programs.map((p) => ({
          channelId: p.channelId,
          nextRoundAt: nextRoundAtFor(p, now),
        })),
        currentGroup: latest
          ? {
              groupId: latest.id,
              partnerIds: latest.memberIds.filter((id) => id !== userId),
              status: latest.status,
              conversationId: latest.conversationId,
            }
          : null,
        network: {
          peopleMet: partners.size,
          departmentsReached: reached.size,
          departmentsTotal: Math.max(0, departmentsTotal - (mine ? 1 : 0)),
        },
        givesReceived: received.map((g) => ({
          fromId: g.giverId,
          kind: g.kind,
          reason: g.reason,
          at: g.createdAt,
        })),
        givesSent: sent.map((g) => ({ toId: g.receiverId, kind: g.kind, reason: g.reason, at: g.createdAt })),
        intros: { made: introsMade.length, met: introsMet },
        isNew: myGroups.length === 0,
        ...(meetings ? { meetings } : {}),
        ...(hours ? { workingHours: { text: describeWorkingHours(hours), tz: member?.tz ?? 'UTC' } } : {}),
      };
    },
  };
}
export type HomeService = ReturnType<typeof createHomeService>;
