// Pure network statistics: who connected with whom across departments, shown only k-anonymously.
export { type Cell, cellOf, cellRank, MIN_PEOPLE, shownCount } from './anonymity.ts';
export {
  buildConnectionMatrix,
  type Connection,
  type ConnectionMatrix,
  collectConnections,
  departmentPairWeights,
  type GiveLink,
  type Meeting,
  type NetworkInput,
  type NetworkPerson,
  pairKey,
  peoplePerDepartment,
  type TimeWindow,
} from './connections.ts';
export { givesByKind, type KindCount } from './gives.ts';
export {
  anonymousGives,
  anonymousMatrix,
  buildHeatmap,
  type DepartmentPair,
  type Heatmap,
  leastConnectedPairs,
  pairCell,
  type ShownDepartment,
  visibleDepartments,
} from './heatmap.ts';
export {
  latestRecapSlot,
  RECAP_HOUR,
  RECAP_WEEKDAY,
  type Recap,
  type RecapSlot,
  weeklyRecap,
} from './recap.ts';
export {
  type DeliveryProgress,
  deliveryProgress,
  type RoundFacts,
  type RoundSummary,
  summariseRound,
} from './rounds.ts';
export { type WeekPoint, weeklyCrossDepartmentTrend, weekStartUtc } from './trend.ts';
