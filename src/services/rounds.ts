import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { eligibility, seedFrom } from '../domain/eligibility.ts';
import {
  type MatchMember,
  normaliseGroupSize,
  type PastGroup,
  type Plan,
  planRound,
} from '../domain/matching/index.ts';
import {
  type Cadence,
  checkInAt,
  isCadence,
  isRoundDue,
  nextRoundAt,
  type Period,
  type ProgramSchedule,
  periodFor,
  upcomingPeriod,
} from '../domain/schedule/index.ts';
import type { Logger } from '../observability/logger.ts';
import { departmentOf, type MemberRow, type MemberService } from './members.ts';
import type { Clock, ExclusiveRunner, PromptToSchedule, RoundStore, SlackGateway } from './ports.ts';

/** A pairing program: one channel, its schedule and its matching settings. */
export interface ProgramRow {
  id: string;
  workspaceId: string;
  channelId: string;
  cadence: string;
  weekday: number;
  hour: number;
  tz: string;
  groupSize: number;
  repeatWindow: number;
  headsUp: boolean;
  recap: boolean;
  allowGuests: boolean;
  active: boolean;
  anchor: Date;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Where rounds, their groups and programs' membership are read and stored (one workspace at a time). */
export interface RoundRepository extends RoundStore {
  /** Records program membership (existing memberships are kept as they are). */
  joinProgram(workspaceId: string, programId: string, userIds: string[], at: Date): Promise<void>;
  /** When each of `userIds` joined the program (those who have). */
  joinedAt(programId: string, userIds: string[]): Promise<Map<string, Date>>;
  /** The program's latest `take` rounds (newest first). */
  latestRounds(programId: string, take: number): Promise<Array<{ id: string; number: number }>>;
  /** Members of the groups of `roundIds`. */
  groupsOfRounds(
    workspaceId: string,
    roundIds: string[],
  ): Promise<Array<{ roundId: string | null; userIds: string[] }>>;
  /** Whether the program has a round for the period. */
  hasRound(programId: string, periodKey: string): Promise<boolean>;
  /** The period key of the program's most recently created round. */
  lastPeriodKey(programId: string): Promise<string | null>;
  /** Active programs of installed workspaces. */
  activePrograms(): Promise<ProgramRow[]>;
}

export type RoundOutcome =
  | {
      status: 'ran';
      roundId: string;
      periodKey: string;
      groups: number;
      unmatched: number;
      excluded: number;
      /** Where the time went: reading the roster (Slack and members), the engine, storing the round. */
      timings: RoundTimings;
    }
  | { status: 'already_ran'; periodKey: string }
  | { status: 'not_due'; periodKey: string }
  | { status: 'failed'; error: string };

/** Milliseconds spent in each step of a round. */
export interface RoundTimings {
  syncMs: number;
  planMs: number;
  persistMs: number;
}

const NEW_MEMBER_DAYS = 90;
const DAY_MS = 86_400_000;

/** The schedule of a program as the pure schedule domain wants it. */
export function scheduleOf(p: ProgramRow): ProgramSchedule {
  const cadence: Cadence = isCadence(p.cadence) ? p.cadence : 'weekly';
  return { cadence, weekday: p.weekday, hour: p.hour, tz: p.tz, anchor: p.anchor };
}

/** When a program's next round is due after `now`. */
export function nextRoundAtFor(p: ProgramRow, now: Date): Date {
  return nextRoundAt(scheduleOf(p), now);
}

/** Pairing rounds: decide which are due, build the pool, plan, store groups and their intro prompts. */
export function createRoundService(deps: {
  slack: SlackGateway;
  members: MemberService;
  /** Reads rounds and programs, stores a planned round in bulk. */
  store: RoundRepository;
  /** Replicas on one database plan a due round once between them (the others skip it meanwhile). */
  exclusive?: ExclusiveRunner;
  log: Logger;
  clock: Clock;
  botUserId: (workspaceId: string) => Promise<string | null>;
  onScheduled?: () => void;
  /** Called before a real round is planned: returns the members to leave out (e.g. auto-paused as quiet). */
  excludeQuiet?: (workspaceId: string, userIds: string[]) => Promise<string[]>;
  /** Connections per department pair ('A|B' sorted; lower = preferred): the "rarely connected" preference. */
  departmentPairWeights?: (workspaceId: string, now: Date) => Promise<Map<string, number>>;
}) {
  const log = deps.log.child({ component: 'rounds' });

  async function pool(program: ProgramRow, period: Period, now: Date) {
    const r = await deps.slack.channelMembers(program.workspaceId, program.channelId);
    if (!r.ok) return r;
    const bot = await deps.botUserId(program.workspaceId);
    const ids = r.userIds.filter((id) => id !== bot);
    const rows = await deps.members.sync(program.workspaceId, ids);
    // Record program membership (joining the channel joins the program) for onboarding.
    await deps.store.joinProgram(
      program.workspaceId,
      program.id,
      rows.map((m) => m.userId),
      now,
    );
    const joinedAt = await deps.store.joinedAt(program.id, ids);
    const eligible: MemberRow[] = [];
    const excluded: Array<{ member: MemberRow; reason: string }> = [];
    for (const m of rows) {
      const e = eligibility(m, { allowGuests: program.allowGuests, periodKey: period.key, now });
      if (e.eligible) eligible.push(m);
      else excluded.push({ member: m, reason: e.reason });
    }
    return { ok: true as const, eligible, excluded, joinedAt };
  }

  async function history(
    program: ProgramRow,
    window: number,
  ): Promise<{ past: PastGroup[]; lastRound: number }> {
    const rounds = await deps.store.latestRounds(program.id, window * 2);
    if (rounds.length === 0) return { past: [], lastRound: 0 };
    const numberOf = new Map(rounds.map((r) => [r.id, r.number]));
    const groups = await deps.store.groupsOfRounds(
      program.workspaceId,
      rounds.map((r) => r.id),
    );
    return {
      past: groups.map((g) => ({
        round: numberOf.get(g.roundId ?? '') ?? 0,
        members: g.userIds,
      })),
      lastRound: rounds[0]?.number ?? 0,
    };
  }

  /** Computes the plan for a program's period without storing anything (also used by /intro preview). */
  async function planFor(program: ProgramRow, period: Period, now: Date, opts: { forReal?: boolean } = {}) {
    const syncStarted = performance.now();
    // Departments from user groups are read again before planning (at most hourly).
    await deps.members.refreshUserGroups(program.workspaceId);
    const p = await pool(program, period, now);
    if (!p.ok) return p;
    if (opts.forReal && deps.excludeQuiet) {
      const quiet = new Set(
        await deps.excludeQuiet(
          program.workspaceId,
          p.eligible.map((m) => m.userId),
        ),
      );
      for (const m of p.eligible.filter((e) => quiet.has(e.userId)))
        p.excluded.push({ member: m, reason: 'auto_paused' });
      p.eligible = p.eligible.filter((e) => !quiet.has(e.userId));
    }
    const { past, lastRound } = await history(program, program.repeatWindow);
    const departments = await deps.members.departments(program.workspaceId, { fresh: true });
    const groupSize = normaliseGroupSize(program.groupSize);
    // Members of last round's enlarged groups (the trio, when pairing) are not added to one again.
    const lastTrio = new Set(
      past.filter((g) => g.round === lastRound && g.members.length > groupSize).flatMap((g) => g.members),
    );
    const members: MatchMember[] = p.eligible.map((m) => {
      const joined = p.joinedAt.get(m.userId) ?? m.firstSeenAt;
      return {
        id: m.userId,
        department: departments.name(departmentOf(m)),
        tz: m.tz,
        isNew: now.getTime() - joined.getTime() < NEW_MEMBER_DAYS * DAY_MS,
        wasInTrioLastRound: lastTrio.has(m.userId),
        doNotPair: m.doNotPair,
        interests: m.interests,
      };
    });
    const seed = seedFrom(`${program.id}:${period.key}`);
    const departmentPairWeights = await deps.departmentPairWeights?.(program.workspaceId, now);
    const planStarted = performance.now();
    const plan: Plan = planRound({
      members,
      history: past,
      round: lastRound + 1,
      windowRounds: program.repeatWindow,
      seed,
      at: now,
      departmentPairWeights,
      groupSize,
    });
    const planMs = performance.now() - planStarted;
    return {
      ok: true as const,
      syncMs: planStarted - syncStarted,
      planMs,
      plan,
      groupSize,
      seed,
      number: lastRound + 1,
      excluded: p.excluded,
      eligible: p.eligible,
    };
  }

  async function runRound(program: ProgramRow, period: Period): Promise<RoundOutcome> {
    const now = deps.clock.now();
    if (await deps.store.hasRound(program.id, period.key))
      return { status: 'already_ran', periodKey: period.key };
    const planned = await planFor(program, period, now, { forReal: true });
    if (!planned.ok) {
      log.warn({ programId: program.id, error: planned.error }, 'could not read the program channel');
      return { status: 'failed', error: planned.error };
    }
    const { plan } = planned;
    const persistStarted = performance.now();
    const groups = plan.groups.map((g) => ({
      id: randomUUID(),
      members: g.members,
      reasons: g.reasons.map((r) => r.text),
    }));
    const roundCheckIn = checkInAt(period).toISOString();
    const prompts: PromptToSchedule[] = groups.map((g) => ({
      workspaceId: program.workspaceId,
      kind: 'group_intro',
      key: `group_intro:${g.id}`,
      groupId: g.id,
      // The person added to an enlarged group (listed last) is told why; groups of the size asked for are not.
      payload: {
        seed: planned.seed,
        trioAddedId: g.members.length > planned.groupSize ? g.members[g.members.length - 1] : null,
        // Each delivery's check-in needs it; carried here, no delivery reads the program for it.
        checkInAt: roundCheckIn,
      },
      dueAt: now,
    }));
    const roundId = randomUUID();
    // No silent exclusions: whoever could not be matched hears why.
    for (const userId of plan.unmatched) {
      prompts.push({
        workspaceId: program.workspaceId,
        kind: 'unmatched_notice',
        key: `unmatched:${roundId}:${userId}`,
        userId,
        payload: { channelId: program.channelId },
        dueAt: now,
      });
    }
    let stored: 'created' | 'exists';
    try {
      stored = await deps.store.create({
        id: roundId,
        workspaceId: program.workspaceId,
        programId: program.id,
        periodKey: period.key,
        number: planned.number,
        seed: planned.seed,
        stats: plan.stats as unknown as Record<string, unknown>,
        unmatched: plan.unmatched,
        groups,
        prompts,
      });
    } catch (error) {
      throw new Error(`round ${program.id}/${period.key} failed`, { cause: error });
    }
    if (stored === 'exists') return { status: 'already_ran', periodKey: period.key };
    const timings: RoundTimings = {
      syncMs: Math.round(planned.syncMs),
      planMs: Math.round(planned.planMs),
      persistMs: Math.round(performance.now() - persistStarted),
    };
    log.info(
      {
        roundId,
        programId: program.id,
        periodKey: period.key,
        groups: plan.groups.length,
        ...timings,
        ...plan.stats,
      },
      'round planned',
    );
    deps.onScheduled?.();
    return {
      status: 'ran',
      roundId,
      periodKey: period.key,
      groups: plan.groups.length,
      unmatched: plan.unmatched.length,
      excluded: planned.excluded.length,
      timings,
    };
  }

  return {
    planFor,
    runRound,
    /** Runs every program's round whose time has come in its current period (at most once each). */
    async runDue(): Promise<RoundOutcome[]> {
      const now = deps.clock.now();
      const programs = await deps.store.activePrograms();
      const outcomes: RoundOutcome[] = [];
      for (const program of programs) {
        const schedule = scheduleOf(program);
        const due = isRoundDue(schedule, now, await deps.store.lastPeriodKey(program.id));
        if (!due.due) continue;
        try {
          if (!deps.exclusive) {
            outcomes.push(await runRound(program, due.period));
            continue;
          }
          // runRound looks again whether the round exists: a replica that held the key may have stored it.
          const r = await deps.exclusive.tryExclusive(`round:${program.id}:${due.period.key}`, () =>
            runRound(program, due.period),
          );
          if (r.ran) outcomes.push(r.value);
          else log.debug({ programId: program.id, periodKey: due.period.key }, 'another replica is planning');
        } catch (error) {
          log.error({ err: error, programId: program.id }, 'round failed');
          outcomes.push({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
        }
      }
      return outcomes;
    },
    /** `/intro round now`: the current period's round, early. */
    async runNow(program: ProgramRow): Promise<RoundOutcome> {
      return runRound(program, periodFor(scheduleOf(program), deps.clock.now()));
    },
    /** Who would be paired in the program's next round; nothing is stored or sent. */
    async preview(program: ProgramRow) {
      const now = deps.clock.now();
      const period = upcomingPeriod(scheduleOf(program), now, await deps.store.lastPeriodKey(program.id));
      const planned = await planFor(program, period, now);
      return planned.ok ? { ...planned, roundAt: period.roundAt } : planned;
    },
    /** Who would take part in a program's round of `periodKey` (for heads-ups). */
    async eligibleFor(program: ProgramRow, periodKey: string): Promise<string[]> {
      const now = deps.clock.now();
      const period = { ...periodFor(scheduleOf(program), now), key: periodKey };
      const p = await pool(program, period, now);
      return p.ok ? p.eligible.map((m) => m.userId) : [];
    },
    nextRoundAt(program: ProgramRow): Date {
      return nextRoundAt(scheduleOf(program), deps.clock.now());
    },
  };
}
export type RoundService = ReturnType<typeof createRoundService>;
