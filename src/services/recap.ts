import { z } from 'zod';
import { latestRecapSlot } from '../domain/network/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Prisma } from '../persistence/database.ts';
import type { NewPrompt, PromptRepository } from '../persistence/repositories/prompts.ts';
import { buildRecapMessage } from '../slack/views/recap.ts';
import { outcomeOf, postOnce } from './deliveries.ts';
import type { PromptHandler } from './outbox.ts';
import type { SlackGateway } from './ports.ts';
import type { StatsService } from './stats.ts';

export const RECAP_PROMPT = 'program_recap';
/** After an outage, a recap more than this late is dropped rather than posted days afterwards. */
const RECAP_LATE_MS = 24 * 60 * 60_000;

const payloadSchema = z.object({
  programId: z.string().min(1),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
});

/** The weekly recap in each program channel ("27 people met across 8 departments this week"). */
export function createRecapService(deps: {
  prisma: Prisma;
  prompts: PromptRepository;
  slack: SlackGateway;
  stats: Pick<StatsService, 'recap'>;
  log: Logger;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'recap' });
  return {
    /**
     * Queues the recap of every program that has it on, once the program's Friday 16:00 has come; the
     * prompt key (program + ISO week) makes this idempotent across ticks and replicas.
     */
    async scheduleDue(now: Date): Promise<number> {
      const programs = await deps.prisma.program.findMany({
        where: { active: true, recap: true, workspace: { uninstalledAt: null } },
        select: { id: true, workspaceId: true, tz: true, createdAt: true },
      });
      const prompts: NewPrompt[] = [];
      for (const p of programs) {
        const slot = latestRecapSlot(now, p.tz);
        if (p.createdAt.getTime() >= slot.to.getTime()) continue;
        if (now.getTime() - slot.to.getTime() > RECAP_LATE_MS) continue;
        prompts.push({
          workspaceId: p.workspaceId,
          kind: RECAP_PROMPT,
          key: `recap:${p.id}:${slot.key}`,
          payload: { programId: p.id, from: slot.from.toISOString(), to: slot.to.toISOString() },
          dueAt: now,
        });
      }
      const scheduled = await deps.prompts.schedule(prompts);
      if (scheduled > 0) {
        log.info({ scheduled }, 'weekly recaps queued');
        deps.onScheduled?.();
      }
      return scheduled;
    },

    /** The outbox handler that posts a queued recap (or skips it: recap off, or fewer than 3 people met). */
    handlers(): Record<string, PromptHandler> {
      return {
        async [RECAP_PROMPT](prompt) {
          const parsed = payloadSchema.safeParse(prompt.payload);
          if (!parsed.success) return { status: 'failed', error: 'invalid recap payload' };
          const { programId } = parsed.data;
          const program = await deps.prisma.program.findFirst({
            where: { id: programId, workspaceId: prompt.workspaceId },
          });
          if (!program?.active || !program.recap) {
            return { status: 'skipped', reason: 'program gone, paused or recap turned off' };
          }
          const recap = await deps.stats.recap(prompt.workspaceId, program.id, {
            from: new Date(parsed.data.from),
            to: new Date(parsed.data.to),
          });
          if (recap.status === 'skip') return { status: 'skipped', reason: 'fewer than 3 people met' };
          const posted = await postOnce(deps.slack, prompt, program.channelId, buildRecapMessage(recap));
          return posted.ok
            ? { status: 'sent', result: { channelId: program.channelId, ts: posted.ts } }
            : outcomeOf(posted);
        },
      };
    },
  };
}
export type RecapService = ReturnType<typeof createRecapService>;
