// Meeting state: members' working hours (Member.workingHours), a group's suggested slots and agreed time
// (Group.slots, moreSlotsOffered, meetingAt, agreedAt) and each member's pick (GroupMember.pickedSlot).
import { z } from 'zod';
import { parseWorkingHours, scheduledPersonOf } from '../../domain/schedule/index.ts';
import { Prisma as PrismaNamespace } from '../../generated/prisma/client.ts';
import type { MeetingGroup, MeetingRepository, PickOutcome } from '../../services/meetings.ts';
import type { Prisma } from '../database.ts';
import type { createPromptRepository } from './prompts.ts';

const slotsSchema = z.array(z.string().datetime());

/** A group's stored slots (a JSON list of ISO instants; anything else reads as none). */
export function parseSlots(value: unknown): Date[] {
  const r = slotsSchema.safeParse(value);
  return r.success ? r.data.map((s) => new Date(s)) : [];
}

const sameInstant = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

export function createMeetingRepository(
  prisma: Prisma,
  prompts: Pick<ReturnType<typeof createPromptRepository>, 'schedule'>,
): MeetingRepository {
  type Db = Pick<Prisma, 'group' | 'member'>;

  async function load(db: Db, workspaceId: string, groupId: string): Promise<MeetingGroup | null> {
    const g = await db.group.findFirst({ where: { id: groupId, workspaceId }, include: { members: true } });
    if (!g) return null;
    const rows = await db.member.findMany({
      where: { workspaceId, userId: { in: g.members.map((m) => m.userId) } },
      select: { userId: true, name: true, realName: true, tz: true, workingHours: true },
    });
    const byId = new Map(rows.map((r) => [r.userId, r]));
    return {
      id: g.id,
      workspaceId,
      conversationId: g.conversationId,
      slots: parseSlots(g.slots),
      moreSlotsOffered: g.moreSlotsOffered,
      meetingAt: g.meetingAt,
      members: g.members.map((m) => {
        const row = byId.get(m.userId);
        return {
          userId: m.userId,
          name: row?.realName || row?.name || m.userId,
          ...scheduledPersonOf(row),
          pickedSlot: m.pickedSlot,
        };
      }),
    };
  }

  return {
    group: (workspaceId, groupId) => load(prisma, workspaceId, groupId),

    async offerSlots(workspaceId, groupId, slots) {
      // Only the first offer is kept: a retried delivery shows the same times. One statement when this is
      // the first (every intro's delivery runs it; Prisma's updateMany with a JSON filter took three).
      const stored = await prisma.$executeRawUnsafe(
        `UPDATE "Group" SET slots = CAST($1 AS jsonb) WHERE id = $2 AND "workspaceId" = $3 AND slots = '[]'::jsonb`,
        JSON.stringify(slots.map((s) => s.toISOString())),
        groupId,
        workspaceId,
      );
      if (stored === 1) return slots;
      const g = await prisma.group.findFirst({
        where: { id: groupId, workspaceId },
        select: { slots: true },
      });
      return parseSlots(g?.slots);
    },

    async offerMoreSlots(workspaceId, groupId, slots, now) {
      return prisma.$transaction(async (tx) => {
        const r = await tx.group.updateMany({
          where: { id: groupId, workspaceId, moreSlotsOffered: false, meetingAt: null },
          data: { slots: slots.map((s) => s.toISOString()), moreSlotsOffered: true },
        });
        if (r.count !== 1) return false;
        await tx.groupMember.updateMany({ where: { groupId }, data: { pickedSlot: null } });
        await prompts.schedule(
          [{ workspaceId, kind: 'meeting_more', key: `meeting_more:${groupId}`, groupId, dueAt: now }],
          tx,
        );
        return true;
      });
    },

    async recordPick(input): Promise<PickOutcome> {
      const { workspaceId, groupId, userId, slot, now } = input;
      return prisma.$transaction(async (tx) => {
        // One agreement per group, however many members click at the same moment.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meeting:${workspaceId}:${groupId}`}))`;
        const g = await load(tx, workspaceId, groupId);
        if (!g?.members.some((m) => m.userId === userId)) return { kind: 'not_in_group' as const };
        if (g.meetingAt) return { kind: 'already_agreed' as const, at: g.meetingAt };
        if (!g.slots.some((s) => s.getTime() === slot.getTime())) return { kind: 'unknown_slot' as const };
        await tx.groupMember.update({
          where: { groupId_userId: { groupId, userId } },
          data: { pickedSlot: slot },
        });
        const picks = g.members.map((m) => (m.userId === userId ? slot : m.pickedSlot));
        const waitingFor = g.members
          .filter((_, i) => !sameInstant(picks[i] ?? null, slot))
          .map((m) => m.userId);
        if (waitingFor.length > 0) return { kind: 'waiting' as const, slot, waitingFor };
        await tx.group.update({ where: { id: groupId }, data: { meetingAt: slot, agreedAt: now } });
        await prompts.schedule(
          [{ workspaceId, kind: 'meeting_set', key: `meeting_set:${groupId}`, groupId, dueAt: now }],
          tx,
        );
        // The check-in comes after the meeting instead of halfway through the round (if not sent yet).
        await tx.prompt.updateMany({
          where: { workspaceId, key: `checkin:${groupId}`, status: 'pending' },
          data: { dueAt: input.checkInAt },
        });
        return { kind: 'agreed' as const, at: slot };
      });
    },

    async workingHours(workspaceId, userId) {
      const m = await prisma.member.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
        select: { workingHours: true },
      });
      return parseWorkingHours(m?.workingHours);
    },

    async saveWorkingHours(workspaceId, userId, hours) {
      await prisma.member.updateMany({
        where: { workspaceId, userId },
        data: { workingHours: hours === null ? PrismaNamespace.DbNull : { ...hours } },
      });
    },

    async counts(workspaceId, since, userId) {
      const where = {
        workspaceId,
        createdAt: { gte: since },
        ...(userId ? { members: { some: { userId } } } : {}),
      };
      const [met, agreed] = await Promise.all([
        prisma.group.count({ where: { ...where, status: 'met' } }),
        prisma.group.count({ where: { ...where, meetingAt: { not: null } } }),
      ]);
      return { met, agreed };
    },
  };
}
