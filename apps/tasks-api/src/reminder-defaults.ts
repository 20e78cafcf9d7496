/**
 * The reminders a user gets for a task whose own are not set (`reminders: null`): the default reminder of
 * their notification preferences, which the notifications service owns (one reminder `defaultReminderMinutes`
 * before the due time, 60 until changed; none when that is null or reminders are turned off). The calendar feed
 * needs them for its VALARMs, so the tasks API asks notifications, acting for the feed's owner, through Dapr
 * service invocation of its acting-user route (catalog: tasks-api invokes `GET
 * /internal/users/<user>/api/v1/notifications/preferences`). Only the two reminder fields are read.
 */
import { actingUserPath, notificationsPreferencesPath, services } from "@tasks/catalog";
import { ServiceUnavailableError, sidecarFetch, SidecarError, type SidecarOptions } from "@tasks/shared";
import { z } from "zod";

export interface ReminderDefaults {
  /**
   * Minutes before the due time of the user's default reminders ([] = none). Throws ServiceUnavailableError
   * (503 with Retry-After) when notifications cannot answer: guessing would show alarms the user never gets.
   */
  offsetsFor(userId: string): Promise<readonly number[]>;
}

/** The part of notifications' preferences answer this service reads. */
export const reminderPreferencesSchema = z.object({
  remindersEnabled: z.boolean(),
  defaultReminderMinutes: z.number().int().nonnegative().nullable(),
});

/** Seconds a calendar app is asked to wait when the defaults cannot be read. */
export const reminderDefaultsRetryAfterSeconds = 60;

const unavailable = (): ServiceUnavailableError =>
  new ServiceUnavailableError("The default reminders cannot be read for a moment; retry the request.", reminderDefaultsRetryAfterSeconds);

export const defaultOffsets = (prefs: z.infer<typeof reminderPreferencesSchema>): number[] =>
  prefs.remindersEnabled && prefs.defaultReminderMinutes !== null ? [prefs.defaultReminderMinutes] : [];

/** `GET /v1.0/invoke/notifications/method/internal/users/<user>/api/v1/notifications/preferences` through the sidecar. */
export function reminderDefaultsViaDapr(sidecar: SidecarOptions, log?: (fields: object, msg: string) => void): ReminderDefaults {
  const app = services.notifications.name;
  return {
    async offsetsFor(userId) {
      const path = `/v1.0/invoke/${app}/method${actingUserPath(userId, notificationsPreferencesPath)}`;
      let res: Response;
      try {
        res = await sidecarFetch(sidecar, path);
      } catch (err) {
        log?.({ err: err instanceof SidecarError ? err.message : String(err) }, "notifications preferences unreachable");
        throw unavailable();
      }
      const body: unknown = await res.json().catch(() => undefined);
      const parsed = reminderPreferencesSchema.safeParse(body);
      if (!res.ok || !parsed.success) {
        log?.({ status: res.status }, "notifications preferences answered unexpectedly");
        throw unavailable();
      }
      return defaultOffsets(parsed.data);
    },
  };
}

/** Without a sidecar (no Dapr: some tests and tools) nothing can say what the defaults are. */
export const noReminderDefaults: ReminderDefaults = {
  offsetsFor: () => Promise.reject(unavailable()),
};
