import { z } from 'zod';

/** Workspace-wide settings, stored as JSON on the workspace row and validated on every read. */
export const workspaceSettingsSchema = z.object({
  giveEmoji: z
    .string()
    .regex(/^[a-z0-9_+-]+$/)
    .default('gift'),
  dailyGiveCap: z.number().int().min(1).max(100).default(5),
  digestChannelId: z.string().nullable().default(null),
  digestWeekday: z.number().int().min(1).max(7).default(5),
  leaderboard: z.boolean().default(false),
  onboardOnWorkspaceJoin: z.boolean().default(false),
  reconnectDays: z.number().int().min(60).max(120).default(90),
  purgeGraceDays: z.number().int().min(0).max(365).default(30),
  /** Slack custom profile field id, 'title', or null for automatic (a field labelled Department/Team/Division). */
  departmentField: z.string().nullable().default(null),
  /**
   * Where departments come from: a profile field (`departmentField`, automatic when null), the title, the
   * chosen Slack user groups (`departmentUsergroups`, first listed wins), or a pasted CSV.
   */
  departmentSource: z.enum(['field', 'title', 'usergroups', 'csv']).default('field'),
  departmentUsergroups: z.array(z.string().max(40)).max(100).default([]),
  /** Admin merges and renames of departments: department key → the name it is matched and shown as. */
  departmentMerges: z.record(z.string().max(200), z.string().min(1).max(80)).default({}),
  adminIds: z.array(z.string()).default([]),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/** The workspace-wide settings an admin edits in the settings modal. */
export type AdminWorkspaceSetting =
  | 'digestChannelId'
  | 'digestWeekday'
  | 'leaderboard'
  | 'giveEmoji'
  | 'dailyGiveCap'
  | 'reconnectDays'
  | 'purgeGraceDays';

/** Reads settings from a stored JSON value; unknown or invalid values fall back to defaults. */
export function parseWorkspaceSettings(value: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  // Keep every valid key, reset only the broken ones.
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fixed: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(workspaceSettingsSchema.shape)) {
    const r = (field as z.ZodType).safeParse(raw[key]);
    if (r.success) fixed[key] = r.data;
  }
  return workspaceSettingsSchema.parse(fixed);
}

const DEPARTMENT_LABEL = /\b(department|dept|team|division)\b/i;

/** Whether departments are read from each person's Slack profile (a field or the title) on every sync. */
export function departmentsFromProfile(settings: WorkspaceSettings): boolean {
  return settings.departmentSource === 'field' || settings.departmentSource === 'title';
}

/** Picks the profile field that holds departments: the admin's choice, else a field labelled like one. */
export function departmentFieldFor(
  settings: WorkspaceSettings,
  fields: Array<{ id: string; label: string }>,
): string {
  if (settings.departmentSource === 'title') return 'title';
  if (settings.departmentField) return settings.departmentField;
  const found = fields.find((f) => DEPARTMENT_LABEL.test(f.label));
  return found ? found.id : 'title';
}
