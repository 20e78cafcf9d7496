import { randomUUID } from "node:crypto";
import { instantSchema, type Knex } from "@tasks/shared";
import { z } from "zod";

export interface NotificationRow {
  id: string;
  user_id: string;
  task_id: string | null;
  reminder: string | null;
  remind_at: Date | null;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

export interface Notification {
  readonly id: string;
  readonly taskId: string | null;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  taskId: r.task_id,
  title: r.title,
  body: r.body,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

export async function insertReminderNotification(
  db: Knex,
  n: { userId: string; taskId: string; reminder: string; remindAt: Date; title: string; body: string },
): Promise<void> {
  await db("notifications")
    .insert({
      id: randomUUID(),
      user_id: n.userId,
      task_id: n.taskId,
      reminder: n.reminder,
      remind_at: n.remindAt,
      title: n.title,
      body: n.body,
    })
    .onConflict(db.raw("(reminder, remind_at) where reminder is not null"))
    .ignore();
}

export interface Cursor {
  readonly createdAt: string;
  readonly id: string;
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString("base64url");

/** A cursor holds an instant Postgres can store and a UUID: a tampered one is a 400, never a failed cast. */
const cursorSchema = z.strictObject({ createdAt: instantSchema, id: z.uuid() });

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows arrive. */
export async function listNotifications(
  db: Knex,
  userId: string,
  opts: { limit: number; cursor?: Cursor; unreadOnly?: boolean },
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  const q = db<NotificationRow>("notifications").where({ user_id: userId });
  if (opts.unreadOnly) q.whereNull("read_at");
  if (opts.cursor) q.andWhereRaw("(created_at, id) < (?::timestamptz, ?::uuid)", [opts.cursor.createdAt, opts.cursor.id]);
  const rows = (await q
    .orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ])
    .limit(opts.limit + 1)) as NotificationRow[];
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map(toNotification),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id }) : null,
  };
}

export async function unreadCount(db: Knex, userId: string): Promise<number> {
  const row = (await db("notifications").where({ user_id: userId }).whereNull("read_at").count<{ count: string }[]>({ count: "*" }))[0];
  return Number(row?.count ?? 0);
}

/** Marks one of the user's notifications read; false when the user has no such notification. */
export async function markRead(db: Knex, userId: string, id: string): Promise<boolean> {
  const n = await db("notifications")
    .where({ user_id: userId, id })
    .update({ read_at: db.raw("coalesce(read_at, now())") });
  return n === 1;
}

export function markAllRead(db: Knex, userId: string): Promise<number> {
  return db("notifications").where({ user_id: userId }).whereNull("read_at").update({ read_at: db.fn.now() });
}

export function clearNotifications(db: Knex, userId: string): Promise<number> {
  return db("notifications").where({ user_id: userId }).delete();
}

/** Moves notifications created before `before` to the archive table, in one statement. */
export async function archiveNotifications(db: Knex, before: Date): Promise<number> {
  const res = await db.raw<{ rowCount: number }>(
    `with moved as (delete from notifications where created_at < ? returning *)
     insert into notifications_archive (id, user_id, task_id, reminder, remind_at, title, body, created_at, read_at)
     select id, user_id, task_id, reminder, remind_at, title, body, created_at, read_at from moved
     on conflict (id) do nothing`,
    [before],
  );
  return res.rowCount;
}
