import { Temporal } from "@js-temporal/polyfill";
import { recurrenceHorizonYears } from "./budget.js";
import { RecurrenceRuleError } from "./errors.js";
import { nextOccurrence } from "./next.js";

/**
 * Why `recurrence`, anchored at `anchor` (an RFC 3339 instant) in `timeZone`, cannot be accepted, or
 * undefined: the next occurrence after the anchor must be found within the search budget and the
 * horizon, exactly as the recurrence service will look for it when the task is completed. A series
 * that ends (COUNT, UNTIL) is fine.
 */
export function scheduleProblem(recurrence: string, timeZone: string, anchor: string): string | undefined {
  const start = Temporal.Instant.from(anchor);
  try {
    const next = nextOccurrence({ recurrence, timeZone, start }, start);
    if (next.kind === "ended" && next.reason === "no-more-occurrences")
      return `The rule has no occurrence within ${recurrenceHorizonYears} years after the due time.`;
    return undefined;
  } catch (err) {
    if (err instanceof RecurrenceRuleError) return `The rule cannot be scheduled: ${err.message}.`;
    throw err;
  }
}
