import { type DepartmentDirectory, departmentDirectory } from '../domain/departments.ts';
import { departmentFieldFor, departmentsFromProfile, type WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock, SlackGateway, SlackUser } from './ports.ts';

/** A member as Weave stores them (one per workspace and Slack user). */
export interface MemberRow {
  workspaceId: string;
  userId: string;
  name: string;
  realName: string;
  title: string;
  tz: string;
  /** From the admin-chosen Slack source (profile field, title, user group, CSV). */
  slackDepartment: string | null;
  /** Set by the member in Weave; wins over slackDepartment. */
  department: string | null;
  expertise: string[];
  interests: string[];
  /** Private to this member. */
  doNotPair: string[];
  /** Stored JSON, read through the meeting repository (domain/schedule parses it). */
  workingHours: unknown;
  isBot: boolean;
  isDeleted: boolean;
  isGuest: boolean;
  isAdmin: boolean;
  /** active | paused | auto_paused | opted_out */
  status: string;
  pausedUntil: Date | null;
  skipPeriodKey: string | null;
  giveDmsOff: boolean;
  silentRounds: number;
  lastTrioRoundId: string | null;
  firstSeenAt: Date;
  profileSyncedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
/** Columns written through plain updates (working hours go through the meeting repository, as JSON). */
export type MemberWrite = Partial<Omit<MemberRow, 'workingHours'>>;

/** What a department directory is built from: the settings (merges) and current members' departments. */
export interface DepartmentRows {
  settings: WorkspaceSettings;
  rows: Array<Pick<MemberRow, 'department' | 'slackDepartment'>>;
}

/** The persistence the member service needs (src/persistence/repositories/members.ts). */
export interface MemberRepository {
  /** The stored members among `userIds`. */
  byUserIds(workspaceId: string, userIds: string[]): Promise<MemberRow[]>;
  /** Creates the member with `create` or updates it with `update`, safe under concurrent first sightings. */
  upsert(workspaceId: string, userId: string, create: MemberWrite, update: MemberWrite): Promise<MemberRow>;
  /**
   * `upsert` for many at once: people not stored yet are inserted in a few multi-row statements (a
   * first sync of a 10,000-person channel), the others updated one by one.
   */
  upsertMany(
    workspaceId: string,
    rows: Array<{ userId: string; create: MemberWrite; update: MemberWrite; stored: boolean }>,
  ): Promise<MemberRow[]>;
  /** The workspace's settings, defaults filled in. */
  settings(workspaceId: string): Promise<WorkspaceSettings>;
  /** The settings and every current (not bot, not deleted) member's departments, read together. */
  departmentRows(workspaceId: string): Promise<DepartmentRows>;
  /**
   * Replaces every member's Slack department with `assigned` (user id → department; everyone else none),
   * all at once; users not stored yet get a row.
   */
  replaceSlackDepartments(workspaceId: string, assigned: Map<string, string>): Promise<void>;
}

const PROFILE_MAX_AGE_MS = 24 * 60 * 60_000;
const FIELD_CACHE_MS = 60 * 60_000;
/** How often departments from Slack user groups are read again (before a round, at most this often). */
const USERGROUPS_REFRESH_MS = 60 * 60_000;
/** `departmentField` when departments do not come from profiles (user groups, CSV): sync leaves them as they are. */
export const DEPARTMENT_NOT_FROM_PROFILE = '';
/** How long a workspace's department directory is reused (profiles change rarely; merges clear it). */
const DIRECTORY_CACHE_MS = 60_000;

/** The department a member is known by: their own choice in Weave, else Slack's, else unknown (null). */
export function departmentOf(m: Pick<MemberRow, 'department' | 'slackDepartment'>): string | null {
  const own = m.department?.trim();
  if (own) return own;
  const slack = m.slackDepartment?.trim();
  return slack ? slack : null;
}

/** The department directory of what `departmentRows` read: every member's department, merges applied. */
export function directoryOf(read: DepartmentRows): DepartmentDirectory {
  return departmentDirectory(read.rows.map(departmentOf), read.settings.departmentMerges);
}

/** From this many stale profiles on, `sync` reads the member list in bulk. */
export const BULK_SYNC_MIN = 50;

/** Keeps Member rows in step with Slack profiles (time zone, title, department field). */
export function createMemberService(deps: {
  repo: MemberRepository;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
}) {
  const fieldCache = new Map<string, { field: string; at: number }>();
  const directoryCache = new Map<string, { directory: DepartmentDirectory; at: number }>();
  const userGroupsReadAt = new Map<string, number>();

  /**
   * Departments from Slack user groups: each chosen group is a department (a person in several takes the
   * first chosen); everyone else has none. Members Weave has not met yet get a row to hold theirs.
   */
  async function refreshUserGroups(
    workspaceId: string,
    opts: { force?: boolean } = {},
  ): Promise<{ ok: true; assigned: number; groups: number } | { ok: false; error: string } | null> {
    const settings = await deps.repo.settings(workspaceId);
    if (settings.departmentSource !== 'usergroups') return null;
    const now = deps.clock.now().getTime();
    if (!opts.force && now - (userGroupsReadAt.get(workspaceId) ?? 0) < USERGROUPS_REFRESH_MS) return null;
    const r = await deps.slack.userGroups(workspaceId);
    if (!r.ok) {
      deps.log.warn(
        { workspaceId, error: r.error },
        'could not read user groups; departments stay as they were',
      );
      return { ok: false, error: r.error };
    }
    const byId = new Map(r.groups.map((g) => [g.id, g]));
    const assigned = new Map<string, string>();
    const chosen = settings.departmentUsergroups.map((id) => byId.get(id)).filter((g) => g !== undefined);
    for (const g of chosen)
      for (const userId of g.userIds) if (!assigned.has(userId)) assigned.set(userId, g.name);
    await deps.repo.replaceSlackDepartments(workspaceId, assigned);
    userGroupsReadAt.set(workspaceId, now);
    directoryCache.delete(workspaceId);
    return { ok: true, assigned: assigned.size, groups: chosen.length };
  }

  /** One department identity for the workspace: every member's department, spellings folded, merges applied. */
  async function departments(
    workspaceId: string,
    opts: { fresh?: boolean } = {},
  ): Promise<DepartmentDirectory> {
    const now = deps.clock.now().getTime();
    const cached = directoryCache.get(workspaceId);
    if (!opts.fresh && cached && now - cached.at < DIRECTORY_CACHE_MS) return cached.directory;
    const directory = directoryOf(await deps.repo.departmentRows(workspaceId));
    directoryCache.set(workspaceId, { directory, at: now });
    return directory;
  }

  async function departmentField(workspaceId: string): Promise<string> {
    const cached = fieldCache.get(workspaceId);
    const now = deps.clock.now().getTime();
    if (cached && now - cached.at < FIELD_CACHE_MS) return cached.field;
    const settings = await deps.repo.settings(workspaceId);
    if (!departmentsFromProfile(settings)) {
      fieldCache.set(workspaceId, { field: DEPARTMENT_NOT_FROM_PROFILE, at: now });
      return DEPARTMENT_NOT_FROM_PROFILE;
    }
    const fields =
      settings.departmentField || settings.departmentSource === 'title'
        ? { ok: true as const, fields: [] }
        : await deps.slack.profileFields(workspaceId);
    const field = departmentFieldFor(settings, fields.ok ? fields.fields : []);
    fieldCache.set(workspaceId, { field, at: now });
    return field;
  }

  async function saveFromSlack(workspaceId: string, u: SlackUser, field: string): Promise<MemberRow> {
    const { create, update } = writesFromSlack(u, field);
    return deps.repo.upsert(workspaceId, u.id, create, update);
  }

  function writesFromSlack(u: SlackUser, field: string): { create: MemberWrite; update: MemberWrite } {
    const fromProfile = field !== DEPARTMENT_NOT_FROM_PROFILE;
    const slackDepartment = (field === 'title' ? u.title : u.fields[field]) || null;
    const data = {
      name: u.name || u.realName,
      realName: u.realName,
      title: u.title,
      tz: u.tz || 'UTC',
      ...(fromProfile ? { slackDepartment } : {}),
      isBot: u.isBot,
      isDeleted: u.isDeleted,
      isGuest: u.isGuest,
      isAdmin: u.isAdmin,
      profileSyncedAt: deps.clock.now(),
    };
    return { create: { ...data, firstSeenAt: deps.clock.now() }, update: data };
  }

  /**
   * Many people to refresh at once (a channel seen for the first time): one paged users.list instead of
   * users.info per person (100 a minute), plus users.profile.get only when the department comes from a
   * custom profile field. A 5,000-person channel with the title as department is read in a few calls
   * instead of an hour. Returns the ids it could not refresh, for the one-by-one path.
   */
  async function bulkSync(
    workspaceId: string,
    ids: string[],
    field: string,
    byId: Map<string, MemberRow>,
  ): Promise<string[]> {
    const list = await deps.slack.users(workspaceId);
    if (!list.ok) return ids;
    const wanted = new Set(ids);
    const writes: Parameters<MemberRepository['upsertMany']>[1] = [];
    for (const u of list.users) {
      if (!wanted.has(u.id)) continue;
      if (field !== 'title' && field !== DEPARTMENT_NOT_FROM_PROFILE && !u.isBot && !u.isDeleted) {
        const fields = await deps.slack.userFields(workspaceId, u.id);
        if (!fields.ok) continue; // left for the one-by-one path
        u.fields = fields.fields;
      }
      writes.push({ userId: u.id, ...writesFromSlack(u, field), stored: byId.has(u.id) });
      wanted.delete(u.id);
    }
    for (const row of await deps.repo.upsertMany(workspaceId, writes)) byId.set(row.userId, row);
    return [...wanted];
  }

  return {
    departmentField,
    departments,
    refreshUserGroups,
    saveFromSlack,
    /** Invalidates the cached department field and directory (after an admin changes either). */
    forgetDepartmentField(workspaceId: string): void {
      fieldCache.delete(workspaceId);
      directoryCache.delete(workspaceId);
      userGroupsReadAt.delete(workspaceId);
    },

    /**
     * Returns Member rows for `userIds`, refreshing from Slack those never seen or older than a day.
     * Users Slack no longer knows are marked deleted rather than dropped.
     */
    async sync(workspaceId: string, userIds: string[]): Promise<MemberRow[]> {
      const existing = await deps.repo.byUserIds(workspaceId, userIds);
      const byId = new Map(existing.map((m) => [m.userId, m]));
      const now = deps.clock.now().getTime();
      const stale = userIds.filter((id) => {
        const m = byId.get(id);
        return !m?.profileSyncedAt || now - m.profileSyncedAt.getTime() > PROFILE_MAX_AGE_MS;
      });
      if (stale.length > 0) {
        const field = await departmentField(workspaceId);
        const rest = stale.length >= BULK_SYNC_MIN ? await bulkSync(workspaceId, stale, field, byId) : stale;
        for (const id of rest) {
          const r = await deps.slack.user(workspaceId, id);
          if (r.ok) {
            byId.set(id, await saveFromSlack(workspaceId, r.user, field));
          } else if (r.kind === 'permanent' && r.error === 'user_not_found') {
            const gone = { isDeleted: true, profileSyncedAt: deps.clock.now() };
            const row = await deps.repo.upsert(workspaceId, id, gone, gone);
            byId.set(id, row);
          } else {
            deps.log.warn(
              { workspaceId, userId: id, error: r.error },
              'could not refresh a profile; using what is stored',
            );
          }
        }
      }
      return userIds.map((id) => byId.get(id)).filter((m): m is MemberRow => m !== undefined);
    },

    /** The member row, created from Slack when first seen. */
    async get(workspaceId: string, userId: string): Promise<MemberRow | null> {
      const [row] = await this.sync(workspaceId, [userId]);
      return row ?? null;
    },
  };
}
export type MemberService = ReturnType<typeof createMemberService>;
