/**
 * Contracts of the tasks API's internal routes (catalog `tasksInternalRoutes`), called only through
 * Dapr service invocation: `POST <daprHttp>/v1.0/invoke/tasks-api/method/internal/occurrences` and
 * `GET <daprHttp>/v1.0/invoke/tasks-api/method/internal/tasks/<id>`. The tasks API rejects a call
 * whose `dapr-caller-app-id` header is not a caller the catalog allows for that route (403).
 */
import { z } from "zod";
import { instantSchema, taskSnapshotSchema } from "./events.js";

/**
 * Create the next occurrence of a series. `sourceTask` is the task from the task.completed event;
 * the new task copies its fields, with `dueAt = occurrenceAt`, `seriesId = sourceTask.seriesId ??
 * sourceTask.id`. Idempotent: one task per (seriesId, occurrenceAt) and one successor per source task
 * (a reopened and re-completed occurrence gets no second successor, whatever the mode); a repeat returns the
 * existing task with `created: false` (HTTP 200 instead of 201). A series that was ended answers 410
 * (problem+json): no occurrence is created, and the caller treats it as done.
 */
export const createOccurrenceRequestSchema = z.object({
  sourceTask: taskSnapshotSchema,
  occurrenceAt: instantSchema,
});
export type CreateOccurrenceRequest = z.infer<typeof createOccurrenceRequestSchema>;

export const createOccurrenceResponseSchema = z.object({
  task: taskSnapshotSchema,
  created: z.boolean(),
});
export type CreateOccurrenceResponse = z.infer<typeof createOccurrenceResponseSchema>;

/** GET /internal/tasks/:id answers the task (404 problem+json when it does not exist). */
export const internalTaskResponseSchema = z.object({ task: taskSnapshotSchema });
export type InternalTaskResponse = z.infer<typeof internalTaskResponseSchema>;
