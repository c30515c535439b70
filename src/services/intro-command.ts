// What `/intro` needs besides the other use cases: plain `@name`s resolved to members, and the caller's
// time zone (pause dates end at their local midnight). The command itself is parsed and answered by the
// Slack adapter (src/slack/listeners/commands/intro-command.ts).
import type { MemberService } from './members.ts';
import { type MemberNames, resolveName } from './names.ts';

/** The persistence `/intro` needs (implemented in src/persistence/repositories/intro-command.ts). */
export interface IntroCommandRepository extends MemberNames {
  /** The stored member's time zone; null when Weave has no row for them yet. */
  storedTimeZone(workspaceId: string, userId: string): Promise<string | null>;
}

/** Names resolved to user ids, or the first name that names nobody or more than one person. */
export type ResolvedNames =
  | { ok: true; ids: string[] }
  | { ok: false; code: 'unknown' | 'ambiguous'; name: string };

export function createIntroCommandService(deps: {
  repo: IntroCommandRepository;
  members: Pick<MemberService, 'get'>;
}) {
  return {
    /** Plain `@name`s → user ids through the names Weave knows; refused when unknown or ambiguous. */
    async resolveNames(workspaceId: string, names: string[]): Promise<ResolvedNames> {
      const ids: string[] = [];
      for (const name of names) {
        const found = await resolveName(deps.repo, workspaceId, name);
        if (found.kind !== 'one') return { ok: false, code: found.kind, name };
        ids.push(found.userId);
      }
      return { ok: true, ids };
    },

    /** The caller's stored time zone; null when Weave has no row for them yet. */
    storedTimeZone(workspaceId: string, userId: string): Promise<string | null> {
      return deps.repo.storedTimeZone(workspaceId, userId);
    },

    /** The caller's time zone as Slack has it (stores their member row). */
    async slackTimeZone(workspaceId: string, userId: string): Promise<string | null> {
      return (await deps.members.get(workspaceId, userId))?.tz ?? null;
    },
  };
}
export type IntroCommandService = ReturnType<typeof createIntroCommandService>;
