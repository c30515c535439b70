// The pure matching engine: plan a round's groups from members, history and a seed.
export { boundFromSizes, crossDepartmentBound, groupSizesFor, normaliseGroupSize } from './bound.ts';
export { planRound } from './plan-round.ts';
export { createRng, shuffleInPlace } from './rng.ts';
export { offsetMinutesOrUtc, sharedWorkingHours, sharedWorkingMinutes } from './timezones.ts';
export type {
  GroupReason,
  GroupReasonCode,
  MatchMember,
  PastGroup,
  Plan,
  PlanInput,
  PlannedGroup,
  PlanStats,
} from './types.ts';
