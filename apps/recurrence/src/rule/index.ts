export { RecurrenceRuleError } from "./errors.js";
export { parseRecurrence, parseRRuleBody, parseRuleTime, type ParsedRecurrence, type RuleOptions, type RuleTime } from "./parse.js";
export { nextOccurrence, type NextOccurrence, type Series } from "./next.js";
export { checkTimeZone, instantToWallClock, wallClockToInstant, type WallClockFit, type ZonedTime } from "./wall-clock.js";
export { continuationRule } from "./continuation.js";
