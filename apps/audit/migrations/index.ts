import type { Migration } from "@tasks/shared";
import { auditEntries } from "./0001_audit_entries.js";
import { auditActionsReopenSkip } from "./0002_audit_actions.js";
import { auditCalendarFeedEntries } from "./0003_calendar_feed_entries.js";

export const migrations: readonly Migration[] = [auditEntries, auditActionsReopenSkip, auditCalendarFeedEntries];
