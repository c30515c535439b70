import { z } from 'zod';
import { buildWeeklyDigest, type DigestGive, latestDigestSlot } from '../domain/gives/digest.ts';
import { parseWorkspaceSettings } from '../domain/settings.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { ClaimedPrompt, PromptRepository } from '../persistence/repositories/prompts.ts';
import type { WorkspaceRepository } from '../persistence/repositories/workspaces.ts';
import { buildDigestMessage } from '../slack/views/digest.ts';
import { outcomeOf, postOnce } from './deliveries.ts';
import { departmentOf, loadDepartments } from './members.ts';
import type { PromptHandler } from './outbox.ts';
import type { SlackGateway } from './ports.ts';

export const DIGEST_PROMPT = 'digest';
export const DIGEST_JOB = 'digest';
/** After an outage, a digest more than this late is dropped rather than posted days afterwards. */
const DIGEST_LATE_MS = 24 * 60 * 60_000;
/** Distinct source channels looked up per digest; reasons from any beyond are not quoted. */
const MAX_CHANNEL_LOOKUPS = 100;
/** Where a give can have been made in a channel (the others come from modals and intros). */
const PUBLIC_SOURCES = new Set(['command', 'message', 'reaction']);

const payloadSchema = z.object({
  channelId: z.string().regex(/^[CG][A-Z0-9]+$/),
  week: z.string().min(1),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
});

/** The weekly thank-you digest, posted in the admin-chosen channel on the admin-chosen weekday. */
export function createDigestService(deps: {
  prisma: Prisma;
  prompts: PromptRepository;
  workspaces: Pick<WorkspaceRepository, 'settings'>;
  slack: SlackGateway;
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

  async function post(
    prompt: ClaimedPrompt,
    channelId: string,
    content: ReturnType<typeof buildDigestMessage>,
  ) {
    const posted = await postOnce(deps.slack, prompt, channelId, content);
    if (posted.ok || posted.error !== 'not_in_channel') return posted;
    // Public channels can be joined; a private one needs an invite (the failure is recorded on the prompt).
    const joined = await deps.slack.joinChannel(prompt.workspaceId, channelId);
    if (!joined.ok) {
      log.warn({ workspaceId: prompt.workspaceId, channelId, error: joined.error }, 'cannot post the digest');
      return posted;
    }
    return postOnce(deps.slack, prompt, channelId, content);
  }

  return {
    /**
     * Queues each workspace's digest once its weekday 16:00 has come (in the time zone of its first
     * program, else UTC). A JobRun row per workspace and ISO week, claimed in the same transaction that
     * queues the prompt, lets only one replica act and never loses the week to a crash in between.
     */
    async scheduleDue(now: Date): Promise<number> {
      const workspaces = await deps.prisma.workspace.findMany({
        where: { uninstalledAt: null },
        select: {
          id: true,
          settings: true,
          programs: {
            where: { active: true },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            take: 1,
            select: { tz: true },
          },
        },
      });
      let scheduled = 0;
      for (const ws of workspaces) {
        const settings = parseWorkspaceSettings(ws.settings);
        if (!settings.digestChannelId) continue;
        const slot = latestDigestSlot(now, ws.programs[0]?.tz ?? 'UTC', settings.digestWeekday);
        if (now.getTime() - slot.to.getTime() > DIGEST_LATE_MS) continue;
        const channelId = settings.digestChannelId;
        const queued = await deps.prisma.$transaction(async (tx) => {
          const claimed = await tx.jobRun.createMany({
            data: [
              {
                workspaceId: ws.id,
                job: DIGEST_JOB,
                runKey: slot.key,
                finishedAt: now,
                result: { channelId },
              },
            ],
            skipDuplicates: true,
          });
          if (claimed.count === 0) return 0;
          return deps.prompts.schedule(
            [
              {
                workspaceId: ws.id,
                kind: DIGEST_PROMPT,
                key: `digest:${slot.key}`,
                payload: {
                  channelId,
                  week: slot.key,
                  from: slot.from.toISOString(),
                  to: slot.to.toISOString(),
                },
                dueAt: now,
              },
            ],
            tx,
          );
        });
        scheduled += queued;
      }
      if (scheduled > 0) {
        log.info({ scheduled }, 'weekly digests queued');
        deps.onScheduled?.();
      }
      return scheduled;
    },

    /** The outbox handler posting a queued digest (skipped when turned off or the week had no gives). */
    handlers(): Record<string, PromptHandler> {
      return {
        async [DIGEST_PROMPT](prompt) {
          const parsed = payloadSchema.safeParse(prompt.payload);
          if (!parsed.success) return { status: 'failed', error: 'invalid digest payload' };
          const { channelId } = parsed.data;
          const workspaceId = prompt.workspaceId;
          const workspace = await deps.prisma.workspace.findUnique({
            where: { id: workspaceId },
            select: { uninstalledAt: true },
          });
          if (!workspace || workspace.uninstalledAt)
            return { status: 'skipped', reason: 'workspace uninstalled' };
          const settings = await deps.workspaces.settings(workspaceId);
          if (!settings.digestChannelId) return { status: 'skipped', reason: 'digest turned off' };
          const window = { from: new Date(parsed.data.from), to: new Date(parsed.data.to) };
          const gives = await deps.prisma.give.findMany({
            where: { workspaceId, createdAt: { gte: window.from, lt: window.to } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          });
          if (gives.length === 0) return { status: 'skipped', reason: 'no gives this week' };
          const userIds = new Set<string>();
          for (const g of gives) {
            userIds.add(g.giverId);
            if (g.receiverId) userIds.add(g.receiverId);
          }
          const members = await deps.prisma.member.findMany({
            where: { workspaceId, userId: { in: [...userIds] } },
            select: { userId: true, department: true, slackDepartment: true },
          });
          const directory = await loadDepartments(deps.prisma, workspaceId);
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
          const posted = await post(prompt, channelId, buildDigestMessage(digest));
          if (!posted.ok) return outcomeOf(posted);
          log.info({ workspaceId, week: parsed.data.week, gives: digest.total }, 'weekly digest posted');
          return { status: 'sent', result: { channelId, ts: posted.ts } };
        },
      };
    },
  };
}
export type DigestService = ReturnType<typeof createDigestService>;
