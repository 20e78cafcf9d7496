/**
 * Turns task events and calendar feed changes into audit rows. Insert-or-ignore on the CloudEvent id makes
 * redelivery harmless; data Postgres can never store (class 22: data exceptions) is dropped to the
 * dead-letter topic instead of being retried forever.
 */
import { DropEvent, type CalendarFeedSnapshot, type Knex, type TaskEvent, type TaskEventHandlers, type TaskSnapshot } from "@tasks/shared";
import type { TaskTopicKey, TopicKey } from "@tasks/catalog";

export const auditActions = ["created", "updated", "completed", "deleted", "reopened", "skipped", "feed-created", "feed-revoked"] as const;
export type AuditAction = (typeof auditActions)[number];

const actionOf: Record<TaskTopicKey, AuditAction> = {
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
  /** Exactly one of task_id and feed_id is set. */
  task_id: string | null;
  feed_id: string | null;
  before: string | null;
  after: string | null;
  occurred_at: string;
}

/**
 * The action of an event: the topic's, except a task.updated that makes a closed task open again
 * (reopened) and a task.completed whose task was skipped rather than done (skipped).
 */
function actionFor(key: TaskTopicKey, data: { task: TaskSnapshot; before?: TaskSnapshot }): AuditAction {
  if (key === "taskUpdated" && data.before && data.before.status !== "open" && data.task.status === "open") return "reopened";
  if (key === "taskCompleted" && data.task.status === "skipped") return "skipped";
  return actionOf[key];
}

const json = (t: TaskSnapshot | CalendarFeedSnapshot | null | undefined) => (t ? JSON.stringify(t) : null);

function taskEntry(key: TaskTopicKey, event: TaskEvent<TaskTopicKey>): Entry {
  const data = event.data as { actor: string; task: TaskSnapshot; before?: TaskSnapshot; after?: TaskSnapshot };
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
    feed_id: null,
    before: json(before),
    after: json(after),
    occurred_at: event.time ?? new Date().toISOString(),
  };
}

/** A feed's creation (after = the feed) or revocation (before = the feed); the event never holds its token. */
function feedEntry(event: TaskEvent<"calendarFeedChanged">): Entry {
  const { actor, change, feed } = event.data;
  return {
    event_id: event.id,
    user_id: feed.userId,
    actor,
    action: change === "created" ? "feed-created" : "feed-revoked",
    task_id: null,
    feed_id: feed.id,
    before: change === "revoked" ? json(feed) : null,
    after: change === "created" ? json(feed) : null,
    occurred_at: event.time ?? new Date().toISOString(),
  };
}

const entryFor = <K extends TopicKey>(key: K, event: TaskEvent<K>): Entry =>
  key === "calendarFeedChanged"
    ? feedEntry(event as TaskEvent<"calendarFeedChanged">)
    : taskEntry(key as TaskTopicKey, event as TaskEvent<TaskTopicKey>);

/** Returns true when the row was new, false for a duplicate delivery. */
export async function recordEvent<K extends TopicKey>(db: Knex, key: K, event: TaskEvent<K>): Promise<boolean> {
  const e = entryFor(key, event);
  try {
    const { rowCount } = await db.raw<{ rowCount: number }>(
      `insert into audit_entries (event_id, user_id, actor, action, task_id, feed_id, before, after, occurred_at)
       values (?, ?, ?, ?, ?::uuid, ?::uuid, ?::jsonb, ?::jsonb, ?::timestamptz) on conflict (event_id) do nothing`,
      [e.event_id, e.user_id, e.actor, e.action, e.task_id, e.feed_id, e.before, e.after, e.occurred_at],
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
    calendarFeedChanged: handler("calendarFeedChanged"),
  };
}
