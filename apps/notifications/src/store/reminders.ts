import type { Knex } from "@tasks/shared";

export type ReminderState = "scheduled" | "deferred" | "delivered" | "skipped" | "cancelled" | "missed";

export interface ReminderRow {
  job_name: string;
  task_id: string;
  user_id: string;
  offset_minutes: number;
  remind_at: Date;
  due_at: Date;
  task_title: string;
  task_version: number;
  state: ReminderState;
  deferrals: number;
  scheduled_for: Date;
  /** @default "reminder" (column default); "snooze" rows come from snoozing a notification. */
  kind?: "reminder" | "snooze";
}

/** States in which a Dapr job for the reminder may still exist. */
export const liveStates: readonly ReminderState[] = ["scheduled", "deferred"];

/** Every row of a task, snoozes included. */
export function remindersOfTask(db: Knex, taskId: string): Promise<ReminderRow[]> {
  return db<ReminderRow>("reminders").where({ task_id: taskId });
}

export async function getReminder(db: Knex, jobName: string): Promise<ReminderRow | undefined> {
  return (await db<ReminderRow>("reminders").where({ job_name: jobName }).first()) as ReminderRow | undefined;
}

export async function upsertReminder(db: Knex, row: ReminderRow): Promise<void> {
  await db("reminders")
    .insert({ ...row, updated_at: db.fn.now() })
    .onConflict("job_name")
    .merge();
}

export async function setReminderState(
  db: Knex,
  jobName: string,
  patch: Partial<Pick<ReminderRow, "state" | "deferrals" | "scheduled_for" | "task_version">>,
): Promise<void> {
  await db("reminders")
    .where({ job_name: jobName })
    .update({ ...patch, updated_at: db.fn.now() });
}
