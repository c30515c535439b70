// Members (Member rows): profiles synced from Slack and where each member's department comes from.
import type { DepartmentDirectory } from '../../domain/departments.ts';
import { parseWorkspaceSettings } from '../../domain/settings.ts';
import { type DepartmentMemberRepository, summarizeDepartments } from '../../services/departments.ts';
import {
  type DepartmentRows,
  directoryOf,
  type MemberRepository,
  type MemberRow,
  type MemberWrite,
} from '../../services/members.ts';
import type { Prisma, SqlStatements, TransactionClient } from '../database.ts';
import { insertRows } from './bulk-insert.ts';

type Db = Prisma | TransactionClient;
const current = { isBot: false, isDeleted: false } as const;
const isRoot = (db: Db): db is Prisma => typeof (db as Partial<Prisma>).$transaction === 'function';
/** Members per multi-row insert on a first sync (about 15 columns a row, well under 65,535 parameters). */
const MEMBER_BATCH_ROWS = 1000;

async function departmentRows(db: Db, workspaceId: string): Promise<DepartmentRows> {
  const [ws, rows] = await Promise.all([
    db.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } }),
    db.member.findMany({
      where: { workspaceId, ...current },
      select: { department: true, slackDepartment: true },
    }),
  ]);
  return { settings: parseWorkspaceSettings(ws?.settings), rows };
}

/**
 * The workspace's department directory read with a Prisma client, for services not yet behind a
 * repository (they call it through src/services/members.ts); the same queries as `departmentRows`.
 */
export async function loadDepartments(prisma: Prisma, workspaceId: string): Promise<DepartmentDirectory> {
  return directoryOf(await departmentRows(prisma, workspaceId));
}

/** `summarizeDepartments` with a Prisma client, for services not yet behind a repository. */
export function departmentsSummary(prisma: Prisma, workspaceId: string, userIds?: string[]) {
  return summarizeDepartments(createMemberRepository(prisma), workspaceId, userIds);
}

/** `sql`, when given, writes a first sync's members on the driver's plain SQL (not inside `db`'s transaction). */
export function createMemberRepository(
  db: Db,
  sql?: SqlStatements,
): MemberRepository & DepartmentMemberRepository {
  /** Every Slack department replaced by `assigned` in one transaction; rows made for users not met yet. */
  async function replace(tx: TransactionClient, workspaceId: string, assigned: Map<string, string>) {
    await tx.member.updateMany({
      where: { workspaceId, slackDepartment: { not: null } },
      data: { slackDepartment: null },
    });
    const byDepartment = new Map<string, string[]>();
    for (const [userId, name] of assigned)
      byDepartment.set(name, [...(byDepartment.get(name) ?? []), userId]);
    await tx.member.createMany({
      data: [...assigned.keys()].map((userId) => ({ workspaceId, userId })),
      skipDuplicates: true,
    });
    for (const [name, userIds] of byDepartment) {
      await tx.member.updateMany({
        where: { workspaceId, userId: { in: userIds } },
        data: { slackDepartment: name },
      });
    }
  }

  /**
   * New members in one multi-row INSERT on the driver's plain SQL (bulk-insert.ts: Prisma keeps big plans
   * in memory), then read back: the rows this call inserted, not those someone else stored meanwhile.
   */
  async function insertPlain(
    sql: SqlStatements,
    workspaceId: string,
    data: MemberWrite[],
  ): Promise<MemberRow[]> {
    const now = new Date();
    const insertedIds = await insertRows<{ userId: string }>(
      sql,
      'Member',
      // @updatedAt is Prisma's to fill in, not the column's default.
      data.map((d) => ({ ...d, updatedAt: now })),
      { onConflict: 'ON CONFLICT DO NOTHING', returning: ['userId'], jsonColumns: ['workingHours'] },
    );
    if (insertedIds.length === 0) return [];
    return db.member.findMany({ where: { workspaceId, userId: { in: insertedIds.map((r) => r.userId) } } });
  }

  return {
    async byUserIds(workspaceId: string, userIds: string[]): Promise<MemberRow[]> {
      return db.member.findMany({ where: { workspaceId, userId: { in: userIds } } });
    },

    // Prisma's upsert is a read-then-write here, so two concurrent first sightings of a user would
    // collide; INSERT … ON CONFLICT DO NOTHING then UPDATE cannot.
    async upsert(
      workspaceId: string,
      userId: string,
      create: MemberWrite,
      update: MemberWrite,
    ): Promise<MemberRow> {
      await db.member.createMany({ data: [{ ...create, workspaceId, userId }], skipDuplicates: true });
      return db.member.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: update });
    },

    async upsertMany(workspaceId, rows) {
      const saved: MemberRow[] = [];
      const oneByOne = rows.filter((r) => r.stored);
      const fresh = rows.filter((r) => !r.stored);
      for (let i = 0; i < fresh.length; i += MEMBER_BATCH_ROWS) {
        const batch = fresh.slice(i, i + MEMBER_BATCH_ROWS);
        const data = batch.map((r) => ({ ...r.create, workspaceId, userId: r.userId }));
        const inserted = sql
          ? await insertPlain(sql, workspaceId, data)
          : await db.member.createManyAndReturn({ data, skipDuplicates: true });
        saved.push(...inserted);
        // Stored meanwhile by someone else (a give from them, another replica): updated as `upsert` would.
        const got = new Set(inserted.map((m) => m.userId));
        oneByOne.push(...batch.filter((r) => !got.has(r.userId)));
      }
      for (const r of oneByOne) saved.push(await this.upsert(workspaceId, r.userId, r.create, r.update));
      return saved;
    },

    async settings(workspaceId: string) {
      const ws = await db.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
      return parseWorkspaceSettings(ws?.settings);
    },

    departmentRows: (workspaceId: string) => departmentRows(db, workspaceId),

    async replaceSlackDepartments(workspaceId: string, assigned: Map<string, string>): Promise<void> {
      // A client already inside a transaction has no $transaction: its caller's transaction holds.
      if (isRoot(db)) await db.$transaction((tx) => replace(tx, workspaceId, assigned));
      else await replace(db, workspaceId, assigned);
    },

    async currentDepartments(workspaceId: string, userIds?: string[]) {
      return db.member.findMany({
        where: { workspaceId, ...current, ...(userIds ? { userId: { in: userIds } } : {}) },
        select: { department: true, slackDepartment: true },
      });
    },

    async currentDepartmentsByUser(workspaceId: string) {
      return db.member.findMany({
        where: { workspaceId, ...current },
        select: { userId: true, department: true, slackDepartment: true },
        orderBy: { userId: 'asc' },
      });
    },

    async resyncProfiles(workspaceId: string): Promise<void> {
      await db.member.updateMany({ where: { workspaceId }, data: { profileSyncedAt: null } });
    },

    async countWithoutDepartment(workspaceId: string): Promise<number> {
      return db.member.count({
        where: { workspaceId, ...current, slackDepartment: null, department: null },
      });
    },
  };
}
