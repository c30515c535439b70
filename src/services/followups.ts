import {
  addWorkingDays,
  checkInAt,
  groupDeliveryTime,
  nextRoundAt,
  nextWorkingTime,
  parseWorkingHours,
  periodFor,
  quietHoursOf,
  type ZoneHours,
} from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { NewPrompt, PromptRepository } from '../persistence/repositories/prompts.ts';
import type { WorkspaceRepository } from '../persistence/repositories/workspaces.ts';
import { buildGiveModal } from '../slack/views/followups.ts';
import type { GiveService } from './gives.ts';
import type { Clock, SlackGateway } from './ports.ts';
import { type ProgramRow, scheduleOf } from './rounds.ts';

const DAY_MS = 86_400_000;
export const REMINDER_AFTER_DAYS = 3;
export const INTRO_CHECKIN_AFTER_DAYS = 7;
export const GHOST_ROUNDS = 3;
/** Weave-initiated messages a member gets per round at most (rolling 7 days), unless they asked. */
export const POLITENESS_BUDGET = 3;
/** Kinds that count toward the budget; the optional ones among them are skipped when it is spent. */
export const BUDGETED_KINDS = [
  'heads_up',
  'group_intro',
  'checkin',
  'checkin_reminder',
  'reconnect',
  'unmatched_notice',
];
export const OPTIONAL_KINDS = new Set(['heads_up', 'checkin_reminder', 'reconnect']);

export type CheckInAnswer = 'met' | 'not_yet' | 'not_happening';

/** Follow-ups: heads-up, check-ins, thank-yous, reconnects, onboarding and quiet members. */
export function createFollowUpService(deps: {
  prisma: Prisma;
  prompts: PromptRepository;
  slack: SlackGateway;
  gives: GiveService;
  workspaces: WorkspaceRepository;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'followups' });

  /** Members' zones with their own working hours (messages to them stay inside those). */
  async function zonesOf(workspaceId: string, userIds: string[]): Promise<Map<string, ZoneHours>> {
    const rows = await deps.prisma.member.findMany({
      where: { workspaceId, userId: { in: userIds } },
      select: { userId: true, tz: true, workingHours: true },
    });
    return new Map(
      rows.map((r) => [r.userId, { tz: r.tz, opts: quietHoursOf(parseWorkingHours(r.workingHours)) }]),
    );
  }

  async function schedule(prompts: NewPrompt[]): Promise<void> {
    if ((await deps.prompts.schedule(prompts)) > 0) deps.onScheduled?.();
  }

  /** A member's prompt at their next local working time (never quiet hours or weekends). */
  async function forMember(workspaceId: string, userId: string, earliest: Date): Promise<Date> {
    const zone = (await zonesOf(workspaceId, [userId])).get(userId) ?? { tz: 'UTC' };
    return nextWorkingTime(earliest, zone.tz, zone.opts);
  }

  async function groupWithMembers(
    workspaceId: string,
    groupId: string,
    db: Pick<Prisma, 'group'> = deps.prisma,
  ) {
    return db.group.findFirst({ where: { id: groupId, workspaceId }, include: { members: true } });
  }

  return {
    /** Schedules a group's check-in at the first working time of all its members after `earliest`. */
    async scheduleCheckIn(
      workspaceId: string,
      groupId: string,
      earliest: Date,
      memberIds?: string[],
    ): Promise<void> {
      const userIds =
        memberIds ?? (await groupWithMembers(workspaceId, groupId))?.members.map((m) => m.userId);
      if (!userIds) return;
      const tzs = [...(await zonesOf(workspaceId, userIds)).values()];
      await schedule([
        {
          workspaceId,
          kind: 'checkin',
          key: `checkin:${groupId}`,
          groupId,
          dueAt: groupDeliveryTime(earliest, tzs),
        },
      ]);
    },

    /** When a delivered group should be checked on: halfway through its round, or 7 days after an intro. */
    async checkInTimeFor(
      group: { workspaceId: string; roundId: string | null; kind: string },
      deliveredAt: Date,
    ): Promise<Date> {
      if (group.kind === 'round' && group.roundId) {
        const round = await deps.prisma.round.findUnique({
          where: { id: group.roundId },
          include: { program: true },
        });
        if (round) {
          const at = checkInAt(periodFor(scheduleOf(round.program), deliveredAt));
          if (at.getTime() > deliveredAt.getTime()) return at;
        }
      }
      return new Date(deliveredAt.getTime() + INTRO_CHECKIN_AFTER_DAYS * DAY_MS);
    },

    /** Records a check-in answer; returns the group's answers for updating the message, or why not. */
    async answerCheckIn(input: {
      workspaceId: string;
      groupId: string;
      userId: string;
      answer: CheckInAnswer;
    }) {
      const now = deps.clock.now();
      const group = await groupWithMembers(input.workspaceId, input.groupId);
      if (!group?.members.some((m) => m.userId === input.userId))
        return { ok: false as const, reason: 'not_in_group' };
      await deps.prisma.groupMember.update({
        where: { groupId_userId: { groupId: group.id, userId: input.userId } },
        data: { response: input.answer, respondedAt: now },
      });
      await deps.prisma.member.updateMany({
        where: { workspaceId: input.workspaceId, userId: input.userId },
        data: { silentRounds: 0 },
      });
      const settled = group.status === 'met' || group.status === 'not_happening';
      if (!settled) {
        if (input.answer === 'met') {
          await deps.prisma.group.update({ where: { id: group.id }, data: { status: 'met', metAt: now } });
          await deps.prompts.cancelForGroup(input.workspaceId, group.id, ['checkin_reminder']);
          const settings = await deps.workspaces.settings(input.workspaceId);
          const prompts: NewPrompt[] = [];
          for (const m of group.members) {
            prompts.push({
              workspaceId: input.workspaceId,
              kind: 'thank_you',
              key: `thank_you:${group.id}:${m.userId}`,
              userId: m.userId,
              groupId: group.id,
              dueAt: now,
            });
            prompts.push({
              workspaceId: input.workspaceId,
              kind: 'reconnect',
              key: `reconnect:${group.id}:${m.userId}`,
              userId: m.userId,
              groupId: group.id,
              dueAt: await forMember(
                input.workspaceId,
                m.userId,
                new Date(now.getTime() + settings.reconnectDays * DAY_MS),
              ),
            });
          }
          await schedule(prompts);
        } else if (input.answer === 'not_happening') {
          await deps.prisma.group.update({ where: { id: group.id }, data: { status: 'not_happening' } });
          await deps.prompts.cancelForGroup(input.workspaceId, group.id, [
            'checkin_reminder',
            'thank_you',
            'reconnect',
          ]);
        } else {
          await deps.prisma.group.update({ where: { id: group.id }, data: { status: 'not_yet' } });
          const tzs = [
            ...(
              await zonesOf(
                input.workspaceId,
                group.members.map((m) => m.userId),
              )
            ).values(),
          ];
          // One reminder at most: the key is per group.
          await schedule([
            {
              workspaceId: input.workspaceId,
              kind: 'checkin_reminder',
              key: `checkin_reminder:${group.id}`,
              groupId: group.id,
              dueAt: groupDeliveryTime(new Date(now.getTime() + REMINDER_AFTER_DAYS * DAY_MS), tzs),
            },
          ]);
        }
      }
      const answers = await deps.prisma.groupMember.findMany({
        where: { groupId: group.id },
        select: { userId: true, response: true },
      });
      return { ok: true as const, answers, conversationId: group.conversationId };
    },

    /** Opens the prefilled give modal for a thank-you (to a partner or the connector). */
    async openThankYou(input: {
      workspaceId: string;
      userId: string;
      triggerId: string;
      groupId: string;
      receiverId: string;
      connector: boolean;
    }) {
      const group = await groupWithMembers(input.workspaceId, input.groupId);
      if (!group?.members.some((m) => m.userId === input.userId)) return { ok: false as const };
      const view = buildGiveModal({
        receiverId: input.receiverId,
        kind: input.connector ? 'intro' : 'help',
        metadata: JSON.stringify({
          groupId: group.id,
          receiverId: input.receiverId,
          connector: input.connector,
        }),
      });
      const r = await deps.slack.openView(input.workspaceId, input.triggerId, view);
      if (!r.ok) log.warn({ error: r.error }, 'could not open the thank-you modal');
      return { ok: r.ok };
    },

    /** Records the thank-you give from the modal; returns an error for the reason field, if any. */
    async submitThankYou(input: {
      workspaceId: string;
      userId: string;
      groupId: string;
      receiverId: string;
      connector: boolean;
      reason: string;
    }) {
      const outcome = await deps.gives.give({
        workspaceId: input.workspaceId,
        giverId: input.userId,
        receiverIds: [input.receiverId],
        kind: input.connector ? 'intro' : 'help',
        reason: input.reason,
        source: 'thanks',
        keyFor: (id) => `thanks:${input.groupId}:${input.userId}:${id}`,
      });
      const rejected = outcome.rejected[0];
      return rejected ? { ok: false as const, message: rejected.message } : { ok: true as const };
    },

    /** A reconnect answer; when every member said yes, a new group DM is opened (once). */
    async answerReconnect(input: {
      workspaceId: string;
      promptId: string;
      userId: string;
      answer: 'yes' | 'not_now' | 'never';
    }) {
      // One transaction under a lock per original group: two members answering "yes" at the same moment
      // must open exactly one new group (each would otherwise see both answers and create one).
      const outcome = await deps.prisma.$transaction(async (tx) => {
        const prompt = await tx.prompt.findFirst({
          where: {
            id: input.promptId,
            workspaceId: input.workspaceId,
            kind: 'reconnect',
            userId: input.userId,
          },
        });
        if (!prompt?.groupId) return { ok: false as const };
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reconnect:${input.workspaceId}:${prompt.groupId}`}))`;
        const current = await tx.prompt.findUniqueOrThrow({ where: { id: prompt.id } });
        await tx.prompt.update({
          where: { id: prompt.id },
          data: { result: { ...(current.result as object), answer: input.answer } },
        });
        if (input.answer !== 'yes') return { ok: true as const, reconnected: false };
        const offers = await tx.prompt.findMany({
          where: { workspaceId: input.workspaceId, kind: 'reconnect', groupId: prompt.groupId },
        });
        const allYes =
          offers.length > 1 &&
          offers.every((o) => (o.result as { answer?: string } | null)?.answer === 'yes');
        if (!allYes) return { ok: true as const, reconnected: false };
        const original = await groupWithMembers(input.workspaceId, prompt.groupId, tx);
        if (!original) return { ok: true as const, reconnected: false };
        const key = `reconnect_group:${original.id}`;
        if (
          await tx.prompt.findUnique({ where: { workspaceId_key: { workspaceId: input.workspaceId, key } } })
        ) {
          return { ok: true as const, reconnected: true, scheduled: false };
        }
        const group = await tx.group.create({
          data: {
            workspaceId: input.workspaceId,
            kind: 'reconnect',
            reasons: ['you met before and both wanted to reconnect'],
            members: {
              create: original.members.map((m) => ({ workspaceId: input.workspaceId, userId: m.userId })),
            },
          },
        });
        await deps.prompts.schedule(
          [
            {
              workspaceId: input.workspaceId,
              kind: 'group_intro',
              key,
              groupId: group.id,
              payload: { reconnect: true },
              dueAt: deps.clock.now(),
            },
          ],
          tx,
        );
        return { ok: true as const, reconnected: true, scheduled: true };
      });
      if (!outcome.ok) return { ok: false as const };
      if ('scheduled' in outcome && outcome.scheduled) deps.onScheduled?.();
      return { ok: true as const, reconnected: outcome.reconnected };
    },

    /** Heads-ups for rounds due within the next 24 hours (once per program and period). */
    async headsUps(
      programs: ProgramRow[],
      eligibleFor: (p: ProgramRow, periodKey: string) => Promise<string[]>,
    ): Promise<number> {
      const now = deps.clock.now();
      let scheduled = 0;
      for (const program of programs.filter((p) => p.headsUp && p.active)) {
        const programSchedule = scheduleOf(program);
        const next = nextRoundAt(programSchedule, now);
        if (next.getTime() - now.getTime() > DAY_MS) continue;
        const period = periodFor(programSchedule, next);
        const runKey = `heads_up:${period.key}`;
        const claimed = await deps.prisma.jobRun.createMany({
          data: [{ workspaceId: program.workspaceId, job: `heads_up:${program.id}`, runKey }],
          skipDuplicates: true,
        });
        if (claimed.count === 0) continue;
        const userIds = await eligibleFor(program, period.key);
        const prompts: NewPrompt[] = [];
        for (const userId of userIds) {
          prompts.push({
            workspaceId: program.workspaceId,
            kind: 'heads_up',
            key: `heads_up:${program.id}:${period.key}:${userId}`,
            userId,
            payload: {
              programId: program.id,
              channelId: program.channelId,
              periodKey: period.key,
              roundAt: next.toISOString(),
            },
            dueAt: now,
          });
        }
        await schedule(prompts);
        scheduled += prompts.length;
      }
      return scheduled;
    },

    /** The channel of a program (for messages that name it). */
    async programChannel(workspaceId: string, programId: string): Promise<string | null> {
      const p = await deps.prisma.program.findFirst({
        where: { id: programId, workspaceId },
        select: { channelId: true },
      });
      return p?.channelId ?? null;
    },

    /** "Skip this round" from the heads-up. */
    async skipPeriod(workspaceId: string, userId: string, periodKey: string): Promise<void> {
      await deps.prisma.member.updateMany({
        where: { workspaceId, userId },
        data: { skipPeriodKey: periodKey },
      });
    },

    /** Someone joined a program: welcome DM now, and a first intro within 2 working days. */
    async onboard(
      workspaceId: string,
      userId: string,
      programId: string | null,
      channelId: string | null,
    ): Promise<void> {
      const now = deps.clock.now();
      const zone = (await zonesOf(workspaceId, [userId])).get(userId) ?? { tz: 'UTC' };
      const { tz, opts } = zone;
      const prompts: NewPrompt[] = [
        {
          workspaceId,
          kind: 'welcome',
          key: `welcome:${programId ?? 'workspace'}:${userId}`,
          userId,
          payload: { channelId },
          dueAt: nextWorkingTime(now, tz, opts),
        },
      ];
      if (programId) {
        prompts.push({
          workspaceId,
          kind: 'onboarding_match',
          key: `onboarding_match:${programId}:${userId}`,
          userId,
          payload: { programId, deadline: addWorkingDays(now, tz, 2, opts).toISOString() },
          dueAt: nextWorkingTime(addWorkingDays(now, tz, 1, opts), tz, opts),
        });
      }
      await schedule(prompts);
    },

    /**
     * Members silent in their last 3 delivered round groups (no check-in answer from them) are
     * auto-paused and told kindly, with a Resume button. Returns who was paused.
     */
    async pauseGhosts(workspaceId: string, userIds: string[]): Promise<string[]> {
      const paused: string[] = [];
      for (const userId of userIds) {
        const recent = await deps.prisma.groupMember.findMany({
          where: { workspaceId, userId, group: { kind: 'round', deliveredAt: { not: null } } },
          orderBy: { group: { createdAt: 'desc' } },
          take: GHOST_ROUNDS,
          select: { response: true, group: { select: { members: { select: { response: true } } } } },
        });
        if (recent.length < GHOST_ROUNDS || recent.some((r) => r.response !== null)) continue;
        const updated = await deps.prisma.member.updateMany({
          where: { workspaceId, userId, status: 'active' },
          data: { status: 'auto_paused' },
        });
        if (updated.count === 0) continue;
        paused.push(userId);
        await schedule([
          {
            workspaceId,
            kind: 'ghost_paused',
            key: `ghost_paused:${userId}:${deps.clock.now().toISOString().slice(0, 10)}`,
            userId,
            dueAt: await forMember(workspaceId, userId, deps.clock.now()),
          },
        ]);
      }
      if (paused.length > 0) log.info({ workspaceId, paused: paused.length }, 'auto-paused quiet members');
      return paused;
    },

    /** Whether optional messages may still go to these people (politeness budget, rolling 7 days). */
    async withinBudget(workspaceId: string, userIds: string[]): Promise<boolean> {
      const since = new Date(deps.clock.now().getTime() - 7 * DAY_MS);
      const groups = await deps.prisma.groupMember.findMany({
        where: { workspaceId, userId: { in: userIds } },
        select: { groupId: true, userId: true },
      });
      const sent = await deps.prisma.prompt.findMany({
        where: {
          workspaceId,
          status: 'sent',
          kind: { in: BUDGETED_KINDS },
          sentAt: { gte: since },
          OR: [{ userId: { in: userIds } }, { groupId: { in: groups.map((g) => g.groupId) } }],
        },
        select: { userId: true, groupId: true, result: true },
      });
      for (const userId of userIds) {
        const mine = new Set(groups.filter((g) => g.userId === userId).map((g) => g.groupId));
        const count = sent.filter(
          (p) =>
            (p.userId === userId || (p.groupId !== null && p.userId === null && mine.has(p.groupId))) &&
            !(p.result as { skipped?: string } | null)?.skipped,
        ).length;
        if (count >= POLITENESS_BUDGET) return false;
      }
      return true;
    },
  };
}
export type FollowUpService = ReturnType<typeof createFollowUpService>;
