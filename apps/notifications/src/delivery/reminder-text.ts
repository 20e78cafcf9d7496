/** The words of a reminder, relative to when it is sent (a late, deferred or snoozed one says so). */
import type { ReminderRow } from "../store/reminders.js";

export function formatDue(due: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(due);
}

export function reminderText(
  row: Pick<ReminderRow, "task_title" | "due_at">,
  timeZone: string,
  now: number,
): { subject: string; text: string } {
  const minutes = Math.round((row.due_at.getTime() - now) / 60_000);
  const at = formatDue(row.due_at, timeZone);
  const when =
    minutes > 0
      ? `is due in ${minutes} minute${minutes === 1 ? "" : "s"}, at ${at}`
      : minutes === 0
        ? `is due now, at ${at}`
        : `was due at ${at}`;
  return { subject: `Reminder: ${row.task_title}`, text: `"${row.task_title}" ${when}.` };
}
