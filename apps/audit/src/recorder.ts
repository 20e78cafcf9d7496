/**
 * Turns task events into audit rows. Insert-or-ignore on the CloudEvent id makes redelivery
 * harmless; data Postgres can never store (class 22: data exceptions) is dropped to the
 * dead-letter topic instead of being retried forever.
 */
import { DropEvent, type Knex, type TaskEvent, type TaskEventHandlers, type TaskSnapshot } from "@tasks/shared";
import type { TopicKey } from "@tasks/catalog";

export const auditActions = ["created", "updated", "completed", "deleted", "reopened", "skipped"] as const;
export type AuditAction = (typeof auditActions)[number];

const actionOf: Record<TopicKey, AuditAction> = {
  taskCreated: "created",
  taskUpdated: "updated",
  taskCompleted: "completed",
  taskDeleted: "deleted",
};

interface Entry {
  event_id: string;
  user_id: string;
  actor: string;
  action: AuditAction;
  task_id: string;
  before: string | null;
  after: string | null;
  occurred_at: string;
}

/**
 * The action of an event: the topic's, except a task.updated that makes a closed task open again
 * (reopened) and a task.completed whose task was skipped rather than done (skipped).
 */
function actionFor(key: TopicKey, data: { task: TaskSnapshot; before?: TaskSnapshot }): AuditAction {
  if (key === "taskUpdated" && data.before && data.before.status !== "open" && data.task.status === "open") return "reopened";
  if (key === "taskCompleted" && data.task.status === "skipped") return "skipped";
  return actionOf[key];
}

function entryFor<K extends TopicKey>(key: K, event: TaskEvent<K>): Entry {
  const data = event.data as { actor: string; task: TaskSnapshot; before?: TaskSnapshot; after?: TaskSnapshot };
  const json = (t: TaskSnapshot | null | undefined) => (t ? JSON.stringify(t) : null);
  // task.completed carries the open task it closed as `before` (absent on events from before it did: null).
  const [before, after] =
    key === "taskUpdated"
      ? [data.before, data.after]
      : key === "taskDeleted"
        ? [data.task, null]
        : key === "taskCompleted"
          ? [data.before, data.task]
          : [null, data.task];
  return {
    event_id: event.id,
    user_id: data.task.userId,
    actor: data.actor,
    action: actionFor(key, data),
    task_id: data.task.id,
    before: json(before),
    after: json(after),
    occurred_at: event.time ?? new Date().toISOString(),
  };
}

/** Returns true when the row was new, false for a duplicate delivery. */
export async function recordEvent<K extends TopicKey>(db: Knex, key: K, event: TaskEvent<K>): Promise<boolean> {
  const e = entryFor(key, event);
  try {
    const { rowCount } = await db.raw<{ rowCount: number }>(
      `insert into audit_entries (event_id, user_id, actor, action, task_id, before, after, occurred_at)
       values (?, ?, ?, ?, ?::uuid, ?::jsonb, ?::jsonb, ?::timestamptz) on conflict (event_id) do nothing`,
      [e.event_id, e.user_id, e.actor, e.action, e.task_id, e.before, e.after, e.occurred_at],
    );
    return rowCount === 1;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("22"))
      throw new DropEvent(`event ${event.id} cannot be stored: ${(err as Error).message}`);
    throw err;
  }
}

export function auditHandlers(db: Knex): TaskEventHandlers {
  const handler =
    <K extends TopicKey>(key: K) =>
    async (event: TaskEvent<K>, ctx: { logger: { debug: (o: object, m: string) => void } }) => {
      const fresh = await recordEvent(db, key, event);
      if (!fresh) ctx.logger.debug({ eventId: event.id }, "duplicate delivery ignored");
    };
  return {
    taskCreated: handler("taskCreated"),
    taskUpdated: handler("taskUpdated"),
    taskCompleted: handler("taskCompleted"),
    taskDeleted: handler("taskDeleted"),
  };
}
