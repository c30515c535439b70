// Pure time and schedule logic: zoned time, ISO weeks, round periods and working-time delivery.
export {
  assertValidSchedule,
  CADENCES,
  type Cadence,
  cadenceWeeks,
  checkInAt,
  headsUpAt,
  isCadence,
  isRoundDue,
  nextRoundAt,
  type Period,
  type ProgramSchedule,
  periodFor,
  periodKeyWeekIndex,
  type RoundDue,
  upcomingPeriod,
} from './cadence.ts';
export {
  addCalendarDays,
  type IsoWeek,
  isoWeek,
  isoWeekday,
  isoWeekKey,
  isoWeekMonday,
  isoWeeksInYear,
  type LocalDate,
  type LocalDateTime,
  weekIndex,
} from './local-date.ts';
export {
  addWorkingDays,
  GROUP_OVERLAP_HORIZON_DAYS,
  groupDeliveryTime,
  isWorkingTime,
  nextWorkingTime,
  type WorkingHoursOptions,
} from './working-time.ts';
export {
  addLocalDays,
  isValidTimeZone,
  tzOffsetMinutes,
  type ZonedParts,
  zonedDateTimeToInstant,
  zonedParts,
} from './zoned-time.ts';
