// The persistence follow-ups need (implemented in src/persistence/repositories/followups.ts), in plain data.
import type { ProgramRow } from './rounds.ts';

/** A group with its members and their check-in answers. */
export interface FollowUpGroup {
  id: string;
  status: string;
  conversationId: string | null;
  metAt: Date | null;
  members: Array<{ userId: string; response: string | null }>;
}

/** A member as a newcomer's first intro pairs them. */
export interface PairingMember {
  userId: string;
  status: string;
  department: string | null;
  slackDepartment: string | null;
  doNotPair: string[];
}

export interface FollowUpRepository {
  /** Members' time zones and stored working hours (JSON, parsed by the caller). */
  zones(
    workspaceId: string,
    userIds: string[],
  ): Promise<Array<{ userId: string; tz: string; workingHours: unknown }>>;
  group(workspaceId: string, groupId: string): Promise<FollowUpGroup | null>;
  /** The program of a round of the workspace, when the round exists. */
  programOfRound(workspaceId: string, roundId: string): Promise<ProgramRow | null>;
  recordResponse(groupId: string, userId: string, response: string, at: Date): Promise<void>;
  /** The member answered: their count of silent rounds starts again. */
  resetSilence(workspaceId: string, userId: string): Promise<void>;
  /** Sets a group's status (and when it met, for `met`). */
  setGroupStatus(groupId: string, status: 'met' | 'not_yet' | 'not_happening', metAt?: Date): Promise<void>;
  answers(groupId: string): Promise<Array<{ userId: string; response: string | null }>>;
  /**
   * Records a reconnect answer on its prompt; when every offer of the original group says yes, creates the
   * new group and queues its intro (`reconnect_group:<group>`), once. One transaction, locked per original
   * group, so two members answering yes at the same moment open exactly one group.
   */
  answerReconnect(input: {
    workspaceId: string;
    promptId: string;
    userId: string;
    answer: 'yes' | 'not_now' | 'never';
    now: Date;
  }): Promise<{ ok: false } | { ok: true; reconnected: boolean; scheduled?: boolean }>;
  /** Claims a job's run for a key; false when it was claimed already. */
  claimJobRun(workspaceId: string, job: string, runKey: string): Promise<boolean>;
  programChannel(workspaceId: string, programId: string): Promise<string | null>;
  setSkipPeriod(workspaceId: string, userId: string, periodKey: string): Promise<void>;
  /**
   * Each member's answers in their latest delivered round groups, newest first, at most `limit` each
   * (members with none are absent).
   */
  recentRoundResponses(
    workspaceId: string,
    userIds: string[],
    limit: number,
  ): Promise<Map<string, Array<string | null>>>;
  /** Auto-pauses an active member; false when they were not active. */
  autoPause(workspaceId: string, userId: string): Promise<boolean>;
  /** Which groups these members are in. */
  memberships(workspaceId: string, userIds: string[]): Promise<Array<{ groupId: string; userId: string }>>;
  /** Prompts of these kinds sent since `since` to these people or their groups. */
  sentSince(
    workspaceId: string,
    q: { kinds: string[]; since: Date; userIds: string[]; groupIds: string[] },
  ): Promise<Array<{ userId: string | null; groupId: string | null; result: unknown }>>;
  /** The intro a group came from, if any. */
  introOfGroup(
    workspaceId: string,
    groupId: string,
  ): Promise<{ source: string; introducerId: string } | null>;
  /** Whether any of these members is deactivated or left Weave intros. */
  anyoneGone(workspaceId: string, userIds: string[]): Promise<boolean>;
  participation(
    workspaceId: string,
    userId: string,
  ): Promise<{ status: string; skipPeriodKey: string | null } | null>;
  program(workspaceId: string, programId: string): Promise<ProgramRow | null>;
  /** How many groups the member has been in. */
  groupCount(workspaceId: string, userId: string): Promise<number>;
  pairingMember(workspaceId: string, userId: string): Promise<PairingMember | null>;
  /** Active people (no bots, guests or deactivated accounts) in the program besides `userId`. */
  pairingCandidates(workspaceId: string, programId: string, userId: string): Promise<PairingMember[]>;
  /** Creates a group of these members and queues its intro now (`group_intro:<id>`), together. */
  createGroupWithIntro(input: {
    workspaceId: string;
    kind: string;
    reasons: string[];
    memberIds: string[];
    now: Date;
  }): Promise<string>;
}
