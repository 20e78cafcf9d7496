import type { Knex } from "@tasks/shared";

export type Channel = "email" | "inapp" | "push";
export const channels: readonly Channel[] = ["email", "inapp", "push"];

export interface Preferences {
  readonly channels: Readonly<Record<Channel, boolean>>;
  readonly remindersEnabled: boolean;
  /** Local "HH:MM" times in `timeZone`; null = no quiet hours. */
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  readonly timeZone: string;
  /** Used for a task with a due time whose reminders are not set; null = none. @default 60 */
  readonly defaultReminderMinutes: number | null;
  /** Where email reminders go; null = the email channel has nowhere to deliver. */
  readonly email: string | null;
}

export const defaultPreferences: Preferences = {
  channels: { email: true, inapp: true, push: true },
  remindersEnabled: true,
  quietHours: null,
  timeZone: "UTC",
  defaultReminderMinutes: 60,
  email: null,
};

interface Row {
  email_enabled: boolean;
  inapp_enabled: boolean;
  push_enabled: boolean;
  reminders_enabled: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string;
  default_reminder_minutes: number | null;
  email: string | null;
}

const fromRow = (r: Row): Preferences => ({
  channels: { email: r.email_enabled, inapp: r.inapp_enabled, push: r.push_enabled },
  remindersEnabled: r.reminders_enabled,
  quietHours: r.quiet_start !== null && r.quiet_end !== null ? { start: r.quiet_start, end: r.quiet_end } : null,
  timeZone: r.time_zone,
  defaultReminderMinutes: r.default_reminder_minutes,
  email: r.email,
});

const toRow = (p: Preferences): Row => ({
  email_enabled: p.channels.email,
  inapp_enabled: p.channels.inapp,
  push_enabled: p.channels.push,
  reminders_enabled: p.remindersEnabled,
  quiet_start: p.quietHours?.start ?? null,
  quiet_end: p.quietHours?.end ?? null,
  time_zone: p.timeZone,
  default_reminder_minutes: p.defaultReminderMinutes,
  email: p.email,
});

export async function getPreferences(db: Knex, userId: string): Promise<Preferences> {
  const row = (await db("preferences").where({ user_id: userId }).first()) as Row | undefined;
  return row ? fromRow(row) : defaultPreferences;
}

export async function savePreferences(db: Knex, userId: string, prefs: Preferences): Promise<Preferences> {
  const row = { user_id: userId, ...toRow(prefs), updated_at: db.fn.now() };
  await db("preferences").insert(row).onConflict("user_id").merge();
  return prefs;
}
