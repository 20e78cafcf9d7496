import { Temporal } from "@js-temporal/polyfill";
import type { Counter, Histogram } from "prom-client";
import type { Knex, Logger } from "@tasks/shared";
import type { JobsClient, JobSpec } from "../jobs/client.js";
import { deferralJobName, isDigestJobName, parseJobName } from "../jobs/naming.js";
import { quietHoursEnd } from "../quiet-hours.js";
import type { ReminderJobData } from "../scheduling.js";
import { tokenEmailOf } from "../store/contacts.js";
import { claimDelivery, finishDelivery, skipDelivery, type DeliveryKey } from "../store/deliveries.js";
import { bucketOf, digestOfJob } from "../store/digests.js";
import { insertReminderNotification } from "../store/notifications.js";
import { getPreferences, type Channel, type Preferences } from "../store/preferences.js";
import { deletePushSubscription, pushSubscriptionsOf } from "../store/push-subscriptions.js";
import { getReminder, liveStates, setReminderState, type ReminderRow } from "../store/reminders.js";
import type { TasksClient } from "../tasks-client.js";
import { emailDigest } from "./digest.js";
import type { EmailSender } from "./email.js";
import type { PushSender } from "./push.js";
import { reminderText } from "./reminder-text.js";

export interface DeliveryDeps {
  readonly db: Knex;
  readonly jobs: JobsClient;
  readonly tasks: TasksClient;
  readonly email: EmailSender;
  readonly push: Pick<PushSender, "send">;
  readonly logger: Logger;
  readonly failurePolicy: NonNullable<JobSpec["failurePolicy"]>;
  /** Attempts per channel before the failure is recorded for good. @default 3 */
  readonly maxAttempts?: number;
  readonly metrics: { readonly delivered: Counter<"channel" | "result">; readonly lateness: Histogram<"channel"> };
  /** @default Date.now */
  readonly now?: () => number;
}

/** What the job callback answers: done (2xx, the job is finished) or retry (5xx: Dapr's failure policy re-triggers). */
export type JobOutcome = { readonly done: true; readonly result: string } | { readonly done: false; readonly result: string };

type ChannelResult = "sent" | "queued" | "duplicate" | "skipped" | "retry" | "failed";

export function reminderDelivery(deps: DeliveryDeps) {
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 3;
  const digest = emailDigest({ ...deps, maxAttempts, now });

  async function channel(key: DeliveryKey, row: ReminderRow, send: () => Promise<void>): Promise<ChannelResult> {
    const attempt = await claimDelivery(deps.db, key);
    if (attempt === undefined) return "duplicate";
    try {
      await send();
      await finishDelivery(deps.db, key, "sent");
      deps.metrics.delivered.inc({ channel: key.channel, result: "sent" });
      // Intended time: the reminder time, or the end of quiet hours when it was deferred.
      deps.metrics.lateness.observe({ channel: key.channel }, Math.max(0, (now() - row.scheduled_for.getTime()) / 1000));
      return "sent";
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const final = attempt >= maxAttempts;
      await finishDelivery(deps.db, key, final ? "failed" : "retry", detail.slice(0, 1000));
      deps.metrics.delivered.inc({ channel: key.channel, result: final ? "failed" : "retry" });
      deps.logger.warn(
        { job: key.reminder, channel: key.channel, attempt, final, err: detail },
        final ? "delivery failed; recorded" : "delivery failed; will retry",
      );
      return final ? "failed" : "retry";
    }
  }

  async function skip(key: DeliveryKey, detail: string): Promise<ChannelResult> {
    if (await skipDelivery(deps.db, key, detail)) deps.metrics.delivered.inc({ channel: key.channel, result: "skipped" });
    return "skipped";
  }

  async function deliverAll(row: ReminderRow, prefs: Preferences): Promise<Record<Channel, ChannelResult>> {
    const key = (c: Channel): DeliveryKey => ({
      reminder: row.job_name,
      remindAt: row.remind_at,
      channel: c,
      userId: row.user_id,
      taskId: row.task_id,
    });
    const { subject, text } = reminderText(row, prefs.timeZone, now());

    const inapp = prefs.channels.inapp
      ? await channel(key("inapp"), row, () =>
          insertReminderNotification(deps.db, {
            userId: row.user_id,
            taskId: row.task_id,
            reminder: row.job_name,
            remindAt: row.remind_at,
            title: subject,
            body: text,
          }),
        )
      : await skip(key("inapp"), "channel off");

    // Preferences' address first, else the one the user's token carried (the provider's email claim);
    // one email per user and minute lists every reminder of that minute (the digest).
    const to = prefs.email ?? (prefs.channels.email ? await tokenEmailOf(deps.db, row.user_id) : null);
    const email = !prefs.channels.email
      ? await skip(key("email"), "channel off")
      : to === null
        ? await skip(key("email"), "no email address")
        : await digest.enqueue(key("email"), row.scheduled_for);

    let push: ChannelResult;
    const subs = prefs.channels.push ? await pushSubscriptionsOf(deps.db, row.user_id) : [];
    if (!prefs.channels.push) push = await skip(key("push"), "channel off");
    else if (subs.length === 0) push = await skip(key("push"), "no push subscription");
    else {
      const payload = JSON.stringify({ title: subject, body: text, taskId: row.task_id });
      push = await channel(key("push"), row, async () => {
        let sent = 0;
        for (const s of subs) {
          if ((await deps.push.send(s, payload)) === "gone") await deletePushSubscription(deps.db, row.user_id, s.id);
          else sent++;
        }
        if (sent === 0) deps.logger.info({ job: row.job_name }, "every push subscription was gone; removed them");
      });
    }
    return { inapp, email, push };
  }

  /** POST /job/{name}: re-check the task, honour preferences and quiet hours, deliver each channel once. */
  async function onJob(name: string, data: Partial<ReminderJobData> | undefined): Promise<JobOutcome> {
    if (isDigestJobName(name)) return onDigestJob(name);
    const parsed = parseJobName(name);
    if (!parsed) return { done: true, result: "unknown job" };
    const row = await getReminder(deps.db, parsed.reminder);
    if (!row || !liveStates.includes(row.state)) return { done: true, result: `reminder is ${row?.state ?? "unknown"}` };
    if (parsed.deferral !== row.deferrals) return { done: true, result: "superseded trigger" };
    if (data?.remindAt !== undefined && Date.parse(data.remindAt) !== row.remind_at.getTime())
      return { done: true, result: "superseded trigger" };

    const task = await deps.tasks.get(row.task_id);
    if (!task || task.status !== "open") {
      await setReminderState(deps.db, row.job_name, { state: "cancelled" });
      return settled(row, { done: true, result: task ? "task no longer open" : "task not found" });
    }
    // A snooze is for the notification the user snoozed: it goes out even if the due time moved since.
    if (row.kind !== "snooze" && (task.dueAt === null || Date.parse(task.dueAt) !== row.due_at.getTime()))
      return { done: true, result: "task due time changed" };

    const prefs = await getPreferences(deps.db, row.user_id);
    if (!prefs.remindersEnabled) {
      await setReminderState(deps.db, row.job_name, { state: "skipped" });
      deps.metrics.delivered.inc({ channel: "all", result: "skipped" });
      return settled(row, { done: true, result: "reminders disabled" });
    }
    if (prefs.quietHours) {
      const end = quietHoursEnd(Temporal.Instant.fromEpochMilliseconds(now()), { ...prefs.quietHours, timeZone: prefs.timeZone });
      if (end) {
        const deferrals = row.deferrals + 1;
        const dueTime = new Date(end.epochMilliseconds).toISOString();
        await deps.jobs.schedule(deferralJobName(row.job_name, deferrals), {
          dueTime,
          data: { reminder: row.job_name, remindAt: row.remind_at.toISOString() },
          overwrite: true,
          failurePolicy: deps.failurePolicy,
        });
        await setReminderState(deps.db, row.job_name, { state: "deferred", deferrals, scheduled_for: new Date(dueTime) });
        deps.logger.info({ job: row.job_name, until: dueTime }, "reminder deferred to the end of quiet hours");
        return settled(row, { done: true, result: `deferred until ${dueTime}` });
      }
    }
    const results = await deliverAll(row, prefs);
    if (Object.values(results).includes("retry")) return { done: false, result: JSON.stringify(results) };
    await setReminderState(deps.db, row.job_name, { state: "delivered" });
    return { done: true, result: JSON.stringify(results) };
  }

  /**
   * A reminder that leaves its minute without an email (cancelled, skipped, deferred) may be the one
   * the others of its minute wait for: send theirs now rather than at the fallback.
   */
  async function settled(row: ReminderRow, outcome: JobOutcome): Promise<JobOutcome> {
    const { result } = await digest.flush(row.user_id, bucketOf(row.scheduled_for), "settle");
    return result === "retry" ? { done: false, result: `${outcome.result}; digest email retry` } : outcome;
  }

  /** The fallback of a minute whose reminders did not all arrive: send what is queued. */
  async function onDigestJob(name: string): Promise<JobOutcome> {
    const d = await digestOfJob(deps.db, name);
    if (!d) return { done: true, result: "unknown digest" };
    const { result, reminders } = await digest.flush(d.user_id, d.bucket, "force");
    return { done: result !== "retry", result: `digest ${result} (${reminders.length})` };
  }

  /** Sends the user's queued digest email of that minute if no reminder of it is still to come. */
  async function settleMinute(userId: string, scheduledFor: Date): Promise<void> {
    await digest.flush(userId, bucketOf(scheduledFor), "settle");
  }

  return { onJob, settleMinute };
}
