import type { Metrics } from '../observability/metrics.ts';
import type { Prisma } from '../persistence/database.ts';
import type { EventRepository } from '../persistence/repositories/events.ts';
import type { InboxRepository } from '../persistence/repositories/inbox.ts';
import type { DigestService } from '../services/digest.ts';
import type { FollowUpService } from '../services/followups.ts';
import type { Inbox } from '../services/inbox.ts';
import type { IntroService } from '../services/intros.ts';
import type { LifecycleService } from '../services/lifecycle.ts';
import type { Outbox } from '../services/outbox.ts';
import type { RecapService } from '../services/recap.ts';
import type { RoundService } from '../services/rounds.ts';
import type { Job } from './runner.ts';

const MINUTE = 60_000;

/** The one schedule list: every recurring job of Weave and how often it looks for work. */
export function createJobs(deps: {
  rounds: RoundService;
  outbox: Outbox;
  inbox: Pick<Inbox, 'drain'>;
  inboxRepo: Pick<InboxRepository, 'prune'>;
  events: EventRepository;
  lifecycle: LifecycleService;
  followups: FollowUpService;
  prisma: Prisma;
  recap: Pick<RecapService, 'scheduleDue'>;
  digest: Pick<DigestService, 'scheduleDue'>;
  intros: Pick<IntroService, 'expireDue'>;
  metrics?: Pick<Metrics, 'deliveries' | 'roundsPlanned'>;
}): Job[] {
  return [
    {
      name: 'rounds',
      everyMs: MINUTE,
      run: async () => {
        const started = Date.now();
        const outcomes = await deps.rounds.runDue();
        const ran = outcomes.filter((o) => o.status === 'ran').length;
        if (ran > 0) deps.metrics?.roundsPlanned((Date.now() - started) / 1000);
        return { ran, outcomes: outcomes.length };
      },
    },
    {
      name: 'heads-up',
      everyMs: 5 * MINUTE,
      run: async () => {
        const programs = await deps.prisma.program.findMany({
          where: { active: true, headsUp: true, workspace: { uninstalledAt: null } },
        });
        return {
          scheduled: await deps.followups.headsUps(programs, (p, key) => deps.rounds.eligibleFor(p, key)),
        };
      },
    },
    {
      name: 'recap',
      everyMs: 15 * MINUTE,
      run: async (now) => ({ scheduled: await deps.recap.scheduleDue(now) }),
    },
    {
      name: 'digest',
      everyMs: 15 * MINUTE,
      run: async (now) => ({ scheduled: await deps.digest.scheduleDue(now) }),
    },
    {
      name: 'intro-expiry',
      everyMs: 15 * MINUTE,
      run: async () => ({ ...(await deps.intros.expireDue()) }),
    },
    {
      name: 'deliver',
      everyMs: 0, // every tick: the outbox is cheap to poll and prompts become due continuously
      run: async () => {
        const totals = await deps.outbox.drain();
        deps.metrics?.deliveries(totals);
        return { ...totals };
      },
    },
    {
      name: 'inbox',
      everyMs: 0, // every tick: inputs whose retry is due, and any a stopped process left behind
      run: async () => ({ ...(await deps.inbox.drain()) }),
    },
    {
      name: 'purge-uninstalled',
      everyMs: 60 * MINUTE,
      run: async () => ({ purged: (await deps.lifecycle.purgeDue()).length }),
    },
    {
      name: 'prune-events',
      everyMs: 60 * MINUTE,
      run: async (now) => {
        const before = new Date(now.getTime() - 24 * 60 * MINUTE);
        return { pruned: await deps.events.prune(before), inboxPruned: await deps.inboxRepo.prune(before) };
      },
    },
  ];
}
