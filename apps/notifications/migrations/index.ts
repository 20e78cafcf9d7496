import type { Migration } from "@tasks/shared";
import { notificationsSchema } from "./0001_notifications.js";

export const migrations: readonly Migration[] = [notificationsSchema];
