/**
 * One email per user and minute: each reminder trigger queues its email in the minute it was meant
 * for; the trigger that finds no other reminder of that minute still to come sends one email listing
 * every queued one (a single reminder reads as before). A minute whose reminders did not all arrive
 * (one failed, was cancelled meanwhile, or its trigger is late) is sent by a fallback Dapr job at the
 * end of the minute plus DIGEST_FALLBACK_MS.
 */
import type { Counter, Histogram } from "prom-client";
import type { Knex, Logger } from "@tasks/shared";
import type { JobsClient, JobSpec } from "../jobs/client.js";
import { digestJobName } from "../jobs/naming.js";
import { tokenEmailOf } from "../store/contacts.js";
import type { DeliveryKey } from "../store/deliveries.js";
import { bucketOf, claimBucket, finishClaimed, pendingInBucket, queueEmail, recordDigestJob, type ClaimedEmail } from "../store/digests.js";
import { getPreferences } from "../store/preferences.js";
import type { EmailSender } from "./email.js";
import { reminderText } from "./reminder-text.js";

/** How long after its minute a digest whose reminders did not all arrive is sent anyway. */
export const DIGEST_FALLBACK_MS = 30_000;

export interface DigestDeps {
  readonly db: Knex;
  readonly jobs: JobsClient;
  readonly email: EmailSender;
  readonly logger: Logger;
  readonly failurePolicy: NonNullable<JobSpec["failurePolicy"]>;
  readonly maxAttempts: number;
  readonly metrics: { readonly delivered: Counter<"channel" | "result">; readonly lateness: Histogram<"channel"> };
  readonly now: () => number;
}

/** sent: this call sent the email listing the reminder; queued: it waits for its minute; duplicate: someone else has it. */
export type DigestResult = "sent" | "queued" | "duplicate" | "skipped" | "retry" | "failed";

export function digestText(items: readonly Pick<ClaimedEmail, "task_title" | "due_at">[], timeZone: string, now: number) {
  if (items.length === 1) return reminderText(items[0]!, timeZone, now);
  const titles = items.slice(0, 3).map((i) => i.task_title);
  const more = items.length > 3 ? ` and ${items.length - 3} more` : "";
  return {
    subject: `Reminders: ${titles.join(", ")}${more}`,
    text: [`${items.length} reminders:`, ...items.map((i) => `- ${reminderText(i, timeZone, now).text}`)].join("\n"),
  };
}

export function emailDigest(deps: DigestDeps) {
  /**
   * Sends every queued email of the user's minute as one. "queue": a reminder was just queued (while
   * others of the minute are still to come, make sure the fallback job exists); "settle": only send if
   * none is still to come; "force": send what is queued (the fallback job).
   */
  async function flush(
    userId: string,
    bucket: Date,
    mode: "queue" | "settle" | "force",
  ): Promise<{ result: DigestResult; reminders: string[] }> {
    const pending = mode === "force" ? 0 : await pendingInBucket(deps.db, userId, bucket);
    if (pending > 0) {
      deps.logger.info({ userId, bucket, pending, mode }, "digest email waits for the minute's other reminders");
      const job = digestJobName(userId, bucket);
      if (mode === "queue" && (await recordDigestJob(deps.db, userId, bucket, job))) {
        const dueTime = new Date(Math.max(deps.now(), bucket.getTime() + 60_000) + DIGEST_FALLBACK_MS).toISOString();
        await deps.jobs.schedule(job, { dueTime, data: {}, overwrite: true, failurePolicy: deps.failurePolicy });
      }
      return { result: "queued", reminders: [] };
    }
    const items = await claimBucket(deps.db, userId, bucket);
    if (items.length === 0) return { result: "duplicate", reminders: [] };
    const reminders = items.map((i) => i.reminder);
    const prefs = await getPreferences(deps.db, userId);
    const to = prefs.email ?? (prefs.channels.email ? await tokenEmailOf(deps.db, userId) : null);
    if (!prefs.channels.email || to === null) {
      await finishClaimed(deps.db, items, "skipped", prefs.channels.email ? "no email address" : "channel off");
      deps.metrics.delivered.inc({ channel: "email", result: "skipped" }, items.length);
      return { result: "skipped", reminders };
    }
    const { subject, text } = digestText(items, prefs.timeZone, deps.now());
    try {
      await deps.email.send({ to, subject, text });
    } catch (err) {
      const detail = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const failed = items.filter((i) => i.attempts >= deps.maxAttempts);
      const retry = items.filter((i) => i.attempts < deps.maxAttempts);
      await finishClaimed(deps.db, failed, "failed", detail);
      await finishClaimed(deps.db, retry, "retry", detail);
      deps.metrics.delivered.inc({ channel: "email", result: retry.length > 0 ? "retry" : "failed" }, items.length);
      deps.logger.warn(
        { userId, bucket, reminders: items.length, err: detail },
        retry.length > 0 ? "email failed; will retry" : "email failed; recorded",
      );
      return { result: retry.length > 0 ? "retry" : "failed", reminders };
    }
    await finishClaimed(deps.db, items, "sent");
    deps.metrics.delivered.inc({ channel: "email", result: "sent" }, items.length);
    for (const i of items)
      deps.metrics.lateness.observe({ channel: "email" }, Math.max(0, (deps.now() - i.scheduled_for.getTime()) / 1000));
    if (items.length > 1) deps.logger.info({ userId, bucket, reminders: items.length }, "reminder digest sent");
    return { result: "sent", reminders };
  }

  /** A reminder's email: queued in its minute, sent with the others of that minute. */
  async function enqueue(key: DeliveryKey, scheduledFor: Date): Promise<DigestResult> {
    const bucket = bucketOf(scheduledFor);
    await queueEmail(deps.db, key, bucket);
    const { result, reminders } = await flush(key.userId, bucket, "queue");
    if (result === "sent" || result === "retry" || result === "failed") return reminders.includes(key.reminder) ? result : "duplicate";
    return result;
  }

  return { flush, enqueue };
}

export type EmailDigest = ReturnType<typeof emailDigest>;
