import { type DepartmentEntry, departmentKey } from '../domain/departments.ts';
import { type CsvProblem, parseDepartmentCsv } from '../domain/departments-csv.ts';
import type { WorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { WorkspaceSettingsStore } from './admin-settings.ts';
import {
  departmentOf,
  directoryOf,
  type MemberRepository,
  type MemberRow,
  type MemberService,
} from './members.ts';
import type { ProfileField, SlackGateway, SlackUserGroup } from './ports.ts';

type DepartmentOf = Pick<MemberRow, 'department' | 'slackDepartment'>;

/** What departments read and change of members (src/persistence/repositories/members.ts). */
export interface DepartmentMemberRepository
  extends Pick<MemberRepository, 'settings' | 'departmentRows' | 'replaceSlackDepartments'> {
  /** Current (not bot, not deleted) members' departments: of `userIds` when given, else everyone's. */
  currentDepartments(workspaceId: string, userIds?: string[]): Promise<DepartmentOf[]>;
  /** Current members' departments with their ids, by user id. */
  currentDepartmentsByUser(workspaceId: string): Promise<Array<DepartmentOf & { userId: string }>>;
  /** Every profile is read again from Slack on its next sync. */
  resyncProfiles(workspaceId: string): Promise<void>;
  /** Current members with no department at all. */
  countWithoutDepartment(workspaceId: string): Promise<number>;
}

/** People listed by name as "matched as unknown" in the overview (the count is always exact). */
const UNKNOWN_LISTED = 30;

/** Where departments come from, as an admin picks it. */
export type DepartmentSourceChoice =
  | { kind: 'field'; fieldId: string | null }
  | { kind: 'title' }
  | { kind: 'usergroups'; groupIds: string[] };

/** What `/intro admin departments` shows. */
export interface DepartmentsOverview {
  source: { kind: WorkspaceSettings['departmentSource']; label: string };
  departments: DepartmentEntry[];
  merges: Array<{ from: string; to: string }>;
  unknown: { count: number; userIds: string[] };
  profileFields: ProfileField[];
  userGroups: SlackUserGroup[];
  chosenGroups: string[];
}

/** The result of an admin's change, with a stable code for each way it can go. */
export type DepartmentsChange =
  | { ok: true; code: 'merged'; from: string[]; into: string }
  | { ok: true; code: 'unmerged'; name: string }
  | { ok: true; code: 'source_set'; label: string; assigned: number | null }
  | { ok: true; code: 'csv_applied'; applied: number; unknown: number }
  | {
      ok: false;
      code: 'csv_rejected';
      problems: CsvProblem[];
      unmatched: Array<{ line: number; who: string }>;
    }
  | { ok: false; code: 'user_groups_unavailable' | 'users_unavailable'; error: string }
  | { ok: false; code: 'nothing_to_do' };

/** Describes a source in words ("the profile field Department", "Slack user groups"). */
export function describeDepartmentSource(settings: WorkspaceSettings, fields: ProfileField[]): string {
  switch (settings.departmentSource) {
    case 'title':
      return 'each person’s title';
    case 'usergroups':
      return `Slack user groups (${settings.departmentUsergroups.length} chosen)`;
    case 'csv':
      return 'a pasted CSV';
    default: {
      if (settings.departmentField === 'title') return 'each person’s title';
      if (settings.departmentField === null)
        return 'the profile field labelled Department, Team or Division (else the title)';
      const label = fields.find((f) => f.id === settings.departmentField)?.label;
      return label ? `the profile field “${label}”` : 'a custom profile field';
    }
  }
}

/**
 * Where departments come from and how many of `userIds` (everyone, when absent) have none: for the program
 * welcome and the admin Home.
 */
export async function summarizeDepartments(
  repo: Pick<DepartmentMemberRepository, 'settings' | 'departmentRows' | 'currentDepartments'>,
  workspaceId: string,
  userIds?: string[],
): Promise<{ source: string; departments: number; unknown: number; people: number }> {
  const [settings, read, rows] = await Promise.all([
    repo.settings(workspaceId),
    repo.departmentRows(workspaceId),
    repo.currentDepartments(workspaceId, userIds),
  ]);
  const directory = directoryOf(read);
  return {
    source: describeDepartmentSource(settings, []),
    departments: directory.entries.length,
    unknown: rows.filter((m) => directory.key(departmentOf(m)) === null).length,
    people: rows.length,
  };
}

/**
 * The channel's people as `summarizeDepartments` sees them, for the welcome: only profiles Weave has read
 * already (the first round reads everyone's; reading them here too would race it); null when unreadable.
 */
export function createChannelDepartments(deps: {
  members: Pick<DepartmentMemberRepository, 'settings' | 'departmentRows' | 'currentDepartments'>;
  slack: SlackGateway;
}) {
  return async (workspaceId: string, channelId: string) => {
    const channel = await deps.slack.channelMembers(workspaceId, channelId);
    if (!channel.ok) return null;
    const s = await summarizeDepartments(deps.members, workspaceId, channel.userIds);
    return { source: s.source, unknown: s.unknown, people: s.people };
  };
}

/** Admins shape departments: see them, merge and rename, choose where they come from, import a CSV. */
export function createDepartmentsService(deps: {
  repo: DepartmentMemberRepository;
  slack: SlackGateway;
  members: MemberService;
  workspaces: WorkspaceSettingsStore;
  isAdmin: (workspaceId: string, userId: string) => Promise<boolean>;
  log: Logger;
}) {
  const log = deps.log.child({ component: 'departments' });

  async function saveSettings(
    workspaceId: string,
    patch: Partial<WorkspaceSettings>,
  ): Promise<WorkspaceSettings> {
    const saved = await deps.workspaces.updateSettings(workspaceId, patch);
    deps.members.forgetDepartmentField(workspaceId);
    return saved;
  }

  const service = {
    /** Departments found with member counts and spellings, merges, the people with none, and the source. */
    async overview(workspaceId: string): Promise<DepartmentsOverview> {
      const [settings, fields, groups, unknownRows] = await Promise.all([
        deps.workspaces.settings(workspaceId),
        deps.slack.profileFields(workspaceId),
        deps.slack.userGroups(workspaceId),
        deps.repo.currentDepartmentsByUser(workspaceId),
      ]);
      deps.members.forgetDepartmentField(workspaceId);
      const directory = await deps.members.departments(workspaceId);
      const unknown = unknownRows.filter((m) => directory.key(departmentOf(m)) === null);
      const profileFields = fields.ok ? fields.fields : [];
      return {
        source: { kind: settings.departmentSource, label: describeDepartmentSource(settings, profileFields) },
        departments: directory.entries,
        merges: Object.entries(settings.departmentMerges).map(([from, to]) => ({ from, to })),
        unknown: { count: unknown.length, userIds: unknown.slice(0, UNKNOWN_LISTED).map((m) => m.userId) },
        profileFields,
        userGroups: groups.ok ? groups.groups : [],
        chosenGroups: settings.departmentUsergroups,
      };
    },

    /**
     * Merges departments into one name (also a rename: one department and a new name). Spellings are
     * matched by their department key, so "ENG" also takes "eng." along.
     */
    async merge(workspaceId: string, from: string[], into: string): Promise<DepartmentsChange> {
      const target = into.replace(/\s+/g, ' ').trim();
      const keys = [...new Set(from.map(departmentKey).filter((k) => k !== ''))];
      if (departmentKey(target) === '' || keys.length === 0) return { ok: false, code: 'nothing_to_do' };
      const settings = await deps.workspaces.settings(workspaceId);
      const merges: Record<string, string> = { ...settings.departmentMerges };
      const targetKey = departmentKey(target);
      for (const key of keys) merges[key] = target;
      // Earlier merges into a renamed department follow it.
      for (const [k, v] of Object.entries(merges))
        if (keys.includes(departmentKey(v)) && k !== targetKey) merges[k] = target;
      // The target names itself unless it is one of the merged spellings already.
      if (!keys.includes(targetKey)) delete merges[targetKey];
      await saveSettings(workspaceId, { departmentMerges: merges });
      log.info({ workspaceId, merged: keys.length }, 'departments merged');
      return { ok: true, code: 'merged', from, into: target };
    },

    /** Undoes a merge or rename: the department is known by its own spellings again. */
    async unmerge(workspaceId: string, key: string): Promise<DepartmentsChange> {
      const settings = await deps.workspaces.settings(workspaceId);
      const to = settings.departmentMerges[key];
      if (to === undefined) return { ok: false, code: 'nothing_to_do' };
      const { [key]: _removed, ...rest } = settings.departmentMerges;
      await saveSettings(workspaceId, { departmentMerges: rest });
      return { ok: true, code: 'unmerged', name: to };
    },

    /** Chooses where departments come from; user groups are read at once. */
    async setSource(workspaceId: string, choice: DepartmentSourceChoice): Promise<DepartmentsChange> {
      const patch: Partial<WorkspaceSettings> =
        choice.kind === 'field'
          ? { departmentSource: 'field', departmentField: choice.fieldId }
          : choice.kind === 'title'
            ? { departmentSource: 'title' }
            : { departmentSource: 'usergroups', departmentUsergroups: choice.groupIds };
      const saved = await saveSettings(workspaceId, patch);
      let assigned: number | null = null;
      if (choice.kind === 'usergroups') {
        const r = await deps.members.refreshUserGroups(workspaceId, { force: true });
        if (r && !r.ok) return { ok: false, code: 'user_groups_unavailable', error: r.error };
        assigned = r?.ok ? r.assigned : 0;
      } else {
        // Profiles are read again with the new source on their next sync.
        await deps.repo.resyncProfiles(workspaceId);
      }
      const fields = choice.kind === 'field' ? await deps.slack.profileFields(workspaceId) : null;
      return {
        ok: true,
        code: 'source_set',
        label: describeDepartmentSource(saved, fields?.ok ? fields.fields : []),
        assigned,
      };
    },

    /**
     * Applies a pasted CSV (`email or user id, department`) as the department source: all of it, or — when
     * any line is malformed or matches nobody — none of it, with every such line reported.
     */
    async importCsv(workspaceId: string, text: string): Promise<DepartmentsChange> {
      const { rows, problems } = parseDepartmentCsv(text);
      if (rows.length === 0 && problems.length === 0) return { ok: false, code: 'nothing_to_do' };
      const list = await deps.slack.users(workspaceId);
      if (!list.ok) return { ok: false, code: 'users_unavailable', error: list.error };
      const people = list.users.filter((u) => !u.isBot);
      const byEmail = new Map(people.filter((u) => u.email).map((u) => [u.email as string, u.id]));
      const ids = new Set(people.map((u) => u.id));
      const unmatched: Array<{ line: number; who: string }> = [];
      const assigned = new Map<string, string>();
      for (const row of rows) {
        const userId =
          row.who.kind === 'user'
            ? ids.has(row.who.userId)
              ? row.who.userId
              : null
            : (byEmail.get(row.who.email) ?? null);
        if (userId === null)
          unmatched.push({ line: row.line, who: row.who.kind === 'user' ? row.who.userId : row.who.email });
        else assigned.set(userId, row.department.replace(/\s+/g, ' ').trim());
      }
      if (problems.length > 0 || unmatched.length > 0)
        return { ok: false, code: 'csv_rejected', problems, unmatched };
      await deps.repo.replaceSlackDepartments(workspaceId, assigned);
      await saveSettings(workspaceId, { departmentSource: 'csv' });
      const unknown = await deps.repo.countWithoutDepartment(workspaceId);
      log.info({ workspaceId, applied: assigned.size }, 'department CSV applied');
      return { ok: true, code: 'csv_applied', applied: assigned.size, unknown };
    },
  };

  return {
    ...service,
    /** Applies what the departments modal asked, in order: undo, merge, source, CSV. Admins only. */
    async apply(
      workspaceId: string,
      userId: string,
      form: {
        merge: { from: string[]; into: string } | null;
        unmerge: string | null;
        source: DepartmentSourceChoice | 'csv';
        csv: string;
      },
    ): Promise<DepartmentsChange[] | 'not_admin'> {
      if (!(await deps.isAdmin(workspaceId, userId))) return 'not_admin';
      const settings = await deps.workspaces.settings(workspaceId);
      const changes: DepartmentsChange[] = [];
      if (form.unmerge) changes.push(await service.unmerge(workspaceId, form.unmerge));
      if (form.merge) {
        // The picker sends department keys; show the admin the names they picked.
        const directory = await deps.members.departments(workspaceId);
        const names = form.merge.from.map((k) => directory.entries.find((e) => e.key === k)?.name ?? k);
        const merged = await service.merge(workspaceId, form.merge.from, form.merge.into);
        changes.push(merged.ok && merged.code === 'merged' ? { ...merged, from: names } : merged);
      }
      if (form.source === 'csv') {
        if (form.csv.trim() !== '') changes.push(await service.importCsv(workspaceId, form.csv));
      } else if (!sameSource(settings, form.source)) {
        changes.push(await service.setSource(workspaceId, form.source));
      }
      return changes.filter((c) => c.ok || c.code !== 'nothing_to_do');
    },
    /** Sends the admin a DM (the summary of an apply). */
    async tell(workspaceId: string, userId: string, content: { text: string }): Promise<void> {
      const open = await deps.slack.openConversation(workspaceId, [userId]);
      const sent = open.ok ? await deps.slack.postMessage(workspaceId, open.channelId, content) : open;
      if (!sent.ok) log.warn({ workspaceId, error: sent.error }, 'could not send the departments summary');
    },
  };
}

/** Whether a source choice is what the settings already say. */
function sameSource(settings: WorkspaceSettings, choice: DepartmentSourceChoice): boolean {
  if (choice.kind === 'title') return settings.departmentSource === 'title';
  if (choice.kind === 'field')
    return settings.departmentSource === 'field' && settings.departmentField === choice.fieldId;
  return (
    settings.departmentSource === 'usergroups' &&
    settings.departmentUsergroups.join(',') === choice.groupIds.join(',')
  );
}
export type DepartmentsService = ReturnType<typeof createDepartmentsService>;
