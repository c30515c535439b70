import type { TimeWindow } from '../../domain/network/index.ts';
import type { StatsRepository } from '../../services/stats.ts';
import type { Prisma } from '../database.ts';
import { departmentsSummary, loadDepartments } from './members.ts';

const roundSelect = {
  id: true,
  programId: true,
  number: true,
  status: true,
  createdAt: true,
  groups: {
    select: { deliveredAt: true, failedAt: true, status: true, members: { select: { userId: true } } },
  },
} as const;

/** The network statistics' reads; every query is scoped to one workspace. */
export function createStatsRepository(prisma: Prisma): StatsRepository {
  return {
    people(workspaceId) {
      return prisma.member.findMany({
        where: { workspaceId, isBot: false },
        select: { userId: true, department: true, slackDepartment: true, isDeleted: true },
      });
    },

    departments: (workspaceId) => loadDepartments(prisma, workspaceId),

    departmentsSummary: (workspaceId) => departmentsSummary(prisma, workspaceId),

    metGroups(workspaceId: string, window: TimeWindow, programId?: string) {
      const span = { gte: window.from, lt: window.to };
      return prisma.group.findMany({
        where: {
          workspaceId,
          status: 'met',
          OR: [{ metAt: span }, { metAt: null, createdAt: span }],
          ...(programId ? { round: { programId } } : {}),
        },
        select: { metAt: true, createdAt: true, members: { select: { userId: true } } },
      });
    },

    gives(workspaceId, window) {
      return prisma.give.findMany({
        where: { workspaceId, createdAt: { gte: window.from, lt: window.to } },
        select: { giverId: true, receiverId: true, kind: true, createdAt: true },
      });
    },

    programRounds(workspaceId, programId, take) {
      return prisma.round.findMany({
        where: { workspaceId, programId },
        orderBy: { number: 'desc' },
        take,
        select: roundSelect,
      });
    },

    latestRounds(workspaceId, take) {
      return prisma.round.findMany({
        where: { workspaceId },
        orderBy: { createdAt: 'desc' },
        take,
        select: roundSelect,
      });
    },

    programs(workspaceId) {
      return prisma.program.findMany({
        where: { workspaceId },
        orderBy: [{ active: 'desc' }, { createdAt: 'asc' }],
      });
    },

    programChannels(workspaceId) {
      return prisma.program.findMany({ where: { workspaceId }, select: { id: true, channelId: true } });
    },

    async adminFacts(workspaceId, userId) {
      const [member, workspace] = await Promise.all([
        prisma.member.findUnique({
          where: { workspaceId_userId: { workspaceId, userId } },
          select: { isAdmin: true, isDeleted: true },
        }),
        prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } }),
      ]);
      return { member, settings: workspace?.settings };
    },

    async isInstalled(workspaceId) {
      const ws = await prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { uninstalledAt: true },
      });
      return ws !== null && ws.uninstalledAt === null;
    },

    async workspaceName(workspaceId) {
      const ws = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { name: true } });
      return ws?.name ?? null;
    },
  };
}
