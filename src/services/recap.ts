import { latestRecapSlot, type Recap } from '../domain/network/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { NotificationKind, PayloadOf } from './notifications.ts';
import type { DeliveryOutcome } from './outbox.ts';
import type { NewPrompt, PromptQueue as PromptRepository } from './ports.ts';
import type { StatsService } from './stats.ts';

/** The programs the recap reads: src/persistence/repositories/recap.ts. */
export interface RecapRepository {
  /** Active programs with the recap on, in installed workspaces. */
  recapPrograms(): Promise<Array<{ id: string; workspaceId: string; tz: string; createdAt: Date }>>;
  program(
    workspaceId: string,
    programId: string,
  ): Promise<{ id: string; active: boolean; recap: boolean; channelId: string } | null>;
}

/** A queued recap: to post in a channel, or settled without posting. */
export type RecapToPost =
  | { ready: true; channelId: string; recap: Extract<Recap, { status: 'post' }> }
  | { ready: false; outcome: DeliveryOutcome };

export const RECAP_PROMPT = 'program_recap' satisfies NotificationKind;
/** After an outage, a recap more than this late is dropped rather than posted days afterwards. */
const RECAP_LATE_MS = 24 * 60 * 60_000;

/** The weekly recap in each program channel ("27 people met across 8 departments this week"). */
export function createRecapService(deps: {
  recaps: RecapRepository;
  prompts: Pick<PromptRepository, 'schedule'>;
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
      const programs = await deps.recaps.recapPrograms();
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

    /**
     * What a queued recap posts, and where; the Slack adapter (src/slack/deliveries/recap.ts) renders and
     * posts it. Skipped when the recap is off or fewer than 3 people met.
     */
    async toPost(prompt: {
      workspaceId: string;
      payload: PayloadOf<typeof RECAP_PROMPT>;
    }): Promise<RecapToPost> {
      const { programId, from, to } = prompt.payload;
      const program = await deps.recaps.program(prompt.workspaceId, programId);
      if (!program?.active || !program.recap) {
        return {
          ready: false,
          outcome: { status: 'skipped', reason: 'program gone, paused or recap turned off' },
        };
      }
      const recap = await deps.stats.recap(prompt.workspaceId, program.id, {
        from: new Date(from),
        to: new Date(to),
      });
      if (recap.status === 'skip')
        return { ready: false, outcome: { status: 'skipped', reason: 'fewer than 3 people met' } };
      return { ready: true, channelId: program.channelId, recap };
    },
  };
}
export type RecapService = ReturnType<typeof createRecapService>;
