// Member lookups for `/intro`: names typed as plain text, and the caller's stored time zone.
import type { IntroCommandRepository } from '../../services/intro-command.ts';
import type { Prisma } from '../database.ts';

export function createIntroCommandRepository(prisma: Prisma): IntroCommandRepository {
  return {
    async membersNamed(workspaceId, name) {
      const found = await prisma.member.findMany({
        where: {
          workspaceId,
          isDeleted: false,
          OR: [
            { name: { equals: name, mode: 'insensitive' } },
            { realName: { equals: name, mode: 'insensitive' } },
          ],
        },
        select: { userId: true },
        take: 2,
      });
      return found.map((m) => m.userId);
    },

    async storedTimeZone(workspaceId, userId) {
      const stored = await prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
        select: { tz: true },
      });
      return stored ? stored.tz : null;
    },
  };
}
