// Plain `@name`s typed where Slack sent no mention (`/give @ana`, `/intro connect @ana @ben`): one rule
// for every command that takes names. A name is someone's Slack handle or real name, compared without
// regard to case, among members who are not deactivated; it counts only when it names exactly one.

/** Where names are looked up (src/persistence/repositories/intro-command.ts). */
export interface MemberNames {
  /** User ids of current members whose handle or real name is `name`, case-insensitive; at most two. */
  membersNamed(workspaceId: string, name: string): Promise<string[]>;
}

export type NameLookup = { kind: 'one'; userId: string } | { kind: 'unknown' } | { kind: 'ambiguous' };

export async function resolveName(
  names: MemberNames,
  workspaceId: string,
  name: string,
): Promise<NameLookup> {
  const found = await names.membersNamed(workspaceId, name);
  const [only] = found;
  if (found.length === 1 && only) return { kind: 'one', userId: only };
  return found.length > 1 ? { kind: 'ambiguous' } : { kind: 'unknown' };
}
