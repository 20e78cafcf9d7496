import { Temporal } from "@js-temporal/polyfill";
import { DropEvent, type EventHandler, type TaskSnapshot } from "@tasks/shared";
import { OccurrenceRejected, type OccurrenceClient } from "./occurrence-client.js";
import { continuationRule, nextOccurrence, RecurrenceRuleError, type NextOccurrence } from "./rule/index.js";

/** Zone used when a task has a due time but no zone (the tasks API normally requires one). */
const FALLBACK_ZONE = "UTC";

export type NextStep =
  | { readonly kind: "none"; readonly reason: string }
  | {
      readonly kind: "create";
      readonly occurrenceAt: string;
      readonly sourceTask: TaskSnapshot;
      readonly idempotencyKey: string;
      readonly next: Extract<NextOccurrence, { kind: "next" }>;
    };

/**
 * What completing `task` means for its series. The series is anchored at the task's scheduled time
 * (`occurrenceAt` for occurrences, else `dueAt`) in its zone; the next task is the first occurrence
 * strictly after it. Throws DropEvent for a task that can never be evaluated.
 */
export function planNext(task: TaskSnapshot): NextStep {
  if (task.recurrence === null) return { kind: "none", reason: "task has no recurrence" };
  const scheduled = task.occurrenceAt ?? task.dueAt;
  if (scheduled === null) throw new DropEvent(`task ${task.id} has a recurrence but no due time to anchor it`);
  const anchor = Temporal.Instant.from(scheduled);
  let next: NextOccurrence;
  let recurrence: string | null;
  try {
    next = nextOccurrence({ recurrence: task.recurrence, timeZone: task.timeZone ?? FALLBACK_ZONE, start: anchor }, anchor);
    if (next.kind === "ended") return { kind: "none", reason: `series ended (${next.reason})` };
    recurrence = continuationRule(task.recurrence, next);
  } catch (err) {
    if (err instanceof RecurrenceRuleError)
      throw new DropEvent(`task ${task.id}: recurrence "${task.recurrence}" cannot be evaluated: ${err.message}`);
    throw err;
  }
  const occurrenceAt = next.at.toString();
  const seriesId = task.seriesId ?? task.id;
  return {
    kind: "create",
    occurrenceAt,
    sourceTask: { ...task, recurrence },
    idempotencyKey: `${seriesId}/${occurrenceAt}`,
    next,
  };
}

/** task.completed: create the series' next task through the tasks API. */
export function completedHandler(client: OccurrenceClient): EventHandler<"taskCompleted"> {
  return async (event, ctx) => {
    const task = event.data.task;
    const plan = planNext(task);
    if (plan.kind === "none") {
      ctx.logger.debug({ taskId: task.id, reason: plan.reason }, "no next occurrence");
      return;
    }
    try {
      const res = await client.create(
        { sourceTask: plan.sourceTask, occurrenceAt: plan.occurrenceAt },
        plan.idempotencyKey,
        event.traceparent,
      );
      ctx.logger.info(
        {
          taskId: task.id,
          seriesId: task.seriesId ?? task.id,
          occurrenceAt: plan.occurrenceAt,
          nextTaskId: res.task.id,
          created: res.created,
          fit: plan.next.fit,
        },
        res.created ? "next occurrence created" : "next occurrence already existed",
      );
    } catch (err) {
      if (err instanceof OccurrenceRejected) throw new DropEvent(`task ${task.id}: ${err.message}`);
      throw err;
    }
  };
}
