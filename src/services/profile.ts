import {
  addLocalDays,
  type Period,
  upcomingPeriod as upcomingPeriodOf,
  type WorkingHours,
} from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { CommandReply } from '../slack/views/help.ts';
import { buildStatusLine, type MemberStatus, memberReplies } from '../slack/views/intro-status.ts';
import { buildProfileModal, type ProfileModalInput } from '../slack/views/profile-modal.ts';
import type { HomeService } from './home.ts';
import type { MeetingService } from './meetings.ts';
import type { MemberRow, MemberService, MemberWrite } from './members.ts';
import type { Clock, SlackGateway } from './ports.ts';
import { nextRoundAtFor, type ProgramRow, scheduleOf } from './rounds.ts';

const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;

/** What the profile modal saves. */
export interface ProfileUpdate {
  department: string | null;
  expertise: string[];
  interests: string[];
  doNotPair: string[];
  giveDms: boolean;
  /** Left out when unchanged (an older modal without the fields). */
  workingHours?: WorkingHours;
}

/** The round a member would be in next for one program: the current period's if it has not run yet. */
async function upcomingPeriod(prisma: Prisma, program: ProgramRow, now: Date): Promise<Period> {
  const schedule = scheduleOf(program);
  const last = await prisma.round.findFirst({
    where: { programId: program.id },
    orderBy: { createdAt: 'desc' },
    select: { periodKey: true },
  });
  return upcomingPeriodOf(schedule, now, last?.periodKey ?? null);
}

/** A member's own controls: the profile modal, pause, resume, skip, leave; each republishes their Home. */
export function createProfileService(deps: {
  prisma: Prisma;
  members: MemberService;
  home: Pick<HomeService, 'publish'>;
  /** Where working hours are kept. */
  meetings: Pick<MeetingService, 'workingHours' | 'saveWorkingHours'>;
  slack: SlackGateway;
  clock: Clock;
  log: Logger;
}) {
  const log = deps.log.child({ component: 'profile' });

  async function member(workspaceId: string, userId: string): Promise<MemberRow | null> {
    return deps.members.get(workspaceId, userId);
  }

  async function update(workspaceId: string, userId: string, data: MemberWrite): Promise<void> {
    await deps.prisma.member.update({ where: { workspaceId_userId: { workspaceId, userId } }, data });
    await deps.home.publish(workspaceId, userId);
  }

  async function activePrograms(workspaceId: string, userId: string): Promise<ProgramRow[]> {
    const rows = await deps.prisma.programMember.findMany({
      where: { workspaceId, userId, leftAt: null, program: { active: true } },
      include: { program: true },
    });
    return rows.map((r) => r.program);
  }

  /** Whether a stored pause has lapsed (a lapsed pause counts as active). */
  function effectiveStatus(m: MemberRow, now: Date): MemberStatus['status'] {
    const s = m.status as MemberStatus['status'];
    if (s === 'paused' && m.pausedUntil && m.pausedUntil.getTime() <= now.getTime()) return 'active';
    return ['active', 'paused', 'auto_paused', 'opted_out'].includes(s) ? s : 'active';
  }

  return {
    /** The caller's status for `/intro help` (read only: nothing is created). */
    async status(workspaceId: string, userId: string) {
      const now = deps.clock.now();
      const m = await deps.prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
      });
      const programs = await activePrograms(workspaceId, userId);
      const next = await Promise.all(
        programs.map(async (p) => ({ p, period: await upcomingPeriod(deps.prisma, p, now) })),
      );
      const skipping = Boolean(m?.skipPeriodKey && next.some((n) => n.period.key === m.skipPeriodKey));
      return buildStatusLine({
        status: m ? effectiveStatus(m, now) : 'active',
        pausedUntil: m?.pausedUntil ?? null,
        skipping,
        programs: programs.map((p) => ({ channelId: p.channelId, nextRoundAt: nextRoundAtFor(p, now) })),
      });
    },

    /** What the profile modal shows (department defaults to the Slack profile field). */
    async modalFor(workspaceId: string, userId: string, channelId?: string): Promise<ProfileModalInput> {
      const m = await member(workspaceId, userId);
      return {
        department: m?.department ?? null,
        slackDepartment: m?.slackDepartment ?? null,
        expertise: m?.expertise ?? [],
        interests: m?.interests ?? [],
        doNotPair: (m?.doNotPair ?? []).filter((id) => SLACK_ID.test(id)),
        giveDms: !(m?.giveDmsOff ?? false),
        workingHours: await deps.meetings.workingHours(workspaceId, userId),
        tz: m?.tz ?? 'UTC',
        ...(channelId ? { channelId } : {}),
      };
    },

    /** Opens the profile modal (within the trigger's 3 seconds: one read, then views.open). */
    async openModal(input: {
      workspaceId: string;
      userId: string;
      triggerId: string;
      channelId?: string;
    }): Promise<{ ok: true } | { ok: false; error: string }> {
      const data = await this.modalFor(input.workspaceId, input.userId, input.channelId);
      const r = await deps.slack.openView(input.workspaceId, input.triggerId, buildProfileModal(data));
      if (!r.ok) log.warn({ workspaceId: input.workspaceId, error: r.error }, 'could not open the profile');
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },

    /** Pauses for `days` days from now in the member's time zone (the App Home's "Pause 2 weeks"). */
    async pauseFor(workspaceId: string, userId: string, days: number): Promise<CommandReply> {
      const m = await member(workspaceId, userId);
      return this.pause(workspaceId, userId, addLocalDays(deps.clock.now(), m?.tz ?? 'UTC', days));
    },

    /** Saves the profile modal. A department equal to Slack's is stored as "follow Slack". */
    async save(workspaceId: string, userId: string, p: ProfileUpdate): Promise<void> {
      const m = await member(workspaceId, userId);
      if (!m) throw new Error(`member ${userId} could not be loaded to save a profile`);
      const same = p.department !== null && p.department === m.slackDepartment?.trim();
      if (p.workingHours) {
        const saved = await deps.meetings.saveWorkingHours(workspaceId, userId, p.workingHours);
        if (!saved.ok) log.warn({ workspaceId, userId }, 'working hours not saved: invalid');
      }
      await update(workspaceId, userId, {
        department: same ? null : p.department,
        expertise: p.expertise,
        interests: p.interests,
        doNotPair: p.doNotPair.filter((id) => SLACK_ID.test(id) && id !== userId),
        giveDmsOff: !p.giveDms,
      });
      log.info({ workspaceId, userId, expertise: p.expertise.length }, 'profile saved');
    },

    /** Pauses round intros until `until`. */
    async pause(workspaceId: string, userId: string, until: Date): Promise<CommandReply> {
      const m = await member(workspaceId, userId);
      if (!m) return memberReplies.unavailable();
      if (m.status === 'opted_out') return memberReplies.alreadyLeft();
      await update(workspaceId, userId, { status: 'paused', pausedUntil: until });
      return memberReplies.paused(until);
    },

    /** Ends a pause, an auto-pause, a skip or having left. */
    async resume(workspaceId: string, userId: string): Promise<CommandReply> {
      const m = await member(workspaceId, userId);
      if (!m) return memberReplies.unavailable();
      const was = m.skipPeriodKey ? 'skipping' : effectiveStatus(m, deps.clock.now());
      await update(workspaceId, userId, {
        status: 'active',
        pausedUntil: null,
        skipPeriodKey: null,
        silentRounds: 0,
      });
      return memberReplies.resumed(was);
    },

    /** Skips the next round of the soonest program the member is in. */
    async skip(workspaceId: string, userId: string): Promise<CommandReply> {
      const now = deps.clock.now();
      const m = await member(workspaceId, userId);
      const programs = await activePrograms(workspaceId, userId);
      if (!m) return memberReplies.unavailable();
      if (programs.length === 0) return memberReplies.noRoundToSkip();
      const upcoming = await Promise.all(
        programs.map(async (p) => ({ p, period: await upcomingPeriod(deps.prisma, p, now) })),
      );
      upcoming.sort((a, b) => a.period.roundAt.getTime() - b.period.roundAt.getTime());
      const first = upcoming[0];
      if (!first) return memberReplies.noRoundToSkip();
      if (m.skipPeriodKey === first.period.key) return memberReplies.alreadySkipping(first.period.roundAt);
      await update(workspaceId, userId, { skipPeriodKey: first.period.key });
      return memberReplies.skipping(first.period.roundAt, first.p.channelId);
    },

    /** Leaves Weave intros (no rounds, no invites) until `/intro resume`. */
    async leave(workspaceId: string, userId: string): Promise<CommandReply> {
      const m = await member(workspaceId, userId);
      if (m?.status === 'opted_out') return memberReplies.alreadyLeft();
      if (!m) return memberReplies.unavailable();
      await update(workspaceId, userId, { status: 'opted_out', pausedUntil: null, skipPeriodKey: null });
      return memberReplies.left();
    },
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
