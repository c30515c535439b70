import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { PromptRepository } from '../persistence/repositories/prompts.ts';
import type { WorkspaceRepository } from '../persistence/repositories/workspaces.ts';
import { buildExportMessages } from '../slack/views/privacy.ts';
import { outcomeOf, postOnce } from './deliveries.ts';
import type { PromptHandler } from './outbox.ts';
import type { Clock, SlackGateway } from './ports.ts';

/** Everything Weave stores about one member, as exported by `/intro data`. */
export interface MemberExport {
  exportedAt: string;
  workspaceId: string;
  userId: string;
  member: Record<string, unknown> | null;
  programMemberships: unknown[];
  programsStarted: unknown[];
  groups: unknown[];
  roundsNotMatched: unknown[];
  intros: unknown[];
  givesGiven: unknown[];
  givesReceived: unknown[];
  prompts: unknown[];
  namedAsAdmin: boolean;
}

type IntroRow = {
  id: string;
  introducerId: string;
  userAId: string;
  userBId: string;
  reason: string;
  source: string;
  status: string;
  acceptedA: Date | null;
  acceptedB: Date | null;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
};

/**
 * An intro as exported to one of its people: only their own answer time. The other side's answer would
 * tell an introducer (or the other person) who said no, which Weave promises nobody is told.
 */
function introOf(i: IntroRow, userId: string) {
  const mine = i.userAId === userId ? i.acceptedA : i.userBId === userId ? i.acceptedB : undefined;
  return {
    id: i.id,
    role: i.introducerId === userId ? 'introducer' : 'introduced',
    introducerId: i.introducerId,
    people: [i.userAId, i.userBId],
    reason: i.reason,
    source: i.source,
    status: i.status,
    ...(mine !== undefined ? { myAcceptedAt: mine } : {}),
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    closedAt: i.closedAt,
  };
}

/** Slack user ids only: they go into SQL patterns below. */
const SLACK_ID = /^[UW][A-Z0-9]{2,30}$/;

/** `/intro data` (export by DM) and `/intro forget` (delete, keeping received gives anonymised). */
export function createPrivacyService(deps: {
  prisma: Prisma;
  prompts: PromptRepository;
  workspaces: WorkspaceRepository;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'privacy' });

  /** Collects every row about the member (their own rows and the rows that name them). */
  async function collect(workspaceId: string, userId: string): Promise<MemberExport> {
    const p = deps.prisma;
    const [member, memberships, started, groupRows, rounds, intros, given, received, prompts, settings] =
      await Promise.all([
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
        deps.workspaces.settings(workspaceId),
      ]);
    return {
      exportedAt: deps.clock.now().toISOString(),
      workspaceId,
      userId,
      member: member ? { ...member } : null,
      programMemberships: memberships.map(({ program, ...m }) => ({ ...m, channelId: program.channelId })),
      programsStarted: started.map((s) => ({ id: s.id, channelId: s.channelId, createdAt: s.createdAt })),
      groups: groupRows.map((gm) => ({
        groupId: gm.groupId,
        kind: gm.group.kind,
        roundId: gm.group.roundId,
        status: gm.group.status,
        myResponse: gm.response,
        respondedAt: gm.respondedAt,
        with: gm.group.members.map((m) => m.userId).filter((id) => id !== userId),
        reasons: gm.group.reasons,
        conversationId: gm.group.conversationId,
        createdAt: gm.group.createdAt,
        metAt: gm.group.metAt,
      })),
      roundsNotMatched: rounds,
      intros: intros.map((i) => introOf(i, userId)),
      givesGiven: given,
      givesReceived: received,
      // The text of earlier exports is not repeated inside a new one.
      prompts: prompts.map((pr) => ({
        ...pr,
        payload: pr.kind === 'data_export' ? {} : pr.payload,
      })),
      namedAsAdmin: settings.adminIds.includes(userId),
    };
  }

  return {
    collect,

    /**
     * Queues the export as DMs to the member; returns how many messages it takes (0 when Weave stores
     * nothing about them: no profile, no history).
     */
    async exportData(workspaceId: string, userId: string): Promise<{ parts: number }> {
      const data = await collect(workspaceId, userId);
      // A deactivated account can't read DMs (and can't have asked).
      if (data.member?.isDeleted) return { parts: 0 };
      const stored =
        data.member !== null ||
        data.intros.length + data.givesGiven.length + data.givesReceived.length + data.groups.length > 0;
      if (!stored) return { parts: 0 };
      const parts = buildExportMessages(JSON.stringify(data, null, 2));
      // One prompt for all parts: the outbox delivers prompts in parallel, the parts must arrive in order.
      await deps.prompts.schedule([
        {
          workspaceId,
          kind: 'data_export',
          key: `data_export:${randomUUID()}`,
          userId,
          payload: { parts },
          dueAt: deps.clock.now(),
        },
      ]);
      deps.onScheduled?.();
      log.info({ workspaceId, userId, parts: parts.length }, 'data export queued');
      return { parts: parts.length };
    },

    /**
     * Deletes every row about the member. Gives they received stay for the giver, anonymised (receiver
     * null, mentions of them in reasons replaced); gives they gave, their intros, group memberships,
     * prompts and profile go. Returns how many rows were deleted or anonymised.
     */
    async forget(workspaceId: string, userId: string): Promise<{ rows: number }> {
      // Not a Slack user id: nothing can be stored under it (and it must not reach the patterns below).
      if (!SLACK_ID.test(userId)) return { rows: 0 };
      const like = `%${userId}%`;
      const mention = `<@${userId}(\\|[^>]*)?>`;
      const standIn = `forgotten-${randomUUID()}`;
      const settings = await deps.workspaces.settings(workspaceId);
      const rows = await deps.prisma.$transaction(async (tx) => {
        let n = 0;
        n += (await tx.give.deleteMany({ where: { workspaceId, giverId: userId } })).count;
        n += (
          await tx.give.updateMany({ where: { workspaceId, receiverId: userId }, data: { receiverId: null } })
        ).count;
        n += await tx.$executeRaw`
          UPDATE "Give" SET reason = replace(regexp_replace(reason, ${mention}, '@someone', 'g'), ${userId}, 'someone')
          WHERE "workspaceId" = ${workspaceId} AND reason LIKE ${like}`;
        // Source keys of received gives name the receiver (e.g. "msg:C1:123.4:U42"): a random stand-in
        // keeps them unique without a way back to the person.
        n += await tx.$executeRaw`
          UPDATE "Give" SET "sourceKey" = replace("sourceKey", ${userId}, ${standIn})
          WHERE "workspaceId" = ${workspaceId} AND "sourceKey" LIKE ${like}`;
        n += (
          await tx.intro.deleteMany({
            where: {
              workspaceId,
              OR: [{ introducerId: userId }, { userAId: userId }, { userBId: userId }],
            },
          })
        ).count;
        n += await tx.$executeRaw`
          UPDATE "Intro" SET reason = replace(regexp_replace(reason, ${mention}, '@someone', 'g'), ${userId}, 'someone')
          WHERE "workspaceId" = ${workspaceId} AND reason LIKE ${like}`;
        n += (await tx.groupMember.deleteMany({ where: { workspaceId, userId } })).count;
        n += (await tx.prompt.deleteMany({ where: { workspaceId, userId } })).count;
        // Prompts to others that name them (e.g. a pending notice about an intro with them).
        n += await tx.$executeRaw`
          DELETE FROM "Prompt" WHERE "workspaceId" = ${workspaceId}
            AND (payload::text LIKE ${like} OR COALESCE(result::text, '') LIKE ${like})`;
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
        if (settings.adminIds.includes(userId)) {
          await tx.workspace.update({
            where: { id: workspaceId },
            data: { settings: { ...settings, adminIds: settings.adminIds.filter((id) => id !== userId) } },
          });
          n += 1;
        }
        n += (await tx.member.deleteMany({ where: { workspaceId, userId } })).count;
        return n;
      });
      log.info({ workspaceId, rows }, 'member data forgotten');
      return { rows };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;

/** Sends the parts of a data export by DM, in order, then drops the copy kept in the prompt. */
export function createPrivacyDeliveryHandlers(deps: {
  prisma: Prisma;
  slack: SlackGateway;
}): Record<string, PromptHandler> {
  return {
    async data_export(prompt) {
      if (!prompt.userId) return { status: 'failed', error: 'data_export without user' };
      const raw = prompt.payload.parts;
      const parts = Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string') : [];
      if (parts.length === 0) return { status: 'skipped', reason: 'export already sent' };
      const open = await deps.slack.openConversation(prompt.workspaceId, [prompt.userId]);
      if (!open.ok) return outcomeOf(open);
      for (const [i, text] of parts.entries()) {
        // Each part has its own id, so a retry finds the parts already posted instead of repeating them.
        const posted = await postOnce(
          deps.slack,
          { ...prompt, id: `${prompt.id}:${i + 1}` },
          open.channelId,
          {
            text,
          },
        );
        if (!posted.ok) return outcomeOf(posted);
      }
      // The export lives in the member's DMs now; the outbox keeps only how many parts it had.
      await deps.prisma.prompt.update({
        where: { id: prompt.id },
        data: { payload: { parts: parts.length } },
      });
      return { status: 'sent', result: { channelId: open.channelId, parts: parts.length } };
    },
  };
}
