// Public shapes of the matching engine: what callers pass in and what a plan looks like.

/** One eligible member of a round's pool. */
export interface MatchMember {
  id: string;
  /** null = unknown: still paired, but two unknowns never count as cross-department. */
  department: string | null;
  /** IANA zone such as 'Europe/Berlin'; an unknown zone is read as UTC. */
  tz: string;
  /** In the first 90 days: placed first and kept out of their own department when avoidable. */
  isNew?: boolean;
  /** Was in an enlarged group last round (a trio when pairing; a group of four in groups of three). */
  wasInTrioLastRound?: boolean;
  /** Ids this member refuses; enforced in both directions and never violated. */
  doNotPair?: string[];
  /** Only used to explain a group ("a shared interest: …"), never to decide it. */
  interests?: string[];
}

/** A group from an earlier round of the same program. */
export interface PastGroup {
  round: number;
  members: string[];
}

export interface PlanInput {
  members: MatchMember[];
  history: PastGroup[];
  /** Current round number; history rounds are lower. */
  round: number;
  /** Repeat window in rounds (product default 12). */
  windowRounds: number;
  seed: number;
  /** Instant used for time-zone offsets, passed in so the engine stays pure. */
  at: Date;
  /** How often each department pair already connected; key = sorted 'A|B'; lower is preferred. */
  departmentPairWeights?: Map<string, number>;
  /**
   * People per group: 2 (pairs, the default) or 3; anything else is read as 2. The n mod groupSize
   * people left over each join a different group, so no group is smaller than groupSize (a pool smaller
   * than groupSize, but at least two, is one group).
   */
  groupSize?: number;
}

export type GroupReasonCode =
  | 'different_departments'
  | 'never_met'
  | 'last_met'
  | 'shared_hours'
  | 'shared_interest'
  | 'rare_departments'
  | 'trio'
  | 'same_department';

export interface GroupReason {
  code: GroupReasonCode;
  text: string;
}

/**
 * A planned group; in an enlarged group (a trio when pairing, a group of four in groups of three) the
 * last member is the person added to it.
 */
export interface PlannedGroup {
  members: string[];
  reasons: GroupReason[];
}

export interface PlanStats {
  /** Pool size (members passed in). */
  n: number;
  /** People grouped with at least one member of another department (unknown vs known counts). */
  coverage: number;
  /** crossDepartmentBound of the whole pool. */
  bound: number;
  /** Pairs in the plan that already met within the repeat window. */
  repeats: number;
  /** Groups larger than the group size: trios when pairing, groups of four in groups of three. */
  trios: number;
  /** Mean shared working hours (09:00–17:00 local) per group, 0–8. */
  tzScore: number;
}

export interface Plan {
  groups: PlannedGroup[];
  /** Members who could not be placed (pool of one, or "don't pair me with" lists leave no option). */
  unmatched: string[];
  stats: PlanStats;
}
