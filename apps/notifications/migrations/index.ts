import type { Migration } from "@tasks/shared";
import { notificationsSchema } from "./0001_notifications.js";
import { userContacts } from "./0002_user_contacts.js";
import { reminderDefaultsDigestsSnooze } from "./0003_reminder_defaults_digests_snooze.js";

export const migrations: readonly Migration[] = [notificationsSchema, userContacts, reminderDefaultsDigestsSnooze];
