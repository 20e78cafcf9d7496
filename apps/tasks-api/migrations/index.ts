import type { Migration } from "@tasks/shared";
import { tasksTable } from "./0001_tasks.js";
import { outboxTable } from "./0002_outbox.js";
import { seriesTables } from "./0003_series.js";
import { calendarFeedsTable } from "./0004_calendar_feeds.js";
import { remindersUnset } from "./0005_reminders_unset.js";

export const migrations: readonly Migration[] = [tasksTable, outboxTable, seriesTables, calendarFeedsTable, remindersUnset];
