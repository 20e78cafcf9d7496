import { Temporal } from "@js-temporal/polyfill";
import { DropEvent, type EventHandler, type TaskSnapshot } from "@tasks/shared";
import { OccurrenceRejected, SeriesEnded, type OccurrenceClient } from "./occurrence-client.js";
import { continuationRule, nextFromCompletion, nextOccurrence, RecurrenceRuleError, type WallClockFit } from "./rule/index.js";

/** Zone used when a task has a due time but no zone (the tasks API normally requires one). */
const FALLBACK_ZONE = "UTC";

export type NextStep =
  | { readonly kind: "none"; readonly reason: string }
  | {
      readonly kind: "create";
      readonly occurrenceAt: string;
      readonly sourceTask: TaskSnapshot;
      readonly idempotencyKey: string;
      readonly fit: WallClockFit;
    };

/**
 * What closing `task` (completed or skipped) means for its series. In the fixed mode (`repeatFrom`
 * schedule) the series is anchored at the task's scheduled time (`occurrenceAt` for occurrences, else
 * `dueAt`) in its zone; the next task is the first occurrence strictly after it. Repeating from
 * completion, the next task is due the rule's interval after `completedAt`; a skipped occurrence counts
 * as completed on time (at its scheduled time). Both depend only on the event's task, so a redelivery
 * plans the same occurrence. Throws DropEvent for a task that can never be evaluated.
 */
export function planNext(task: TaskSnapshot): NextStep {
  if (task.recurrence === null) return { kind: "none", reason: "task has no recurrence" };
  if (task.status === "open") return { kind: "none", reason: "task is open" };
  const scheduled = task.occurrenceAt ?? task.dueAt;
  if (scheduled === null) throw new DropEvent(`task ${task.id} has a recurrence but no due time to anchor it`);
  const anchor = Temporal.Instant.from(scheduled);
  const timeZone = task.timeZone ?? FALLBACK_ZONE;
  let at: Temporal.Instant;
  let fit: WallClockFit;
  let recurrence: string | null;
  try {
    if (task.repeatFrom === "completion") {
      const closedAt = task.status === "skipped" || task.completedAt === null ? anchor : Temporal.Instant.from(task.completedAt);
      const next = nextFromCompletion({ recurrence: task.recurrence, timeZone, completedAt: closedAt });
      if (next.kind === "ended") return { kind: "none", reason: `series ended (${next.reason})` };
      ({ at, fit } = next);
      recurrence = next.continuation;
    } else {
      const next = nextOccurrence({ recurrence: task.recurrence, timeZone, start: anchor }, anchor);
      if (next.kind === "ended") return { kind: "none", reason: `series ended (${next.reason})` };
      ({ at, fit } = next);
      recurrence = continuationRule(task.recurrence, next);
    }
  } catch (err) {
    if (err instanceof RecurrenceRuleError)
      throw new DropEvent(`task ${task.id}: recurrence "${task.recurrence}" cannot be evaluated: ${err.message}`);
    throw err;
  }
  const occurrenceAt = at.toString();
  const seriesId = task.seriesId ?? task.id;
  return {
    kind: "create",
    occurrenceAt,
    sourceTask: { ...task, recurrence },
    idempotencyKey: `${seriesId}/${occurrenceAt}`,
    fit,
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
          fit: plan.fit,
        },
        res.created ? "next occurrence created" : "next occurrence already existed",
      );
    } catch (err) {
      if (err instanceof SeriesEnded) {
        ctx.logger.info({ taskId: task.id, seriesId: task.seriesId ?? task.id }, "series was ended; no next occurrence");
        return;
      }
      if (err instanceof OccurrenceRejected) throw new DropEvent(`task ${task.id}: ${err.message}`);
      throw err;
    }
  };
}
