/**
 * The RFC 5545 recurrence engine shared by the tasks API (validation) and the recurrence service (next
 * occurrence), so a rule the API accepts is evaluated by the same code, under the same budget, when its
 * task is completed. Imported as `@tasks/shared/recurrence/index` (not from the package root: only these
 * two services load rrule and the Temporal polyfill).
 */
/** The Temporal polyfill the engine is built on: pass instants made with this one (0.3.0, hoisted for @dapr/dapr, is not compatible). */
export { Temporal } from "@js-temporal/polyfill";
export { RecurrenceRuleError } from "./errors.js";
export { parseRecurrence, parseRRuleBody, parseRuleTime, type ParsedRecurrence, type RuleOptions, type RuleTime } from "./parse.js";
export { nextOccurrence, type NextOccurrence, type SearchOptions, type Series } from "./next.js";
export { checkTimeZone, instantToWallClock, wallClockToInstant, type WallClockFit, type ZonedTime } from "./wall-clock.js";
export {
  innerLoopProblem,
  meterRule,
  recurrenceBudget,
  RecurrenceBudgetExceeded,
  recurrenceHorizonYears,
  type RecurrenceBudget,
  type RuleMeter,
} from "./budget.js";
export { scheduleProblem } from "./schedule.js";
export { completionRuleParts, completionRuleProblem, nextFromCompletion, type NextFromCompletion } from "./from-completion.js";
