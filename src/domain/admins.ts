// Who may administer Weave in a workspace: one rule for every place that asks (the `/intro admin`
// commands, department changes, the admin part of the Home, the dashboard).

/** What is known about a person when asking whether they are an admin. */
export interface AdminFacts {
  /** Named in the deployment's configuration (`ADMIN_USER_IDS`, as `T…:U…` or `U…`). */
  namedInConfig: boolean;
  /** Named by an admin in the workspace's Weave settings. */
  namedInSettings: boolean;
  /** Their member row as last read from Slack, if any. */
  member: { isAdmin: boolean; isDeleted: boolean } | null;
}

/** The configuration always counts; otherwise a deactivated account never does, a Slack admin or owner or someone named in the settings does. */
export function isWeaveAdmin(facts: AdminFacts): boolean {
  if (facts.namedInConfig) return true;
  if (facts.member?.isDeleted) return false;
  return Boolean(facts.member?.isAdmin) || facts.namedInSettings;
}

/** Whether the configuration's admin ids name `userId` in `workspaceId` (as `T…:U…` or a bare `U…`). */
export function namedInConfig(adminIds: readonly string[], workspaceId: string, userId: string): boolean {
  return adminIds.includes(`${workspaceId}:${userId}`) || adminIds.includes(userId);
}
