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
import type { FollowUpRepository } from './followup-repository.ts';
import type { GiveService } from './gives.ts';
import { departmentOf, type MemberService } from './members.ts';
import type {
  Clock,
  NewPrompt,
  PromptQueue as PromptRepository,
  WorkspaceStore as WorkspaceRepository,
} from './ports.ts';
import { nextRoundAtFor, type ProgramRow, scheduleOf } from './rounds.ts';

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

/** Opens the prefilled give modal of a thank-you in Slack (src/slack/thank-you-modal.ts). */
export interface ThankYouModalOpener {
  open(
    workspaceId: string,
    triggerId: string,
    input: { groupId: string; receiverId: string; connector: boolean },
  ): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** A member's zone and stored working hours (JSON, parsed here). */
interface ZoneRow {
  tz: string;
  workingHours: unknown;
}

/** What a newcomer's first intro came to. */
export type OnboardingMatchOutcome =
  | { kind: 'matched'; groupId: string }
  | { kind: 'skipped'; reason: string };

/** Follow-ups: heads-up, check-ins, thank-yous, reconnects, onboarding and quiet members. */
export function createFollowUpService(deps: {
  followups: FollowUpRepository;
  prompts: Pick<PromptRepository, 'schedule' | 'cancelForGroup'>;
  thankYouModal: ThankYouModalOpener;
  /** Department identity for a newcomer's first intro. */
  members: Pick<MemberService, 'departments'>;
  gives: Pick<GiveService, 'give'>;
  workspaces: WorkspaceRepository;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'followups' });

  /** A member's zone with their own working hours (messages to them stay inside those). */
  const zoneOf = (r: ZoneRow): ZoneHours => ({
    tz: r.tz,
    opts: quietHoursOf(parseWorkingHours(r.workingHours)),
  });

  async function zonesOf(workspaceId: string, userIds: string[]): Promise<Map<string, ZoneHours>> {
    const rows = await deps.followups.zones(workspaceId, userIds);
    return new Map(rows.map((r) => [r.userId, zoneOf(r)]));
  }

  async function schedule(prompts: NewPrompt[]): Promise<void> {
    if ((await deps.prompts.schedule(prompts)) > 0) deps.onScheduled?.();
  }

  /** A member's prompt at their next local working time (never quiet hours or weekends). */
  async function forMember(workspaceId: string, userId: string, earliest: Date): Promise<Date> {
    const zone = (await zonesOf(workspaceId, [userId])).get(userId) ?? { tz: 'UTC' };
    return nextWorkingTime(earliest, zone.tz, zone.opts);
  }

  const groupWithMembers = (workspaceId: string, groupId: string) =>
    deps.followups.group(workspaceId, groupId);

  return {
    /** Schedules a group's check-in at the first working time of all its members after `earliest`. */
    async scheduleCheckIn(
      workspaceId: string,
      groupId: string,
      earliest: Date,
      /** The members' rows when the caller has read them (a round's delivery), else they are read here. */
      members?: ZoneRow[],
    ): Promise<void> {
      let tzs: ZoneHours[];
      if (members) tzs = members.map(zoneOf);
      else {
        const group = await groupWithMembers(workspaceId, groupId);
        if (!group) return;
        const zones = await zonesOf(
          workspaceId,
          group.members.map((m) => m.userId),
        );
        tzs = [...zones.values()];
      }
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

    /**
     * When a delivered group should be checked on: halfway through its round, or 7 days after an intro.
     * `planned` is the round's check-in as the round was planned (its intro prompt carries it); without
     * it the round's program is read.
     */
    async checkInTimeFor(
      group: { workspaceId: string; roundId: string | null; kind: string },
      deliveredAt: Date,
      planned?: Date,
    ): Promise<Date> {
      if (group.kind === 'round' && group.roundId) {
        let at = planned;
        if (!at) {
          const program = await deps.followups.programOfRound(group.workspaceId, group.roundId);
          if (program) at = checkInAt(periodFor(scheduleOf(program), deliveredAt));
        }
        if (at && at.getTime() > deliveredAt.getTime()) return at;
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
      await deps.followups.recordResponse(group.id, input.userId, input.answer, now);
      await deps.followups.resetSilence(input.workspaceId, input.userId);
      const settled = group.status === 'met' || group.status === 'not_happening';
      if (!settled) {
        if (input.answer === 'met') {
          await deps.followups.setGroupStatus(group.id, 'met', now);
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
          await deps.followups.setGroupStatus(group.id, 'not_happening');
          await deps.prompts.cancelForGroup(input.workspaceId, group.id, [
            'checkin_reminder',
            'thank_you',
            'reconnect',
          ]);
        } else {
          await deps.followups.setGroupStatus(group.id, 'not_yet');
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
      const answers = await deps.followups.answers(group.id);
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
      const r = await deps.thankYouModal.open(input.workspaceId, input.triggerId, {
        groupId: group.id,
        receiverId: input.receiverId,
        connector: input.connector,
      });
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
      const outcome = await deps.followups.answerReconnect({ ...input, now: deps.clock.now() });
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
        if (!(await deps.followups.claimJobRun(program.workspaceId, `heads_up:${program.id}`, runKey)))
          continue;
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
      return deps.followups.programChannel(workspaceId, programId);
    },

    /** "Skip this round" from the heads-up. */
    async skipPeriod(workspaceId: string, userId: string, periodKey: string): Promise<void> {
      await deps.followups.setSkipPeriod(workspaceId, userId, periodKey);
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
      const answers = await deps.followups.recentRoundResponses(workspaceId, userIds, GHOST_ROUNDS);
      for (const userId of userIds) {
        const recent = answers.get(userId) ?? [];
        if (recent.length < GHOST_ROUNDS || recent.some((r) => r !== null)) continue;
        if (!(await deps.followups.autoPause(workspaceId, userId))) continue;
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
      const groups = await deps.followups.memberships(workspaceId, userIds);
      const sent = await deps.followups.sentSince(workspaceId, {
        kinds: BUDGETED_KINDS,
        since,
        userIds,
        groupIds: groups.map((g) => g.groupId),
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

    /** A group with its members' answers (for the posts that follow it up). */
    group: groupWithMembers,

    /** The person who made a group's `/intro` (a third person to thank), if it came from one. */
    async introducerOf(workspaceId: string, groupId: string): Promise<string | null> {
      const intro = await deps.followups.introOfGroup(workspaceId, groupId);
      return intro?.source === 'command' ? intro.introducerId : null;
    },

    /** Whether any of these people left Weave or Slack (a reconnect is not offered then). */
    anyoneGone: (workspaceId: string, userIds: string[]) => deps.followups.anyoneGone(workspaceId, userIds),

    /** Whether a member takes part in the round of `periodKey` (active and not skipping it). */
    async takingPart(workspaceId: string, userId: string, periodKey: string | undefined): Promise<boolean> {
      const member = await deps.followups.participation(workspaceId, userId);
      return member?.status === 'active' && member.skipPeriodKey !== periodKey;
    },

    /**
     * A newcomer's first intro within 2 working days, unless the next round comes sooner: someone from
     * another department when possible. The group and its intro prompt are stored together.
     */
    async onboardingMatch(input: {
      workspaceId: string;
      userId: string;
      programId: string;
      deadline: string | undefined;
    }): Promise<OnboardingMatchOutcome> {
      const { workspaceId, userId, programId, deadline } = input;
      const program = await deps.followups.program(workspaceId, programId);
      if (!program) return { kind: 'skipped', reason: 'program gone' };
      const now = deps.clock.now();
      const already = await deps.followups.groupCount(workspaceId, userId);
      if (already > 0) return { kind: 'skipped', reason: 'already introduced' };
      if (deadline && nextRoundAtFor(program, now).getTime() <= new Date(deadline).getTime()) {
        return { kind: 'skipped', reason: 'the next round comes first' };
      }
      const me = await deps.followups.pairingMember(workspaceId, userId);
      if (me?.status !== 'active') return { kind: 'skipped', reason: 'not active' };
      const departments = await deps.members.departments(workspaceId, { fresh: true });
      const mine = departments.name(departmentOf(me));
      const rows = await deps.followups.pairingCandidates(workspaceId, programId, userId);
      const other = rows.filter((r) => !me.doNotPair.includes(r.userId) && !r.doNotPair.includes(userId));
      const departmentOfRow = (r: (typeof other)[number]) => departments.name(departmentOf(r));
      const partner =
        other.find((r) => departmentOfRow(r) !== null && departmentOfRow(r) !== mine) ??
        other.find((r) => departmentOfRow(r) !== mine) ??
        other[0];
      if (!partner) return { kind: 'skipped', reason: 'nobody to pair with yet' };
      const groupId = await deps.followups.createGroupWithIntro({
        workspaceId,
        kind: 'extra',
        reasons: [
          'a first intro for someone new',
          departmentOfRow(partner) && departmentOfRow(partner) !== mine
            ? `${mine ?? 'a new team'} meets ${departmentOfRow(partner)}`
            : 'a friendly face',
        ],
        memberIds: [userId, partner.userId],
        now,
      });
      return { kind: 'matched', groupId };
    },
  };
}
export type FollowUpService = ReturnType<typeof createFollowUpService>;
