/**
 * A recurrence that can never be evaluated: an unparseable or contradictory rule, an unknown time
 * zone. Redelivering the event cannot fix it, so the consumer answers DROP (dead-letter topic).
 */
export class RecurrenceRuleError extends Error {
  override readonly name = "RecurrenceRuleError";
}
