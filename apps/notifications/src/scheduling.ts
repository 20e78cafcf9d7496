import type { Knex, Logger, TaskSnapshot } from "@tasks/shared";
import type { JobsClient, JobSpec } from "./jobs/client.js";
import { deferralJobName, reminderJobName } from "./jobs/naming.js";
import { getPreferences } from "./store/preferences.js";
import { liveStates, remindersOfTask, setReminderState, upsertReminder, type ReminderRow } from "./store/reminders.js";

export interface SchedulerDeps {
  readonly db: Knex;
  readonly jobs: JobsClient;
  readonly logger: Logger;
  /** Retries of a failed job callback (the reminder's delivery). */
  readonly failurePolicy: NonNullable<JobSpec["failurePolicy"]>;
  /** Escalating reminders of an urgent task (minutes before due, each ≤ 360), added to its others. @default [] */
  readonly urgentReminderMinutes?: readonly number[];
  /** @default Date.now */
  readonly now?: () => number;
  /** Called for each live reminder cancelled: it may be the last one its user's email digest minute waits for. */
  readonly onCancelled?: (row: ReminderRow) => Promise<void>;
}

/** A task whose due time passed longer ago than this when it is (re)scheduled gets no catch-up reminder. */
const LATE_GRACE_MS = 60_000;

/**
 * The offsets a task gets: its own, else (not set) the user's default; an urgent task also gets the
 * escalating series. An explicit empty list means no reminder at all. No offset twice.
 */
export function reminderOffsets(
  task: Pick<TaskSnapshot, "reminders" | "priority">,
  defaultMinutes: number | null,
  urgentMinutes: readonly number[] = [],
): number[] {
  if (task.reminders !== null && task.reminders.length === 0) return [];
  const own = task.reminders ?? (defaultMinutes === null ? [] : [defaultMinutes]);
  const all = task.priority === "urgent" ? [...own, ...urgentMinutes] : own;
  return [...new Set(all)].sort((a, b) => b - a);
}

/** Data the job carries back to POST /job/{name}. */
export interface ReminderJobData {
  readonly reminder: string;
  readonly remindAt: string;
}

/** Deletes the Dapr jobs that may exist for a reminder row (its own and its latest deferral). */
async function deleteJobs(jobs: JobsClient, row: Pick<ReminderRow, "job_name" | "deferrals">): Promise<void> {
  await jobs.delete(row.job_name);
  if (row.deferrals > 0) await jobs.delete(deferralJobName(row.job_name, row.deferrals));
}

export function reminderScheduler(deps: SchedulerDeps) {
  const now = deps.now ?? Date.now;

  /** True when a stored row comes from a newer version of the task than the event (out-of-order delivery). */
  const isStale = (rows: ReminderRow[], task: TaskSnapshot): boolean => rows.some((r) => r.task_version > task.version);

  /** Cancels every reminder of a task (completed, deleted, or no longer due). */
  async function cancelAll(task: TaskSnapshot, reason: string): Promise<void> {
    const rows = await remindersOfTask(deps.db, task.id);
    if (isStale(rows, task)) return;
    const known = new Set(rows.map((r) => r.job_name));
    for (const row of rows) {
      if (liveStates.includes(row.state)) {
        await deleteJobs(deps.jobs, row);
        await setReminderState(deps.db, row.job_name, { state: "cancelled", task_version: task.version });
        deps.logger.info({ taskId: task.id, job: row.job_name, reason }, "reminder cancelled");
        await deps.onCancelled?.(row);
      } else {
        await setReminderState(deps.db, row.job_name, { task_version: task.version });
      }
    }
    // Jobs this replica has no row for yet (events raced): deleting a missing job is harmless.
    for (const offset of task.reminders ?? []) {
      const name = reminderJobName(task.id, offset);
      if (!known.has(name)) await deps.jobs.delete(name);
    }
  }

  /** Makes the task's Dapr jobs match its due time and reminders (created or updated). */
  async function reconcile(task: TaskSnapshot): Promise<void> {
    if (task.status !== "open" || task.dueAt === null) return cancelAll(task, task.status !== "open" ? "task not open" : "no due time");
    const rows = await remindersOfTask(deps.db, task.id);
    if (isStale(rows, task)) {
      deps.logger.info({ taskId: task.id, version: task.version }, "stale task event ignored");
      return;
    }
    const prefs = await getPreferences(deps.db, task.userId);
    const offsets = reminderOffsets(task, prefs.defaultReminderMinutes, deps.urgentReminderMinutes);
    const dueAt = new Date(task.dueAt);
    const byName = new Map(rows.map((r) => [r.job_name, r]));
    const wanted = new Set<string>();
    const at = now();
    // Reminders whose time already passed when first scheduled: only the latest is sent, once and right
    // away, and only while the task is not overdue; the others are recorded as missed. One scheduled before
    // for the same time (cancelled, e.g. while the task was completed, then reopened) is not caught up.
    const seenBefore = (o: number) => byName.get(reminderJobName(task.id, o))?.remind_at.getTime() === dueAt.getTime() - o * 60_000;
    const catchUp = offsets
      .filter((o) => dueAt.getTime() - o * 60_000 <= at && dueAt.getTime() > at - LATE_GRACE_MS && !seenBefore(o))
      .at(-1);
    for (const offset of offsets) {
      const name = reminderJobName(task.id, offset);
      wanted.add(name);
      const remindAt = new Date(dueAt.getTime() - offset * 60_000);
      const existing = byName.get(name);
      const base: ReminderRow = {
        job_name: name,
        task_id: task.id,
        user_id: task.userId,
        offset_minutes: offset,
        remind_at: remindAt,
        due_at: dueAt,
        task_title: task.title,
        task_version: task.version,
        state: "scheduled",
        deferrals: 0,
        scheduled_for: remindAt,
      };
      if (existing && existing.remind_at.getTime() === remindAt.getTime() && existing.state !== "cancelled") {
        // Same reminder time: keep its state (scheduled, deferred, delivered...), refresh the copy of the task.
        await upsertReminder(deps.db, {
          ...base,
          state: existing.state,
          deferrals: existing.deferrals,
          scheduled_for: existing.scheduled_for,
        });
        continue;
      }
      if (existing) await deleteJobs(deps.jobs, existing);
      const past = remindAt.getTime() <= at;
      if (past && offset !== catchUp) {
        await upsertReminder(deps.db, { ...base, state: "missed" });
        deps.logger.info({ taskId: task.id, job: name, remindAt: remindAt.toISOString() }, "reminder time already passed; not scheduled");
        continue;
      }
      const fireAt = past ? new Date(at) : remindAt;
      const data: ReminderJobData = { reminder: name, remindAt: remindAt.toISOString() };
      // The row first: a job due now fires at once, and its trigger must find the reminder it is for.
      await upsertReminder(deps.db, { ...base, scheduled_for: fireAt });
      try {
        await deps.jobs.schedule(name, { dueTime: fireAt.toISOString(), data, overwrite: true, failurePolicy: deps.failurePolicy });
      } catch (err) {
        // No job behind the row: cancelled, so that the event's redelivery schedules it again.
        await setReminderState(deps.db, name, { state: "cancelled" });
        throw err;
      }
      deps.logger.info(
        { taskId: task.id, job: name, remindAt: data.remindAt, rescheduled: existing !== undefined, catchUp: past },
        past ? "reminder time already passed; sending it now" : "reminder scheduled",
      );
    }
    for (const row of rows) {
      if (wanted.has(row.job_name) || row.kind === "snooze") continue;
      const live = liveStates.includes(row.state);
      if (live) await deleteJobs(deps.jobs, row);
      await setReminderState(deps.db, row.job_name, { state: "cancelled", task_version: task.version });
      if (live) await deps.onCancelled?.(row);
    }
  }

  return { reconcile, cancelAll };
}

export type ReminderScheduler = ReturnType<typeof reminderScheduler>;
