import type { Migration } from "@tasks/shared";
import { auditEntries } from "./0001_audit_entries.js";
import { auditActionsReopenSkip } from "./0002_audit_actions.js";

export const migrations: readonly Migration[] = [auditEntries, auditActionsReopenSkip];
