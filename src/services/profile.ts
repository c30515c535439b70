import {
  addLocalDays,
  type Period,
  upcomingPeriod as upcomingPeriodOf,
  type WorkingHours,
} from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { HomeService } from './home.ts';
import type { MeetingService } from './meetings.ts';
import type { MemberRow, MemberService } from './members.ts';
import type { Clock } from './ports.ts';
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

/** A member's participation as `/intro help` shows it. */
export interface ParticipationStatus {
  status: 'active' | 'paused' | 'auto_paused' | 'opted_out';
  pausedUntil: Date | null;
  skipping: boolean;
  programs: Array<{ channelId: string; nextRoundAt: Date }>;
}

/** What the profile modal shows. */
export interface ProfileForm {
  department: string | null;
  slackDepartment: string | null;
  expertise: string[];
  interests: string[];
  doNotPair: string[];
  giveDms: boolean;
  workingHours?: WorkingHours;
  tz?: string;
  channelId?: string;
}

/** What a member control (pause, resume, skip, leave) did, for the caller to tell the member. */
export type MemberControlOutcome =
  | { kind: 'unavailable' }
  | { kind: 'already_left' }
  | { kind: 'paused'; until: Date }
  | { kind: 'resumed'; was: ParticipationStatus['status'] | 'skipping' }
  | { kind: 'no_round_to_skip' }
  | { kind: 'already_skipping'; roundAt: Date }
  | { kind: 'skipping'; roundAt: Date; channelId: string }
  | { kind: 'left' };

/** The member fields the controls and the profile modal write. */
export interface ProfileWrite {
  department?: string | null;
  expertise?: string[];
  interests?: string[];
  doNotPair?: string[];
  giveDmsOff?: boolean;
  status?: string;
  pausedUntil?: Date | null;
  skipPeriodKey?: string | null;
  silentRounds?: number;
}

/** The stored participation of a member (no Slack read). */
export interface StoredParticipation {
  status: string;
  pausedUntil: Date | null;
  skipPeriodKey: string | null;
}

/** The persistence the profile needs (implemented in src/persistence/repositories/profile.ts). */
export interface ProfileRepository {
  participation(workspaceId: string, userId: string): Promise<StoredParticipation | null>;
  update(workspaceId: string, userId: string, data: ProfileWrite): Promise<void>;
  /** Active programs the member is in. */
  activePrograms(workspaceId: string, userId: string): Promise<ProgramRow[]>;
  /** The period key of the program's latest round, if any. */
  lastPeriodKey(programId: string): Promise<string | null>;
}

/** Opens the profile modal in Slack (src/slack/profile-modal.ts). */
export interface ProfileModalOpener {
  open(
    workspaceId: string,
    triggerId: string,
    form: ProfileForm,
  ): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** A member's own controls: the profile modal, pause, resume, skip, leave; each republishes their Home. */
export function createProfileService(deps: {
  profiles: ProfileRepository;
  members: MemberService;
  home: Pick<HomeService, 'publish'>;
  /** Where working hours are kept. */
  meetings: Pick<MeetingService, 'workingHours' | 'saveWorkingHours'>;
  modal: ProfileModalOpener;
  clock: Clock;
  log: Logger;
}) {
  const log = deps.log.child({ component: 'profile' });

  /** The round a member would be in next for one program: the current period's if it has not run yet. */
  async function upcomingPeriod(program: ProgramRow, now: Date): Promise<Period> {
    const last = await deps.profiles.lastPeriodKey(program.id);
    return upcomingPeriodOf(scheduleOf(program), now, last);
  }

  async function member(workspaceId: string, userId: string): Promise<MemberRow | null> {
    return deps.members.get(workspaceId, userId);
  }

  async function update(workspaceId: string, userId: string, data: ProfileWrite): Promise<void> {
    await deps.profiles.update(workspaceId, userId, data);
    await deps.home.publish(workspaceId, userId);
  }

  const activePrograms = (workspaceId: string, userId: string) =>
    deps.profiles.activePrograms(workspaceId, userId);

  /** Whether a stored pause has lapsed (a lapsed pause counts as active). */
  function effectiveStatus(m: StoredParticipation, now: Date): ParticipationStatus['status'] {
    const s = m.status as ParticipationStatus['status'];
    if (s === 'paused' && m.pausedUntil && m.pausedUntil.getTime() <= now.getTime()) return 'active';
    return ['active', 'paused', 'auto_paused', 'opted_out'].includes(s) ? s : 'active';
  }

  return {
    /** The caller's status for `/intro help` (read only: nothing is created). */
    async status(workspaceId: string, userId: string): Promise<ParticipationStatus> {
      const now = deps.clock.now();
      const m = await deps.profiles.participation(workspaceId, userId);
      const programs = await activePrograms(workspaceId, userId);
      const next = await Promise.all(
        programs.map(async (p) => ({ p, period: await upcomingPeriod(p, now) })),
      );
      const skipping = Boolean(m?.skipPeriodKey && next.some((n) => n.period.key === m.skipPeriodKey));
      return {
        status: m ? effectiveStatus(m, now) : 'active',
        pausedUntil: m?.pausedUntil ?? null,
        skipping,
        programs: programs.map((p) => ({ channelId: p.channelId, nextRoundAt: nextRoundAtFor(p, now) })),
      };
    },

    /** What the profile modal shows (department defaults to the Slack profile field). */
    async modalFor(workspaceId: string, userId: string, channelId?: string): Promise<ProfileForm> {
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
      const r = await deps.modal.open(input.workspaceId, input.triggerId, data);
      if (!r.ok) log.warn({ workspaceId: input.workspaceId, error: r.error }, 'could not open the profile');
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },

    /** Pauses for `days` days from now in the member's time zone (the App Home's "Pause 2 weeks"). */
    async pauseFor(workspaceId: string, userId: string, days: number): Promise<MemberControlOutcome> {
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
    async pause(workspaceId: string, userId: string, until: Date): Promise<MemberControlOutcome> {
      const m = await member(workspaceId, userId);
      if (!m) return { kind: 'unavailable' };
      if (m.status === 'opted_out') return { kind: 'already_left' };
      await update(workspaceId, userId, { status: 'paused', pausedUntil: until });
      return { kind: 'paused', until };
    },

    /** Ends a pause, an auto-pause, a skip or having left. */
    async resume(workspaceId: string, userId: string): Promise<MemberControlOutcome> {
      const m = await member(workspaceId, userId);
      if (!m) return { kind: 'unavailable' };
      const was = m.skipPeriodKey ? 'skipping' : effectiveStatus(m, deps.clock.now());
      await update(workspaceId, userId, {
        status: 'active',
        pausedUntil: null,
        skipPeriodKey: null,
        silentRounds: 0,
      });
      return { kind: 'resumed', was };
    },

    /** Skips the next round of the soonest program the member is in. */
    async skip(workspaceId: string, userId: string): Promise<MemberControlOutcome> {
      const now = deps.clock.now();
      const m = await member(workspaceId, userId);
      const programs = await activePrograms(workspaceId, userId);
      if (!m) return { kind: 'unavailable' };
      if (programs.length === 0) return { kind: 'no_round_to_skip' };
      const upcoming = await Promise.all(
        programs.map(async (p) => ({ p, period: await upcomingPeriod(p, now) })),
      );
      upcoming.sort((a, b) => a.period.roundAt.getTime() - b.period.roundAt.getTime());
      const first = upcoming[0];
      if (!first) return { kind: 'no_round_to_skip' };
      if (m.skipPeriodKey === first.period.key)
        return { kind: 'already_skipping', roundAt: first.period.roundAt };
      await update(workspaceId, userId, { skipPeriodKey: first.period.key });
      return { kind: 'skipping', roundAt: first.period.roundAt, channelId: first.p.channelId };
    },

    /** Leaves Weave intros (no rounds, no invites) until `/intro resume`. */
    async leave(workspaceId: string, userId: string): Promise<MemberControlOutcome> {
      const m = await member(workspaceId, userId);
      if (m?.status === 'opted_out') return { kind: 'already_left' };
      if (!m) return { kind: 'unavailable' };
      await update(workspaceId, userId, { status: 'opted_out', pausedUntil: null, skipPeriodKey: null });
      return { kind: 'left' };
    },
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
