/**
 * Email digests: a reminder's email is queued in its user's minute (`bucket`, the minute of the time it
 * was meant to go out) and one email lists every queued reminder of that minute. Each queued row is
 * claimed by exactly one send (UPDATE … RETURNING under row locks), so a reminder is emailed at most
 * once however the triggers of one minute interleave across replicas and redeliveries.
 */
import type { Knex } from "@tasks/shared";
import type { DeliveryKey } from "./deliveries.js";

export const bucketOf = (at: Date): Date => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/** Queues a reminder's email in its minute; false when the reminder already has an email row. */
export async function queueEmail(db: Knex, key: DeliveryKey, bucket: Date): Promise<boolean> {
  const res = await db.raw<{ rowCount: number }>(
    `insert into deliveries (reminder, remind_at, channel, user_id, task_id, status, attempts, bucket)
     values (?, ?, 'email', ?, ?, 'queued', 0, ?) on conflict do nothing`,
    [key.reminder, key.remindAt, key.userId, key.taskId, bucket],
  );
  return res.rowCount === 1;
}

/** Live reminders of the user meant for this minute whose trigger has not queued (or skipped) their email yet. */
export async function pendingInBucket(db: Knex, userId: string, bucket: Date): Promise<number> {
  const res = await db.raw<{ rows: { n: string }[] }>(
    `select count(*) as n from reminders r
     where r.user_id = ? and r.state in ('scheduled', 'deferred')
       and r.scheduled_for >= ? and r.scheduled_for < ?::timestamptz + interval '1 minute'
       and not exists (select 1 from deliveries d where d.reminder = r.job_name and d.remind_at = r.remind_at and d.channel = 'email')`,
    [userId, bucket, bucket],
  );
  return Number(res.rows[0]?.n ?? 0);
}

export interface ClaimedEmail {
  readonly reminder: string;
  readonly remind_at: Date;
  readonly task_id: string;
  readonly attempts: number;
  readonly task_title: string;
  readonly due_at: Date;
  readonly scheduled_for: Date;
}

/** Claims every queued (or retryable) email of the user's minute for one send. */
export async function claimBucket(db: Knex, userId: string, bucket: Date): Promise<ClaimedEmail[]> {
  const res = await db.raw<{ rows: ClaimedEmail[] }>(
    `with claimed as (
       update deliveries set status = 'sending', attempts = attempts + 1, updated_at = now()
       where channel = 'email' and user_id = ? and bucket = ? and status in ('queued', 'retry')
       returning reminder, remind_at, task_id, attempts
     )
     select c.reminder, c.remind_at, c.task_id, c.attempts, r.task_title, r.due_at, r.scheduled_for
     from claimed c join reminders r on r.job_name = c.reminder
     order by r.due_at, r.task_title`,
    [userId, bucket],
  );
  return res.rows;
}

/** Sets the outcome of claimed emails. */
export async function finishClaimed(
  db: Knex,
  items: readonly Pick<ClaimedEmail, "reminder" | "remind_at">[],
  status: "sent" | "retry" | "failed" | "skipped",
  detail: string | null = null,
): Promise<void> {
  if (items.length === 0) return;
  await db("deliveries")
    .where({ channel: "email" })
    .whereIn(
      ["reminder", "remind_at"],
      items.map((i) => [i.reminder, i.remind_at]),
    )
    .update({ status, detail, updated_at: db.fn.now() });
}

/** Records the fallback job of a minute; true for the one caller that must schedule it. */
export async function recordDigestJob(db: Knex, userId: string, bucket: Date, jobName: string): Promise<boolean> {
  const res = await db.raw<{ rowCount: number }>(
    `insert into digests (user_id, bucket, job_name) values (?, ?, ?) on conflict do nothing`,
    [userId, bucket, jobName],
  );
  return res.rowCount === 1;
}

export async function digestOfJob(db: Knex, jobName: string): Promise<{ user_id: string; bucket: Date } | undefined> {
  return (await db("digests").where({ job_name: jobName }).first("user_id", "bucket")) as { user_id: string; bucket: Date } | undefined;
}
