import type { DepartmentDirectory } from '../domain/departments.ts';
import {
  buildWeeklyDigest,
  type DigestGive,
  latestDigestSlot,
  type WeeklyDigest,
} from '../domain/gives/digest.ts';
import { parseWorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import { departmentOf } from './members.ts';
import type { NotificationKind, PayloadOf } from './notifications.ts';
import type { DeliveryOutcome } from './outbox.ts';
import type { NewPrompt, SlackGateway, WorkspaceStore as WorkspaceRepository } from './ports.ts';

/** A give as the digest reads it. */
export interface DigestGiveRow {
  id: string;
  giverId: string;
  receiverId: string | null;
  kind: string;
  reason: string;
  source: string;
  channelId: string | null;
  createdAt: Date;
}

/** What the digest reads and claims: src/persistence/repositories/digest.ts. */
export interface DigestRepository {
  /** Installed workspaces, each with its settings (raw JSON) and its first active program's time zone. */
  installedWorkspaces(): Promise<Array<{ id: string; settings: unknown; programs: Array<{ tz: string }> }>>;
  /**
   * Claims the workspace's week (a JobRun row) and queues its prompt in one transaction: 0 when another
   * replica (or an earlier tick) claimed it already.
   */
  claimWeek(
    claim: { workspaceId: string; runKey: string; at: Date; channelId: string },
    prompt: NewPrompt,
  ): Promise<number>;
  /** False when the workspace is gone or uninstalled. */
  isInstalled(workspaceId: string): Promise<boolean>;
  /** The window's gives, oldest first. */
  givesBetween(workspaceId: string, window: { from: Date; to: Date }): Promise<DigestGiveRow[]>;
  memberDepartments(
    workspaceId: string,
    userIds: string[],
  ): Promise<Array<{ userId: string; department: string | null; slackDepartment: string | null }>>;
  departments(workspaceId: string): Promise<DepartmentDirectory>;
}

/** A queued digest: to post in a channel, or settled without posting. */
export type DigestToPost =
  | { ready: true; channelId: string; week: string; digest: WeeklyDigest }
  | { ready: false; outcome: DeliveryOutcome };

export const DIGEST_PROMPT = 'digest' satisfies NotificationKind;
export const DIGEST_JOB = 'digest';
/** After an outage, a digest more than this late is dropped rather than posted days afterwards. */
const DIGEST_LATE_MS = 24 * 60 * 60_000;
/** Distinct source channels looked up per digest; reasons from any beyond are not quoted. */
const MAX_CHANNEL_LOOKUPS = 100;
/** Where a give can have been made in a channel (the others come from modals and intros). */
const PUBLIC_SOURCES = new Set(['command', 'message', 'reaction']);

/** The weekly thank-you digest, posted in the admin-chosen channel on the admin-chosen weekday. */
export function createDigestService(deps: {
  digests: DigestRepository;
  workspaces: Pick<WorkspaceRepository, 'settings'>;
  slack: Pick<SlackGateway, 'channelInfo'>;
  log: Logger;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'digest' });

  /**
   * Which source channels are public, asked from Slack when the digest is built: only gives made there
   * appear in the digest channel (a DM id, a private channel or no channel at all — the thank-you modal,
   * intros — never does).
   */
  async function publicChannels(workspaceId: string, digestChannelId: string, channelIds: string[]) {
    const open = new Set<string>([digestChannelId]);
    const candidates = [...new Set(channelIds)].filter((id) => /^[CG]/.test(id) && id !== digestChannelId);
    for (const id of candidates.slice(0, MAX_CHANNEL_LOOKUPS)) {
      const info = await deps.slack.channelInfo(workspaceId, id);
      if (info.ok && info.isPublic) open.add(id);
    }
    return open;
  }

  return {
    /**
     * Queues each workspace's digest once its weekday 16:00 has come (in the time zone of its first
     * program, else UTC). A JobRun row per workspace and ISO week, claimed in the same transaction that
     * queues the prompt, lets only one replica act and never loses the week to a crash in between.
     */
    async scheduleDue(now: Date): Promise<number> {
      const workspaces = await deps.digests.installedWorkspaces();
      let scheduled = 0;
      for (const ws of workspaces) {
        const settings = parseWorkspaceSettings(ws.settings);
        if (!settings.digestChannelId) continue;
        const slot = latestDigestSlot(now, ws.programs[0]?.tz ?? 'UTC', settings.digestWeekday);
        if (now.getTime() - slot.to.getTime() > DIGEST_LATE_MS) continue;
        const channelId = settings.digestChannelId;
        const queued = await deps.digests.claimWeek(
          { workspaceId: ws.id, runKey: slot.key, at: now, channelId },
          {
            workspaceId: ws.id,
            kind: DIGEST_PROMPT,
            key: `digest:${slot.key}`,
            payload: { channelId, week: slot.key, from: slot.from.toISOString(), to: slot.to.toISOString() },
            dueAt: now,
          },
        );
        scheduled += queued;
      }
      if (scheduled > 0) {
        log.info({ scheduled }, 'weekly digests queued');
        deps.onScheduled?.();
      }
      return scheduled;
    },

    /**
     * What a queued digest posts, and where; the Slack adapter (src/slack/deliveries/digest.ts) renders
     * and posts it. Skipped when the digest is turned off or the week had no gives.
     */
    async toPost(prompt: {
      workspaceId: string;
      payload: PayloadOf<typeof DIGEST_PROMPT>;
    }): Promise<DigestToPost> {
      const skip = (reason: string): DigestToPost => ({
        ready: false,
        outcome: { status: 'skipped', reason },
      });
      const { channelId, week } = prompt.payload;
      const workspaceId = prompt.workspaceId;
      if (!(await deps.digests.isInstalled(workspaceId))) return skip('workspace uninstalled');
      const settings = await deps.workspaces.settings(workspaceId);
      if (!settings.digestChannelId) return skip('digest turned off');
      const window = { from: new Date(prompt.payload.from), to: new Date(prompt.payload.to) };
      const gives = await deps.digests.givesBetween(workspaceId, window);
      if (gives.length === 0) return skip('no gives this week');
      const userIds = new Set<string>();
      for (const g of gives) {
        userIds.add(g.giverId);
        if (g.receiverId) userIds.add(g.receiverId);
      }
      const members = await deps.digests.memberDepartments(workspaceId, [...userIds]);
      const directory = await deps.digests.departments(workspaceId);
      const departments = new Map(members.map((m) => [m.userId, directory.name(departmentOf(m))]));
      const shareable = await publicChannels(
        workspaceId,
        channelId,
        gives.map((g) => g.channelId).filter((id): id is string => !!id),
      );
      const digest = buildWeeklyDigest({
        gives: gives.map(
          (g): DigestGive => ({
            id: g.id,
            giverId: g.giverId,
            receiverId: g.receiverId,
            kind: g.kind,
            reason: g.reason,
            at: g.createdAt,
            // Only gives made by hand in a channel; the thank-you modal and intros never are public.
            isPublic: PUBLIC_SOURCES.has(g.source) && g.channelId !== null && shareable.has(g.channelId),
          }),
        ),
        departments,
        window,
        leaderboard: settings.leaderboard,
      });
      return { ready: true, channelId, week, digest };
    },
  };
}
export type DigestService = ReturnType<typeof createDigestService>;
