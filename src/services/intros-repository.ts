// The storage on-demand intros need (src/services/intros.ts), implemented in
// src/persistence/repositories/intros.ts. Every read and write is scoped to one workspace.
import type { MemberRow } from './members.ts';
import type { PromptToSchedule } from './ports.ts';

/** An on-demand intro (double opt-in) as stored. */
export interface IntroRow {
  id: string;
  workspaceId: string;
  introducerId: string;
  userAId: string;
  userBId: string;
  reason: string;
  /** command | find | me */
  source: string;
  /** pending | accepted | declined | expired */
  status: string;
  acceptedA: Date | null;
  acceptedB: Date | null;
  groupId: string | null;
  expiresAt: Date;
  createdAt: Date;
  closedAt: Date | null;
}

/** Who `/intro find` (people with expertise) or `/intro me` (active or paused people) may pick from. */
export type CandidateFilter = 'with_expertise' | 'active_or_paused';

/** A give recorded for making an introduction. */
export interface IntroGive {
  workspaceId: string;
  giverId: string;
  receiverId: string;
  kind: string;
  reason: string;
  source: string;
  sourceKey: string;
  createdAt: Date;
}

export interface IntroRepository {
  /** Stored members among `userIds`. */
  members(workspaceId: string, userIds: string[]): Promise<MemberRow[]>;
  /** Humans who take part (not opted out), other than `userId`, narrowed by `filter`. */
  candidates(workspaceId: string, userId: string, filter: CandidateFilter): Promise<MemberRow[]>;
  /** Users among `userIds` in an active program they have not left. */
  inActivePrograms(workspaceId: string, userIds: string[]): Promise<string[]>;

  find(workspaceId: string, introId: string): Promise<IntroRow | null>;
  /** An intro as it is now (it must exist). */
  current(introId: string): Promise<IntroRow>;
  /** The pending intro between `a` and `b`, either way round. */
  pendingBetween(workspaceId: string, a: string, b: string): Promise<IntroRow | null>;
  /** `userId`'s own `/intro me` still waiting for an answer. */
  pendingExtra(workspaceId: string, userId: string): Promise<IntroRow | null>;
  /** The pairs of the pending intros `userId` is in. */
  pendingPairsOf(workspaceId: string, userId: string): Promise<Array<{ userAId: string; userBId: string }>>;
  /** Pending intros whose invites ran out by `now`, oldest first, at most `take`. */
  expiredPending(now: Date, take: number): Promise<IntroRow[]>;

  create(intro: Omit<IntroRow, 'id' | 'status' | 'acceptedB' | 'groupId' | 'closedAt'>): Promise<IntroRow>;
  /** Records one side's acceptance (once; only while the intro is pending). */
  accept(introId: string, side: 'A' | 'B', at: Date): Promise<void>;
  /** Pending → accepted when both have accepted; false when it was not (or no longer) the case. */
  markAccepted(intro: IntroRow, at: Date): Promise<boolean>;
  /** Pending → `outcome`; false when the intro was no longer pending. */
  close(intro: IntroRow, outcome: 'declined' | 'expired', at: Date): Promise<boolean>;
  /** A group for an accepted intro, with its two members. */
  createGroup(group: {
    workspaceId: string;
    kind: string;
    reasons: string[];
    createdAt: Date;
    userIds: string[];
  }): Promise<{ id: string }>;
  setGroup(introId: string, groupId: string): Promise<void>;
  /** Gives already recorded (same source key) are kept as they are. */
  recordGives(gives: IntroGive[]): Promise<void>;
  /** Stores prompts; keys already present are kept as they are. */
  schedule(prompts: PromptToSchedule[]): Promise<void>;
  /** Marks the sent invite with this key as answered (in its outbox result), when there is one. */
  markInviteAnswered(workspaceId: string, key: string): Promise<void>;

  /** Ids of the groups `userId` has been in. */
  groupIdsOf(workspaceId: string, userId: string): Promise<string[]>;
  /** Members among `userIds` of the groups `groupIds` (one entry per membership). */
  groupMembersAmong(workspaceId: string, groupIds: string[], userIds: string[]): Promise<string[]>;
  /** Gives between `userId` and any of `others`, either way. */
  givesBetween(
    workspaceId: string,
    userId: string,
    others: string[],
  ): Promise<Array<{ giverId: string; receiverId: string | null }>>;
  /** Pending or accepted intros (not yet a group) between `userId` and any of `others`. */
  openIntrosBetween(
    workspaceId: string,
    userId: string,
    others: string[],
  ): Promise<Array<{ userAId: string; userBId: string }>>;
}
