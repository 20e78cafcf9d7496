import { randomUUID } from "node:crypto";
import type { Knex } from "@tasks/shared";

export interface PushSubscriptionRow {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Registers (or refreshes the keys of) one of the user's browser subscriptions; returns its id. */
export async function savePushSubscription(
  db: Knex,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string },
): Promise<{ id: string; created: boolean }> {
  const res = await db.raw<{ rows: { id: string; inserted: boolean }[] }>(
    `insert into push_subscriptions (id, user_id, endpoint, p256dh, auth) values (?, ?, ?, ?, ?)
     on conflict (user_id, endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth
     returning id, (xmax = 0) as inserted`,
    [randomUUID(), userId, sub.endpoint, sub.p256dh, sub.auth],
  );
  const row = res.rows[0]!;
  return { id: row.id, created: row.inserted };
}

export function pushSubscriptionsOf(db: Knex, userId: string): Promise<PushSubscriptionRow[]> {
  return db<PushSubscriptionRow>("push_subscriptions").where({ user_id: userId });
}

export async function deletePushSubscription(db: Knex, userId: string, id: string): Promise<boolean> {
  return (await db("push_subscriptions").where({ user_id: userId, id }).delete()) === 1;
}
