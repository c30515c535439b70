import type { Prisma } from '../../src/persistence/database.ts';
import { TEAM_ID, TEAM_NAME } from './fake-workspace.ts';

const DAY_MS = 86_400_000;

export interface SeedPerson {
  userId: string;
  department: string | null;
  isAdmin?: boolean;
  name?: string;
}

/** Members as Weave would have stored them after a profile sync at `now` (no Slack lookups needed). */
export async function seedMembers(prisma: Prisma, people: SeedPerson[], now: Date, workspaceId = TEAM_ID) {
  await ensureWorkspace(prisma, workspaceId);
  await prisma.member.createMany({
    data: people.map((p) => ({
      workspaceId,
      userId: p.userId,
      name: p.name ?? p.userId.toLowerCase(),
      realName: p.name ?? p.userId,
      slackDepartment: p.department,
      isAdmin: p.isAdmin ?? false,
      tz: 'Europe/Berlin',
      profileSyncedAt: now,
      firstSeenAt: new Date(now.getTime() - 365 * DAY_MS),
    })),
    skipDuplicates: true,
  });
}

async function ensureWorkspace(prisma: Prisma, workspaceId: string) {
  await prisma.workspace.upsert({
    where: { id: workspaceId },
    create: { id: workspaceId, name: TEAM_NAME },
    update: {},
  });
}

/** `n` people of `department` with ids `${prefix}001`…, e.g. people('Sales', 4, 'U3SAL'). */
export function people(department: string | null, n: number, prefix: string): SeedPerson[] {
  return Array.from({ length: n }, (_, i) => ({
    userId: `${prefix}${String(i + 1).padStart(3, '0')}`,
    department,
  }));
}

export async function seedProgram(
  prisma: Prisma,
  opts: { channelId: string; createdAt: Date; recap?: boolean; workspaceId?: string },
) {
  await ensureWorkspace(prisma, opts.workspaceId ?? TEAM_ID);
  return prisma.program.create({
    data: {
      workspaceId: opts.workspaceId ?? TEAM_ID,
      channelId: opts.channelId,
      tz: 'Europe/Berlin',
      anchor: opts.createdAt,
      createdAt: opts.createdAt,
      recap: opts.recap ?? true,
    },
  });
}

export interface SeedGroup {
  members: string[];
  /** When they said they met; null = not (yet). */
  metAt: Date | null;
}

/** A delivered round of a program with its groups. */
export async function seedRound(
  prisma: Prisma,
  opts: {
    programId: string;
    number: number;
    at: Date;
    groups: SeedGroup[];
    status?: string;
    workspaceId?: string;
  },
) {
  const workspaceId = opts.workspaceId ?? TEAM_ID;
  const round = await prisma.round.create({
    data: {
      workspaceId,
      programId: opts.programId,
      periodKey: `seed-${opts.number}`,
      number: opts.number,
      seed: opts.number,
      status: opts.status ?? 'delivered',
      createdAt: opts.at,
      deliveredAt: opts.status === 'delivering' ? null : opts.at,
    },
  });
  for (const g of opts.groups) {
    await prisma.group.create({
      data: {
        workspaceId,
        roundId: round.id,
        kind: 'round',
        status: g.metAt ? 'met' : 'pending',
        metAt: g.metAt,
        deliveredAt: opts.at,
        createdAt: opts.at,
        members: { create: g.members.map((userId) => ({ workspaceId, userId })) },
      },
    });
  }
  return round;
}

export async function seedGive(
  prisma: Prisma,
  g: { giverId: string; receiverId: string; kind: string; at: Date; key: string; workspaceId?: string },
) {
  await prisma.give.create({
    data: {
      workspaceId: g.workspaceId ?? TEAM_ID,
      giverId: g.giverId,
      receiverId: g.receiverId,
      kind: g.kind,
      reason: 'seeded history',
      source: 'command',
      sourceKey: g.key,
      createdAt: g.at,
    },
  });
}

/** A small deterministic generator (tests must not depend on Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A workspace with `weeks` weekly rounds of history: everyone paired across departments where possible,
 * about two in three groups meeting two days after their round, and a few gives of every kind each week.
 */
export async function seedHistory(
  prisma: Prisma,
  opts: { now: Date; weeks: number; people: SeedPerson[]; channelId: string; seed?: number },
) {
  const rnd = lcg(opts.seed ?? 42);
  const program = await seedProgram(prisma, {
    channelId: opts.channelId,
    createdAt: new Date(opts.now.getTime() - (opts.weeks + 1) * 7 * DAY_MS),
  });
  const pool = opts.people.filter((p) => p.department !== null);
  const kinds = ['expertise', 'intro', 'help', 'mentoring', 'feedback'];
  for (let week = 0; week < opts.weeks; week += 1) {
    const at = new Date(opts.now.getTime() - (opts.weeks - week) * 7 * DAY_MS);
    // Interleave departments so neighbours differ, then pair neighbours.
    const shuffled = [...pool].sort(() => rnd() - 0.5);
    const byDept = new Map<string, SeedPerson[]>();
    for (const p of shuffled) byDept.set(p.department!, [...(byDept.get(p.department!) ?? []), p]);
    const order: SeedPerson[] = [];
    const queues = [...byDept.values()].sort((a, b) => b.length - a.length);
    while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length) order.push(q.shift()!);
    const groups: SeedGroup[] = [];
    for (let i = 0; i + 1 < order.length; i += 2) {
      const members = [order[i]!.userId, order[i + 1]!.userId];
      if (i + 3 === order.length) members.push(order[i + 2]!.userId);
      groups.push({ members, metAt: rnd() < 0.65 ? new Date(at.getTime() + 2 * DAY_MS) : null });
    }
    await seedRound(prisma, { programId: program.id, number: week + 1, at, groups });
    for (let g = 0; g < 6; g += 1) {
      const giver = pool[Math.floor(rnd() * pool.length)]!;
      const receiver = pool[Math.floor(rnd() * pool.length)]!;
      if (giver.userId === receiver.userId) continue;
      await seedGive(prisma, {
        giverId: giver.userId,
        receiverId: receiver.userId,
        kind: kinds[(week + g) % kinds.length]!,
        at: new Date(at.getTime() + (g + 1) * 3600_000),
        key: `seed:${week}:${g}`,
      });
    }
  }
  return program;
}
