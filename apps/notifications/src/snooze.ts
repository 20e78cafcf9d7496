/**
 * Snoozing a reminder notification: a one-shot Dapr job `snooze-<notification id>` at the chosen time,
 * and a reminders row of kind "snooze" that delivery treats like any reminder (task re-checked,
 * preferences and quiet hours honoured, each channel at most once for that time). Snoozing the same
 * notification again moves its one job; repeating the same request changes nothing.
 */
import { ConflictError, NotFoundError, ValidationError, type Knex } from "@tasks/shared";
import type { JobsClient, JobSpec } from "./jobs/client.js";
import { deferralJobName, snoozeJobName } from "./jobs/naming.js";
import type { ReminderJobData } from "./scheduling.js";
import { getReminder, liveStates, upsertReminder } from "./store/reminders.js";
import type { SnoozeRequest } from "./api/schemas.js";

/** A snooze ends at least this far ahead, at most MAX_SNOOZE_MS. */
const MIN_SNOOZE_MS = 60_000;
const MAX_SNOOZE_MS = 28 * 86_400_000;

export interface SnoozeDeps {
  readonly db: Knex;
  readonly jobs: JobsClient;
  readonly failurePolicy: NonNullable<JobSpec["failurePolicy"]>;
  readonly now: () => number;
}

export interface Snoozed {
  readonly notificationId: string;
  readonly until: string;
}

export async function snoozeNotification(deps: SnoozeDeps, userId: string, notificationId: string, req: SnoozeRequest): Promise<Snoozed> {
  const at = deps.now();
  // Whole seconds: a retried "5 minutes" within the same second is the same snooze.
  const until = req.until !== undefined ? new Date(req.until) : new Date(Math.ceil((at + req.minutes! * 60_000) / 1000) * 1000);
  if (req.until !== undefined && (until.getTime() < at + MIN_SNOOZE_MS || until.getTime() > at + MAX_SNOOZE_MS))
    throw new ValidationError([{ field: "until", message: "Must be between one minute and 28 days from now." }]);

  const n = (await deps.db("notifications").where({ id: notificationId, user_id: userId }).first("id", "reminder")) as
    { id: string; reminder: string | null } | undefined;
  if (!n) throw new NotFoundError("No such notification.");
  const source = n.reminder === null ? undefined : await getReminder(deps.db, n.reminder);
  if (!source) throw new ConflictError("Only a reminder notification can be snoozed.");

  const name = snoozeJobName(n.id);
  const existing = await getReminder(deps.db, name);
  const result = { notificationId: n.id, until: until.toISOString() };
  if (existing && liveStates.includes(existing.state) && existing.remind_at.getTime() === until.getTime()) return result;
  if (existing && existing.deferrals > 0) await deps.jobs.delete(deferralJobName(name, existing.deferrals));
  // The row first: a trigger never finds a job without its row.
  await upsertReminder(deps.db, {
    job_name: name,
    task_id: source.task_id,
    user_id: userId,
    offset_minutes: source.offset_minutes,
    remind_at: until,
    due_at: source.due_at,
    task_title: source.task_title,
    task_version: source.task_version,
    state: "scheduled",
    deferrals: 0,
    scheduled_for: until,
    kind: "snooze",
  });
  const data: ReminderJobData = { reminder: name, remindAt: result.until };
  await deps.jobs.schedule(name, { dueTime: result.until, data, overwrite: true, failurePolicy: deps.failurePolicy });
  await deps
    .db("notifications")
    .where({ id: n.id, user_id: userId })
    .update({ read_at: deps.db.raw("coalesce(read_at, now())") });
  return result;
}
