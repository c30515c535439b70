import { describeWorkingHours } from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import { buildAdminHome, buildAdminHomeUnavailable, HOME_BLOCK_LIMIT } from '../slack/views/admin-home.ts';
import { buildMemberHome } from '../slack/views/home.ts';
import type { MeetingService } from './meetings.ts';
import { departmentOf, type MemberService } from './members.ts';
import type { Clock, SlackGateway } from './ports.ts';
import { nextRoundAtFor } from './rounds.ts';
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

/** What a member's App Home shows, read in one place. */
export function createHomeService(deps: {
  prisma: Prisma;
  members: MemberService;
  slack: SlackGateway;
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
  /** The admin section for an admin, within the blocks the member part leaves; [] for everyone else. */
  async function adminSection(workspaceId: string, userId: string, maxBlocks: number) {
    if (!deps.admin || !(await deps.admin.stats.isAdmin(workspaceId, userId))) return [];
    try {
      const data = await deps.admin.stats.adminHome(workspaceId);
      return buildAdminHome(data, { dashboardUrl: deps.admin.dashboardUrl(workspaceId, userId), maxBlocks });
    } catch (error) {
      deps.log.error({ err: error, workspaceId }, 'could not build the admin section of the Home tab');
      return buildAdminHomeUnavailable();
    }
  }

  return {
    /** Publishes the member's Home (on app_home_opened and after their own changes). */
    async publish(workspaceId: string, userId: string): Promise<void> {
      const data = await this.dataFor(workspaceId, userId);
      const memberBlocks = buildMemberHome(data).blocks.length;
      const extra = await adminSection(workspaceId, userId, HOME_BLOCK_LIMIT - memberBlocks);
      const view = buildMemberHome(data, extra);
      const r = await deps.slack.publishHome(workspaceId, userId, view);
      if (!r.ok) deps.log.warn({ workspaceId, userId, error: r.error }, 'could not publish the Home tab');
    },
    async dataFor(workspaceId: string, userId: string): Promise<HomeData> {
      const now = deps.clock.now();
      const member = await deps.members.get(workspaceId, userId);
      const memberships = await deps.prisma.programMember.findMany({
        where: { workspaceId, userId, leftAt: null },
        include: { program: true },
      });
      const myGroups = await deps.prisma.groupMember.findMany({
        where: { workspaceId, userId },
        include: { group: { include: { members: true } } },
        orderBy: { group: { createdAt: 'desc' } },
        take: 200,
      });
      const partners = new Set<string>();
      for (const gm of myGroups) {
        if (!gm.group.deliveredAt) continue;
        for (const m of gm.group.members) if (m.userId !== userId) partners.add(m.userId);
      }
      const partnerRows = await deps.prisma.member.findMany({
        where: { workspaceId, userId: { in: [...partners] } },
      });
      const departments = await deps.members.departments(workspaceId);
      const departmentsTotal = departments.entries.length;
      const mine = member ? departments.key(departmentOf(member)) : null;
      const reached = new Set(
        partnerRows
          .map((p) => departments.key(departmentOf(p)))
          .filter((d): d is string => d !== null && d !== mine),
      );
      const latest = myGroups[0]?.group;
      const [received, sent, introsMade] = await Promise.all([
        deps.prisma.give.findMany({
          where: { workspaceId, receiverId: userId },
          orderBy: { createdAt: 'desc' },
          take: 5,
        }),
        deps.prisma.give.findMany({
          where: { workspaceId, giverId: userId },
          orderBy: { createdAt: 'desc' },
          take: 5,
        }),
        deps.prisma.intro.findMany({
          // Requests made with /intro find or /intro me are asks, not introductions made.
          where: { workspaceId, introducerId: userId, source: 'command' },
          select: { groupId: true, status: true },
        }),
      ]);
      const introGroupIds = introsMade.map((i) => i.groupId).filter((g): g is string => g !== null);
      const introsMet = introGroupIds.length
        ? await deps.prisma.group.count({ where: { id: { in: introGroupIds }, status: 'met' } })
        : 0;
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
        programs: memberships.map((pm) => ({
          channelId: pm.program.channelId,
          nextRoundAt: nextRoundAtFor(pm.program, now),
        })),
        currentGroup: latest
          ? {
              groupId: latest.id,
              partnerIds: latest.members.map((m) => m.userId).filter((id) => id !== userId),
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
