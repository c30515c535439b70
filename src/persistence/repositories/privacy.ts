// Everything stored about one member: read whole for `/intro data`, deleted or anonymised for
// `/intro forget` (PERSONAL_COLUMNS in src/services/privacy.ts says what happens to each column).
import type { PrivacyRepository } from '../../services/privacy.ts';
import type { Prisma } from '../database.ts';

export function createPrivacyRepository(prisma: Prisma): PrivacyRepository {
  return {
    async records(workspaceId, userId) {
      const p = prisma;
      const [
        member,
        memberships,
        programsStarted,
        groups,
        roundsNotMatched,
        intros,
        givesGiven,
        givesReceived,
        prompts,
      ] = await Promise.all([
        p.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } }),
        p.programMember.findMany({
          where: { workspaceId, userId },
          include: { program: { select: { channelId: true } } },
        }),
        p.program.findMany({ where: { workspaceId, createdBy: userId } }),
        p.groupMember.findMany({
          where: { workspaceId, userId },
          include: { group: { include: { members: { select: { userId: true, response: true } } } } },
          orderBy: { group: { createdAt: 'asc' } },
        }),
        p.round.findMany({
          where: { workspaceId, unmatched: { has: userId } },
          select: { id: true, programId: true, periodKey: true, createdAt: true },
        }),
        p.intro.findMany({
          where: { workspaceId, OR: [{ introducerId: userId }, { userAId: userId }, { userBId: userId }] },
          orderBy: { createdAt: 'asc' },
        }),
        p.give.findMany({ where: { workspaceId, giverId: userId }, orderBy: { createdAt: 'asc' } }),
        p.give.findMany({ where: { workspaceId, receiverId: userId }, orderBy: { createdAt: 'asc' } }),
        p.prompt.findMany({ where: { workspaceId, userId }, orderBy: { createdAt: 'asc' } }),
      ]);
      return {
        member,
        memberships,
        programsStarted,
        groups,
        roundsNotMatched,
        intros,
        givesGiven,
        givesReceived,
        prompts,
      };
    },

    async forget(workspaceId, userId, opts) {
      // Exact matches only: a mention of exactly this id (`<@U1>` or `<@U1|name>`, never `<@U12>`), a
      // whole `:`-separated part of a key, an array element, a JSON string equal to the id.
      const mention = `<@${userId}(\\|[^>]*)?>`;
      return prisma.$transaction(async (tx) => {
        let n = 0;
        n += (await tx.give.deleteMany({ where: { workspaceId, giverId: userId } })).count;
        // An intro's give quotes the intro's reason, which is about the people introduced: it goes.
        n += await tx.$executeRaw`
        UPDATE "Give" SET reason = regexp_replace(reason, ':.*$', '')
        WHERE "workspaceId" = ${workspaceId} AND source = 'intro'
          AND ("receiverId" = ${userId} OR reason ~ ${mention})`;
        n += (
          await tx.give.updateMany({ where: { workspaceId, receiverId: userId }, data: { receiverId: null } })
        ).count;
        n += await tx.$executeRaw`
        UPDATE "Give" SET reason = regexp_replace(reason, ${mention}, '@someone', 'g')
        WHERE "workspaceId" = ${workspaceId} AND reason ~ ${mention}`;
        // Source keys of received gives name the receiver (e.g. "msg:C1:123.4:U42"): a random stand-in
        // keeps them unique without a way back to the person.
        n += await tx.$executeRaw`
        UPDATE "Give"
        SET "sourceKey" = array_to_string(array_replace(string_to_array("sourceKey", ':'), ${userId}, ${opts.standIn}), ':')
        WHERE "workspaceId" = ${workspaceId} AND ${userId} = ANY(string_to_array("sourceKey", ':'))`;
        n += (
          await tx.intro.deleteMany({
            where: {
              workspaceId,
              OR: [{ introducerId: userId }, { userAId: userId }, { userBId: userId }],
            },
          })
        ).count;
        n += await tx.$executeRaw`
        UPDATE "Intro" SET reason = regexp_replace(reason, ${mention}, '@someone', 'g')
        WHERE "workspaceId" = ${workspaceId} AND reason ~ ${mention}`;
        // Reasons of their groups were written about them (copied from an intro, or from both profiles).
        n += await tx.$executeRaw`
        UPDATE "Group" SET reasons = '[]'::jsonb
        WHERE "workspaceId" = ${workspaceId} AND reasons <> '[]'::jsonb AND id IN (
          SELECT "groupId" FROM "GroupMember" WHERE "workspaceId" = ${workspaceId} AND "userId" = ${userId})`;
        n += (await tx.groupMember.deleteMany({ where: { workspaceId, userId } })).count;
        n += (await tx.prompt.deleteMany({ where: { workspaceId, userId } })).count;
        // Prompts to others that name them (a pending notice about an intro with them, a key with their id).
        const prompts = await tx.prompt.findMany({
          where: { workspaceId },
          select: { id: true, key: true, payload: true, result: true },
        });
        const naming = prompts
          .filter((p) => p.key.split(':').includes(userId) || opts.names(p.payload) || opts.names(p.result))
          .map((p) => p.id);
        if (naming.length > 0) n += (await tx.prompt.deleteMany({ where: { id: { in: naming } } })).count;
        // Slack inputs still waiting (or failed) that name them: a give to them not yet recorded is dropped
        // with them. Inputs being processed now (this very forget, say) drop their body when they finish.
        const inbox = await tx.inboxItem.findMany({
          where: { workspaceId, status: { in: ['pending', 'failed'] } },
          select: { id: true, body: true },
        });
        const waiting = inbox.filter((i) => opts.names(i.body)).map((i) => i.id);
        if (waiting.length > 0)
          n += (await tx.inboxItem.deleteMany({ where: { id: { in: waiting } } })).count;
        n += await tx.$executeRaw`
        UPDATE "Round" SET unmatched = array_remove(unmatched, ${userId})
        WHERE "workspaceId" = ${workspaceId} AND ${userId} = ANY(unmatched)`;
        n += await tx.$executeRaw`
        UPDATE "Member" SET "doNotPair" = array_remove("doNotPair", ${userId})
        WHERE "workspaceId" = ${workspaceId} AND ${userId} = ANY("doNotPair")`;
        n += (await tx.programMember.deleteMany({ where: { workspaceId, userId } })).count;
        n += (
          await tx.program.updateMany({
            where: { workspaceId, createdBy: userId },
            data: { createdBy: null },
          })
        ).count;
        if (opts.settings) {
          await tx.workspace.update({ where: { id: workspaceId }, data: { settings: { ...opts.settings } } });
          n += 1;
        }
        n += (await tx.member.deleteMany({ where: { workspaceId, userId } })).count;
        return n;
      });
    },

    async dropExportCopy(promptId, parts) {
      await prisma.prompt.update({ where: { id: promptId }, data: { payload: { parts } } });
    },
  };
}
