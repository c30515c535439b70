import { DIGEST_JOB, type DigestRepository } from '../../services/digest.ts';
import type { Prisma } from '../database.ts';
import { loadDepartments } from './members.ts';
import type { PromptRepository } from './prompts.ts';

/** What the weekly digest reads, and its per-week claim (JobRun) taken with its prompt. */
export function createDigestRepository(
  prisma: Prisma,
  prompts: Pick<PromptRepository, 'schedule'>,
): DigestRepository {
  return {
    async installedWorkspaces() {
      return prisma.workspace.findMany({
        where: { uninstalledAt: null },
        select: {
          id: true,
          settings: true,
          programs: {
            where: { active: true },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            take: 1,
            select: { tz: true },
          },
        },
      });
    },

    async claimWeek(claim, prompt) {
      return prisma.$transaction(async (tx) => {
        const claimed = await tx.jobRun.createMany({
          data: [
            {
              workspaceId: claim.workspaceId,
              job: DIGEST_JOB,
              runKey: claim.runKey,
              finishedAt: claim.at,
              result: { channelId: claim.channelId },
            },
          ],
          skipDuplicates: true,
        });
        if (claimed.count === 0) return 0;
        return prompts.schedule([prompt], tx);
      });
    },

    async isInstalled(workspaceId) {
      const workspace = await prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { uninstalledAt: true },
      });
      return workspace !== null && !workspace.uninstalledAt;
    },

    async givesBetween(workspaceId, window) {
      return prisma.give.findMany({
        where: { workspaceId, createdAt: { gte: window.from, lt: window.to } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    async memberDepartments(workspaceId, userIds) {
      return prisma.member.findMany({
        where: { workspaceId, userId: { in: userIds } },
        select: { userId: true, department: true, slackDepartment: true },
      });
    },

    departments: (workspaceId) => loadDepartments(prisma, workspaceId),
  };
}
