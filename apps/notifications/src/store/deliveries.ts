import type { Knex } from "@tasks/shared";
import type { Channel } from "./preferences.js";

export interface DeliveryKey {
  readonly reminder: string;
  readonly remindAt: Date;
  readonly channel: Channel;
  readonly userId: string;
  readonly taskId: string;
}

/**
 * Claims one channel of one reminder for sending; returns the attempt number, or undefined when
 * the channel was already sent, is being sent, failed for good or was skipped. The primary key
 * (reminder, remind_at, channel) makes the claim atomic across replicas and redeliveries: only a
 * row left in "retry" by a failed attempt can be claimed again.
 */
export async function claimDelivery(db: Knex, key: DeliveryKey): Promise<number | undefined> {
  const res = await db.raw<{ rows: { attempts: number }[] }>(
    `insert into deliveries (reminder, remind_at, channel, user_id, task_id, status, attempts)
     values (?, ?, ?, ?, ?, 'sending', 1)
     on conflict (reminder, remind_at, channel) do update
       set status = 'sending', attempts = deliveries.attempts + 1, updated_at = now()
       where deliveries.status = 'retry'
     returning attempts`,
    [key.reminder, key.remindAt, key.channel, key.userId, key.taskId],
  );
  return res.rows[0]?.attempts;
}

export async function finishDelivery(
  db: Knex,
  key: DeliveryKey,
  status: "sent" | "retry" | "failed",
  detail: string | null = null,
): Promise<void> {
  await db("deliveries")
    .where({ reminder: key.reminder, remind_at: key.remindAt, channel: key.channel })
    .update({ status, detail, updated_at: db.fn.now() });
}

/** Records a channel that had nothing to deliver (off, no address, no subscription); first record wins. */
export async function skipDelivery(db: Knex, key: DeliveryKey, detail: string): Promise<boolean> {
  const res = await db.raw<{ rowCount: number }>(
    `insert into deliveries (reminder, remind_at, channel, user_id, task_id, status, attempts, detail)
     values (?, ?, ?, ?, ?, 'skipped', 0, ?) on conflict do nothing`,
    [key.reminder, key.remindAt, key.channel, key.userId, key.taskId, detail],
  );
  return res.rowCount === 1;
}
