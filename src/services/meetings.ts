// Meetings that happen: suggested times in every intro, one-click agreement, the "You're set" post and
// its calendar file, and the check-in moved to after the agreed time. Persistence is behind
// MeetingRepository (src/persistence/repositories/meetings.ts); rendering is the Slack adapter's.
import {
  checkInAfterMeeting,
  DEFAULT_WORKING_HOURS,
  type ScheduledPerson,
  SLOT_MINUTES,
  suggestMeetingSlots,
  type WorkingHours,
  workingHoursProblem,
} from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock } from './ports.ts';

/** A group member as meetings see them. */
export interface MeetingMember {
  userId: string;
  name: string;
  tz: string;
  hours: WorkingHours;
  pickedSlot: Date | null;
}

/** A group with its meeting state. */
export interface MeetingGroup {
  id: string;
  workspaceId: string;
  conversationId: string | null;
  slots: Date[];
  moreSlotsOffered: boolean;
  meetingAt: Date | null;
  members: MeetingMember[];
}

/** What a pick did. */
export type PickOutcome =
  | { kind: 'agreed'; at: Date }
  | { kind: 'waiting'; slot: Date; waitingFor: string[] }
  | { kind: 'already_agreed'; at: Date }
  | { kind: 'not_in_group' }
  | { kind: 'unknown_slot' };

/** The persistence meetings need (implemented in src/persistence/repositories/meetings.ts). */
export interface MeetingRepository {
  group(workspaceId: string, groupId: string): Promise<MeetingGroup | null>;
  /** Stores a group's first offer unless one is stored already; returns the offer stored. */
  offerSlots(workspaceId: string, groupId: string, slots: Date[]): Promise<Date[]>;
  /**
   * Replaces the offer with more slots and queues their post (`meeting_more`), once per group; false when
   * more were offered already.
   */
  offerMoreSlots(workspaceId: string, groupId: string, slots: Date[], now: Date): Promise<boolean>;
  /**
   * Records that `slot` works for `userId`; when every member picked it (and nothing was agreed yet), the
   * group agrees on it, the "You're set" post is queued (`meeting_set`) and a pending check-in moves to
   * `checkInAt`. Atomic per group: concurrent picks agree once.
   */
  recordPick(input: {
    workspaceId: string;
    groupId: string;
    userId: string;
    slot: Date;
    now: Date;
    checkInAt: Date;
  }): Promise<PickOutcome>;
  workingHours(workspaceId: string, userId: string): Promise<WorkingHours | null>;
  saveWorkingHours(workspaceId: string, userId: string, hours: WorkingHours | null): Promise<void>;
  /** Groups created since `since` (in the workspace, or of one member) that met, and that agreed a time. */
  counts(workspaceId: string, since: Date, userId?: string): Promise<{ met: number; agreed: number }>;
}

/** What an intro offers: slots to pick from, or (no shared working hours) an asynchronous start. */
export type MeetingOffer =
  | { kind: 'slots'; groupId: string; slots: Date[]; canAskMore: boolean }
  | { kind: 'no_overlap' };

/** What an offer is computed from: a group's stored offer and its members' zones and working hours. */
export interface OfferGroup {
  id: string;
  workspaceId: string;
  slots: Date[];
  moreSlotsOffered: boolean;
  people: ScheduledPerson[];
}

/** The calendar event of an agreed meeting. */
export interface MeetingEvent {
  groupId: string;
  workspaceId: string;
  start: Date;
  end: Date;
  names: string[];
  conversationId: string | null;
}

const people = (g: MeetingGroup): ScheduledPerson[] => g.members.map((m) => ({ tz: m.tz, hours: m.hours }));

/** Suggested times, agreement and working hours. */
export function createMeetingService(deps: {
  meetings: MeetingRepository;
  clock: Clock;
  log: Logger;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'meetings' });

  async function offerOf(g: OfferGroup): Promise<MeetingOffer | null> {
    if (g.people.length < 2) return null;
    const slots =
      g.slots.length > 0
        ? g.slots
        : await deps.meetings.offerSlots(
            g.workspaceId,
            g.id,
            suggestMeetingSlots(g.people, deps.clock.now()),
          );
    if (slots.length === 0) return { kind: 'no_overlap' };
    return { kind: 'slots', groupId: g.id, slots, canAskMore: !g.moreSlotsOffered };
  }

  return {
    /** The offer for a group's intro: computed once (at first delivery) and kept, so a resend shows the same. */
    async offerFor(workspaceId: string, groupId: string): Promise<MeetingOffer | null> {
      const g = await deps.meetings.group(workspaceId, groupId);
      return g ? offerOf({ ...g, people: people(g) }) : null;
    },

    /** The same for a group its caller has read already (a round's delivery: no second read). */
    offerOf,

    /** "Works for me" on one slot (idempotent: the same pick twice changes nothing). */
    async pick(input: {
      workspaceId: string;
      groupId: string;
      userId: string;
      slot: Date;
    }): Promise<PickOutcome> {
      const g = await deps.meetings.group(input.workspaceId, input.groupId);
      if (!g?.members.some((m) => m.userId === input.userId)) return { kind: 'not_in_group' };
      if (!g.slots.some((s) => s.getTime() === input.slot.getTime())) {
        return g.meetingAt ? { kind: 'already_agreed', at: g.meetingAt } : { kind: 'unknown_slot' };
      }
      const outcome = await deps.meetings.recordPick({
        ...input,
        now: deps.clock.now(),
        checkInAt: checkInAfterMeeting(people(g), input.slot),
      });
      if (outcome.kind === 'agreed') {
        log.info({ workspaceId: input.workspaceId, groupId: input.groupId }, 'meeting time agreed');
        deps.onScheduled?.();
      }
      return outcome;
    },

    /** "None of these work": three more slots on other days, once per group. */
    async noneWork(input: {
      workspaceId: string;
      groupId: string;
      userId: string;
    }): Promise<{ kind: 'offered' | 'already_offered' | 'agreed' | 'none_found' | 'not_in_group' }> {
      const g = await deps.meetings.group(input.workspaceId, input.groupId);
      if (!g?.members.some((m) => m.userId === input.userId)) return { kind: 'not_in_group' };
      if (g.meetingAt) return { kind: 'agreed' };
      if (g.moreSlotsOffered) return { kind: 'already_offered' };
      const now = deps.clock.now();
      const more = suggestMeetingSlots(people(g), now, { excludeDaysOf: g.slots });
      if (more.length === 0) return { kind: 'none_found' };
      const offered = await deps.meetings.offerMoreSlots(input.workspaceId, input.groupId, more, now);
      if (offered) deps.onScheduled?.();
      return { kind: offered ? 'offered' : 'already_offered' };
    },

    /** The agreed meeting of a group, as a calendar event (null until a time is agreed). */
    async event(workspaceId: string, groupId: string): Promise<MeetingEvent | null> {
      const g = await deps.meetings.group(workspaceId, groupId);
      if (!g?.meetingAt) return null;
      return {
        groupId: g.id,
        workspaceId,
        start: g.meetingAt,
        end: new Date(g.meetingAt.getTime() + SLOT_MINUTES * 60_000),
        names: g.members.map((m) => m.name),
        conversationId: g.conversationId,
      };
    },

    /** The group as meetings see it (for the posts that follow a pick). */
    group: (workspaceId: string, groupId: string) => deps.meetings.group(workspaceId, groupId),

    /** A member's working hours (the default when they never set any). */
    async workingHours(workspaceId: string, userId: string): Promise<WorkingHours> {
      return (await deps.meetings.workingHours(workspaceId, userId)) ?? { ...DEFAULT_WORKING_HOURS };
    },

    /** Saves a member's working hours (the default is stored as "default"). */
    async saveWorkingHours(
      workspaceId: string,
      userId: string,
      hours: WorkingHours,
    ): Promise<{ ok: true } | { ok: false; message: string }> {
      const problem = workingHoursProblem(hours);
      if (problem) return { ok: false, message: problem };
      const days = [...new Set(hours.days)].sort((a, b) => a - b);
      const isDefault =
        days.join(',') === DEFAULT_WORKING_HOURS.days.join(',') &&
        hours.startMinute === DEFAULT_WORKING_HOURS.startMinute &&
        hours.endMinute === DEFAULT_WORKING_HOURS.endMinute;
      await deps.meetings.saveWorkingHours(workspaceId, userId, isDefault ? null : { ...hours, days });
      return { ok: true };
    },

    /** "Met" and "times agreed" since `since` (a workspace's, or one member's). */
    counts: (workspaceId: string, since: Date, userId?: string) =>
      deps.meetings.counts(workspaceId, since, userId),
  };
}
export type MeetingService = ReturnType<typeof createMeetingService>;
