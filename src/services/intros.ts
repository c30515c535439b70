import { seedFrom } from '../domain/eligibility.ts';
import { bestTagMatch } from '../domain/intro/topics.ts';
import type { Logger } from '../observability/logger.ts';
import type { CandidateFilter, IntroRepository, IntroRow } from './intros-repository.ts';
import { departmentOf, type MemberRow, type MemberService } from './members.ts';
import type { Clock, SlackGateway, UnitOfWork } from './ports.ts';

export type { IntroRow } from './intros-repository.ts';

/** How long an invite waits for answers. */
export const INTRO_EXPIRY_DAYS = 7;
const DAY_MS = 86_400_000;
/** Most people `/intro find` returns. */
export const MAX_FOUND = 3;

/** Where an intro came from: `/intro @a @b` (command), `/intro find` or `/intro me`. */
export type IntroSource = 'command' | 'find' | 'me';

/** What an invite shows once answered, or once the intro is over. */
export type InviteState =
  | { kind: 'accepted_waiting'; otherId: string }
  | { kind: 'accepted_done' }
  | { kind: 'declined' }
  | { kind: 'ended' }
  | { kind: 'expired' };

/** Someone `/intro find` found. */
export interface FoundPerson {
  userId: string;
  department: string | null;
  title: string;
  /** The expertise tag that matched. */
  tag: string;
  /** Past groups, intros and gives between them and the caller. */
  connections: number;
}

/** Outcome of asking for an intro: created (invites queued) or refused with what to do instead. */
export type IntroRequestOutcome =
  | { ok: true; introId: string; userIds: [string, string]; expiresAt: Date; otherId: string }
  | { ok: false; code: IntroRefusal; message: string };

/**
 * Why an intro was refused (stable codes; `message` says it in words, with what to do instead).
 * `slack_unavailable` and `profile_unavailable` are worth retrying in a minute.
 */
export type IntroRefusal =
  | 'slack_unavailable'
  | 'not_in_workspace'
  | 'bot'
  | 'opted_out'
  | 'self'
  | 'same_person'
  | 'already_pending'
  | 'extra_waiting'
  | 'profile_unavailable'
  | 'not_a_person'
  | 'left_weave'
  | 'nobody_available';

/** Outcome of an Accept / Not now click: the invite's new state, or why the click can't count. */
export type AnswerOutcome =
  | { ok: true; state: InviteState }
  | { ok: false; code: 'intro_gone' | 'not_invited'; message: string };

type Refused = { ok: false; code: IntroRefusal; message: string };
const refused = (code: IntroRefusal, message: string): Refused => ({ ok: false, code, message });

/** The other department rule: unknown vs unknown is not cross-department; unknown vs known is. */
/** Department keys (after the workspace's merges) differ; two unknowns are not "other". */
function otherDepartment(a: string | null, b: string | null): boolean {
  if (a === null && b === null) return false;
  return a !== b;
}

/** Whether a member can be invited to an intro, and if not, how to say so. */
function inviteProblem(
  m: Pick<MemberRow, 'isDeleted' | 'isBot' | 'status'> | undefined,
  userId: string,
): Refused | null {
  if (!m || m.isDeleted) {
    return refused(
      'not_in_workspace',
      `<@${userId}> isn't in this workspace any more. Pick someone else from Slack's autocomplete.`,
    );
  }
  if (m.isBot) return refused('bot', `<@${userId}> is a bot; Weave introduces people.`);
  if (m.status === 'opted_out')
    return refused('opted_out', `<@${userId}> has turned Weave intros off, so Weave can't invite them.`);
  return null;
}

/** On-demand intros with double opt-in: create, answer, expire; `/intro find` and `/intro me`. */
export function createIntroService(deps: {
  intros: IntroRepository;
  /** The intros' repository inside one transaction (creating an intro with its invites, accepting one). */
  unitOfWork: UnitOfWork<IntroRepository>;
  members: MemberService;
  slack: SlackGateway;
  log: Logger;
  clock: Clock;
  onScheduled?: () => void;
}) {
  const log = deps.log.child({ component: 'intros' });

  /**
   * The member rows of people about to be invited, or why one of them can't be. Someone Weave has never
   * seen is looked up in Slack first and stored only when they can be invited, so a refused command
   * stores nothing.
   */
  async function invitable(
    workspaceId: string,
    ids: string[],
  ): Promise<{ ok: true; rows: MemberRow[] } | Refused> {
    const stored = await deps.intros.members(workspaceId, ids);
    const known = new Set(stored.map((m) => m.userId));
    for (const id of ids.filter((i) => !known.has(i))) {
      const r = await deps.slack.user(workspaceId, id);
      if (!r.ok && r.kind !== 'permanent') {
        return refused('slack_unavailable', 'Slack did not answer just now; please try again in a minute.');
      }
      const problem = r.ok
        ? inviteProblem({ isDeleted: r.user.isDeleted, isBot: r.user.isBot, status: 'active' }, id)
        : inviteProblem(undefined, id);
      if (problem) return problem;
    }
    for (const m of stored) {
      const problem = inviteProblem(m, m.userId);
      if (problem) return problem;
    }
    const rows = await deps.members.sync(workspaceId, ids);
    for (const id of ids) {
      const problem = inviteProblem(
        rows.find((m) => m.userId === id),
        id,
      );
      if (problem) return problem;
    }
    return { ok: true, rows };
  }

  async function pendingBetween(workspaceId: string, a: string, b: string): Promise<IntroRow | null> {
    return deps.intros.pendingBetween(workspaceId, a, b);
  }

  /** Stores an intro and queues an invite for each person who still has to accept. */
  async function create(input: {
    workspaceId: string;
    introducerId: string;
    userIds: [string, string];
    reason: string;
    source: IntroSource;
    /** For requests: the requester (userIds[0]) has accepted by asking. */
    firstAccepted: boolean;
  }): Promise<{ id: string; expiresAt: Date }> {
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + INTRO_EXPIRY_DAYS * DAY_MS);
    const [a, b] = input.userIds;
    const intro = await deps.unitOfWork.run(async (tx) => {
      const row = await tx.create({
        workspaceId: input.workspaceId,
        introducerId: input.introducerId,
        userAId: a,
        userBId: b,
        reason: input.reason,
        source: input.source,
        acceptedA: input.firstAccepted ? now : null,
        expiresAt,
        createdAt: now,
      });
      const invitees = input.firstAccepted ? [b] : [a, b];
      await tx.schedule(
        invitees.map((userId) => ({
          workspaceId: input.workspaceId,
          kind: 'intro_invite',
          key: `intro_invite:${row.id}:${userId}`,
          userId,
          payload: { introId: row.id },
          dueAt: now,
        })),
      );
      return row;
    });
    deps.onScheduled?.();
    log.info({ workspaceId: input.workspaceId, introId: intro.id, source: input.source }, 'intro created');
    return { id: intro.id, expiresAt };
  }

  /** Past groups, intros and gives between `userId` and each of `others`. */
  async function connections(workspaceId: string, userId: string, others: string[]) {
    const counts = new Map<string, number>(others.map((id) => [id, 0]));
    if (others.length === 0) return counts;
    const bump = (id: string | null) => {
      if (id !== null && counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    };
    const mine = await deps.intros.groupIdsOf(workspaceId, userId);
    for (const id of await deps.intros.groupMembersAmong(workspaceId, mine, others)) bump(id);
    const gives = await deps.intros.givesBetween(workspaceId, userId, others);
    for (const g of gives) bump(g.giverId === userId ? g.receiverId : g.giverId);
    const intros = await deps.intros.openIntrosBetween(workspaceId, userId, others);
    for (const i of intros) bump(i.userAId === userId ? i.userBId : i.userAId);
    return counts;
  }

  /** Requests an intro on the requester's behalf: they have accepted by asking, the other must accept. */
  async function request(input: {
    workspaceId: string;
    requesterId: string;
    otherId: string;
    source: 'find' | 'me';
    topic: string;
  }): Promise<IntroRequestOutcome> {
    if (input.otherId === input.requesterId) {
      return refused('self', 'That is you! Try `/intro find <topic>` to find someone else.');
    }
    const people = await invitable(input.workspaceId, [input.otherId]);
    if (!people.ok) return people;
    const pending = await pendingBetween(input.workspaceId, input.requesterId, input.otherId);
    if (pending) {
      return {
        ok: false,
        code: 'already_pending',

        message: `There's already an intro with <@${input.otherId}> waiting for an answer. It expires in at most ${INTRO_EXPIRY_DAYS} days.`,
      };
    }
    const created = await create({
      workspaceId: input.workspaceId,
      introducerId: input.requesterId,
      userIds: [input.requesterId, input.otherId],
      reason: input.topic,
      source: input.source,
      firstAccepted: true,
    });
    return {
      ok: true,
      introId: created.id,
      userIds: [input.requesterId, input.otherId],
      expiresAt: created.expiresAt,
      otherId: input.otherId,
    };
  }

  /** Members who could be found or picked for `userId`: humans in other departments who take part. */
  async function candidatesFor(workspaceId: string, me: MemberRow, filter: CandidateFilter) {
    const rows = await deps.intros.candidates(workspaceId, me.userId, filter);
    const departments = await deps.members.departments(me.workspaceId);
    const mine = departments.key(departmentOf(me));
    return rows.filter(
      (m) =>
        otherDepartment(mine, departments.key(departmentOf(m))) &&
        !me.doNotPair.includes(m.userId) &&
        !m.doNotPair.includes(me.userId),
    );
  }

  /** Marks an intro accepted once both have accepted: group, group DM prompt and the introducer's gives. */
  async function finishIfBothAccepted(intro: IntroRow): Promise<boolean> {
    const now = deps.clock.now();
    const finished = await deps.unitOfWork.run(async (tx) => {
      if (!(await tx.markAccepted(intro, now))) return false;
      const group = await tx.createGroup({
        workspaceId: intro.workspaceId,
        kind: intro.source === 'me' ? 'extra' : 'intro',
        reasons: intro.reason ? [intro.reason] : [],
        createdAt: now,
        userIds: [intro.userAId, intro.userBId],
      });
      await tx.setGroup(intro.id, group.id);
      await tx.schedule([
        {
          workspaceId: intro.workspaceId,
          kind: 'intro_group',
          key: `intro_group:${intro.id}`,
          groupId: group.id,
          payload: { introId: intro.id },
          dueAt: now,
        },
      ]);
      // Making an introduction counts as a give (one per person introduced). Recorded with the intro, not
      // through /give's path: no daily cap (both people had to accept) and no "thanked you" DM.
      if (intro.source === 'command') {
        await tx.recordGives(
          [intro.userAId, intro.userBId].map((receiverId) => ({
            workspaceId: intro.workspaceId,
            giverId: intro.introducerId,
            receiverId,
            kind: 'intro',
            reason: intro.reason
              ? `Introduced <@${intro.userAId}> and <@${intro.userBId}>: ${intro.reason}`
              : `Introduced <@${intro.userAId}> and <@${intro.userBId}>`,
            source: 'intro',
            sourceKey: `intro:${intro.id}:${receiverId}`,
            createdAt: now,
          })),
        );
      }
      return true;
    });
    if (finished) {
      deps.onScheduled?.();
      log.info({ workspaceId: intro.workspaceId, introId: intro.id }, 'intro accepted by both');
    }
    return finished;
  }

  function stateOf(intro: IntroRow, userId: string): InviteState {
    if (intro.status === 'accepted') return { kind: 'accepted_done' };
    if (intro.status === 'expired') return { kind: 'expired' };
    if (intro.status === 'declined') return { kind: 'ended' };
    const mine = intro.userAId === userId ? intro.acceptedA : intro.acceptedB;
    const otherId = intro.userAId === userId ? intro.userBId : intro.userAId;
    return mine ? { kind: 'accepted_waiting', otherId } : { kind: 'ended' };
  }

  /** Marks `userId`'s own sent invite as answered (they declined it; their message already says so). */
  async function markInviteAnswered(intro: IntroRow, userId: string) {
    await deps.intros.markInviteAnswered(intro.workspaceId, `intro_invite:${intro.id}:${userId}`);
  }

  async function closeWith(intro: IntroRow, outcome: 'declined' | 'expired', by: string | null) {
    const now = deps.clock.now();
    if (!(await deps.intros.close(intro, outcome, now))) return false;
    // Nobody is told who said no, so the introducer's notice does not store it either: the decliner's own
    // invite is marked answered (their own row), and the notice's handler leaves that invite as it is.
    if (by) await markInviteAnswered(intro, by);
    await deps.intros.schedule([
      {
        workspaceId: intro.workspaceId,
        kind: 'intro_closed',
        key: `intro_closed:${intro.id}`,
        userId: intro.introducerId,
        payload: { introId: intro.id, outcome },
        dueAt: now,
      },
    ]);
    deps.onScheduled?.();
    log.info({ workspaceId: intro.workspaceId, introId: intro.id, outcome }, 'intro closed');
    return true;
  }

  return {
    /** `/intro @a @b why` (or the introduce modal): checks both people, then invites them. */
    async introduce(input: {
      workspaceId: string;
      introducerId: string;
      userIds: [string, string];
      reason: string;
    }): Promise<IntroRequestOutcome> {
      const [a, b] = input.userIds;
      if (a === b) {
        return {
          ok: false,
          code: 'same_person',

          message: 'Introduce two different people, e.g. `/intro @maria @sam you both work on onboarding`.',
        };
      }
      if (a === input.introducerId || b === input.introducerId) {
        return {
          ok: false,
          code: 'self',

          message:
            "You can't introduce yourself, but Weave can: `/intro me` for an extra intro, or `/intro find <topic>` to find someone who knows about it.",
        };
      }
      const people = await invitable(input.workspaceId, [a, b]);
      if (!people.ok) return people;
      if (await pendingBetween(input.workspaceId, a, b)) {
        return {
          ok: false,
          code: 'already_pending',

          message: `<@${a}> and <@${b}> already have an intro waiting for their answers. Invites expire after ${INTRO_EXPIRY_DAYS} days.`,
        };
      }
      const created = await create({
        workspaceId: input.workspaceId,
        introducerId: input.introducerId,
        userIds: [a, b],
        reason: input.reason,
        source: 'command',
        firstAccepted: false,
      });
      return { ok: true, introId: created.id, userIds: [a, b], expiresAt: created.expiresAt, otherId: b };
    },

    request,

    /** An Accept or Not now click. Repeated clicks answer with the current state and change nothing. */
    async answer(input: {
      workspaceId: string;
      introId: string;
      userId: string;
      answer: 'accept' | 'decline';
    }): Promise<AnswerOutcome> {
      const intro = await deps.intros.find(input.workspaceId, input.introId);
      if (!intro) return { ok: false, code: 'intro_gone', message: 'This intro no longer exists.' };
      const side = intro.userAId === input.userId ? 'A' : intro.userBId === input.userId ? 'B' : null;
      if (side === null)
        return {
          ok: false,
          code: 'not_invited',
          message: "This invite was for someone else, so it can't be answered by you.",
        };
      if (intro.status !== 'pending') return { ok: true, state: stateOf(intro, input.userId) };
      if (input.answer === 'decline') {
        const mine = side === 'A' ? intro.acceptedA : intro.acceptedB;
        if (mine) return { ok: true, state: stateOf(intro, input.userId) };
        const closed = await closeWith(intro, 'declined', input.userId);
        if (closed) return { ok: true, state: { kind: 'declined' } };
      } else {
        const now = deps.clock.now();
        await deps.intros.accept(intro.id, side, now);
        const current = await deps.intros.current(intro.id);
        await finishIfBothAccepted(current);
      }
      const latest = await deps.intros.current(intro.id);
      return { ok: true, state: stateOf(latest, input.userId) };
    },

    /** Expires intros whose invites waited 7 days; whoever asked is told (the expiry job). */
    async expireDue(): Promise<{ expired: number }> {
      const now = deps.clock.now();
      const due = await deps.intros.expiredPending(now, 500);
      let expired = 0;
      for (const intro of due) if (await closeWith(intro, 'expired', null)) expired += 1;
      return { expired };
    },

    /** `/intro find <topic>`: people in other departments with matching expertise, least connected first. */
    async find(workspaceId: string, userId: string, topic: string): Promise<FoundPerson[]> {
      const me = await deps.members.get(workspaceId, userId);
      if (!me) return [];
      const candidates = (await candidatesFor(workspaceId, me, 'with_expertise'))
        .map((m) => ({ m, match: bestTagMatch(topic, m.expertise) }))
        .filter((c) => c.match.score > 0);
      const links = await connections(
        workspaceId,
        userId,
        candidates.map((c) => c.m.userId),
      );
      return candidates
        .map((c) => ({ ...c, connections: links.get(c.m.userId) ?? 0 }))
        .sort(
          (x, y) =>
            x.connections - y.connections ||
            y.match.score - x.match.score ||
            x.m.userId.localeCompare(y.m.userId),
        )
        .slice(0, MAX_FOUND)
        .map((c) => ({
          userId: c.m.userId,
          department: departmentOf(c.m),
          title: c.m.title,
          tag: c.match.tag ?? topic,
          connections: c.connections,
        }));
    },

    /** `/intro me`: picks someone from another department who takes part in a program, least connected first. */
    async me(workspaceId: string, userId: string): Promise<IntroRequestOutcome> {
      const waiting = await deps.intros.pendingExtra(workspaceId, userId);
      if (waiting) {
        const other = waiting.userAId === userId ? waiting.userBId : waiting.userAId;
        return {
          ok: false,
          code: 'extra_waiting',

          message: `Your extra intro with <@${other}> is still waiting for their answer. One at a time: try again once they have answered (or in ${INTRO_EXPIRY_DAYS} days at most).`,
        };
      }
      const me = await deps.members.get(workspaceId, userId);
      if (!me)
        return {
          ok: false,
          code: 'profile_unavailable',

          message: "Weave couldn't load your Slack profile just now. Please try again in a minute.",
        };
      if (me.isDeleted || me.isBot)
        return {
          ok: false,
          code: 'not_a_person',
          message: 'Only people in this workspace can ask for intros.',
        };
      if (me.status === 'opted_out') {
        return {
          ok: false,
          code: 'left_weave',
          message: 'You left Weave intros. `/intro resume` brings you back first.',
        };
      }
      const now = deps.clock.now();
      const pool = (await candidatesFor(workspaceId, me, 'active_or_paused')).filter(
        (m) => m.status === 'active' || (m.pausedUntil !== null && m.pausedUntil <= now),
      );
      const inPrograms = new Set(
        await deps.intros.inActivePrograms(
          workspaceId,
          pool.map((m) => m.userId),
        ),
      );
      const eligible = pool.filter((m) => inPrograms.has(m.userId));
      const pending = await deps.intros.pendingPairsOf(workspaceId, userId);
      const busy = new Set(pending.flatMap((i) => [i.userAId, i.userBId]));
      const open = eligible.filter((m) => !busy.has(m.userId));
      if (open.length === 0) {
        return {
          ok: false,
          code: 'nobody_available',

          message:
            'Nobody from another department is available for an extra intro right now. Try `/intro find <topic>`, or wait for the next round.',
        };
      }
      const links = await connections(
        workspaceId,
        userId,
        open.map((m) => m.userId),
      );
      const day = now.toISOString().slice(0, 10);
      const [pick] = open
        .map((m) => ({ m, links: links.get(m.userId) ?? 0, tie: seedFrom(`${userId}:${m.userId}:${day}`) }))
        .sort((x, y) => x.links - y.links || x.tie - y.tie);
      if (!pick)
        return {
          ok: false,
          code: 'nobody_available',
          message: 'Nobody is available right now; try again later.',
        };
      return request({ workspaceId, requesterId: userId, otherId: pick.m.userId, source: 'me', topic: '' });
    },

    /** An intro by id (scoped to its workspace), for prompt handlers. */
    async get(workspaceId: string, introId: string): Promise<IntroRow | null> {
      return deps.intros.find(workspaceId, introId);
    },
  };
}
export type IntroService = ReturnType<typeof createIntroService>;
