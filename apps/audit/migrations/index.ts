import type { Migration } from "@tasks/shared";
import { auditEntries } from "./0001_audit_entries.js";

export const migrations: readonly Migration[] = [auditEntries];
