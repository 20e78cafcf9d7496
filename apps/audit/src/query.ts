/** GET /api/v1/audit: the caller's entries, newest first, filtered, keyset-paginated. */
import { instantSchema, isPgTimestamptzText, ValidationError, type Knex } from "@tasks/shared";
import { z } from "zod";
import { auditActions, type AuditAction } from "./recorder.js";

const single = (name: string) => z.string({ message: `${name} must be given once.` });

export const auditQuerySchema = z
  .strictObject({
    taskId: single("taskId").pipe(z.uuid("taskId must be a UUID.")).optional(),
    feedId: single("feedId").pipe(z.uuid("feedId must be a UUID.")).optional(),
    action: single("action")
      .pipe(z.enum(auditActions, { message: `action must be one of ${auditActions.join(", ")}.` }))
      .optional(),
    from: single("from").pipe(instantSchema).optional(),
    to: single("to").pipe(instantSchema).optional(),
    limit: single("limit")
      .pipe(z.string().regex(/^(?:[1-9]\d?|100)$/, "limit must be an integer from 1 to 100."))
      .transform(Number)
      .pipe(z.number().min(1, "limit must be an integer from 1 to 100.").max(100, "limit must be an integer from 1 to 100."))
      .default(50),
    cursor: single("cursor").pipe(z.string().max(512, "cursor is too long.")).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to))
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be later than to." });
  });
export type AuditQuery = z.output<typeof auditQuerySchema>;

export interface AuditEntry {
  id: string;
  eventId: string;
  /** The task the entry is about; null for a calendar feed's entry (feedId). */
  taskId: string | null;
  feedId: string | null;
  action: AuditAction;
  actor: string;
  before: unknown;
  after: unknown;
  occurredAt: string;
  recordedAt: string;
}

interface Row {
  id: string;
  event_id: string;
  task_id: string | null;
  feed_id: string | null;
  action: AuditAction;
  actor: string;
  before: unknown;
  after: unknown;
  occurred_at: Date;
  recorded_at: Date;
  k: string;
}

const cursorSchema = z.object({ t: z.string().refine(isPgTimestamptzText), id: z.string().regex(/^\d{1,18}$/) });

export async function listEntries(db: Knex, userId: string, q: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const where = ["user_id = ?"];
  const bindings: Knex.RawBinding[] = [userId];
  const add = (clause: string, value: Knex.RawBinding): void => {
    where.push(clause);
    bindings.push(value);
  };
  if (q.taskId) add("task_id = ?::uuid", q.taskId);
  if (q.feedId) add("feed_id = ?::uuid", q.feedId);
  if (q.action) add("action = ?", q.action);
  if (q.from) add("occurred_at >= ?::timestamptz", q.from);
  if (q.to) add("occurred_at < ?::timestamptz", q.to);
  if (q.cursor) {
    let c: z.infer<typeof cursorSchema>;
    try {
      c = cursorSchema.parse(JSON.parse(Buffer.from(q.cursor, "base64url").toString("utf8")));
    } catch {
      throw new ValidationError([{ field: "query.cursor", message: "Invalid cursor." }]);
    }
    where.push("(occurred_at, id) < (?::timestamptz, ?::bigint)");
    bindings.push(c.t, c.id);
  }
  const { rows } = await db.raw<{ rows: Row[] }>(
    `select id, event_id, task_id, feed_id, action, actor, before, after, occurred_at, recorded_at, occurred_at::text as k
       from audit_entries where ${where.join(" and ")} order by occurred_at desc, id desc limit ?`,
    [...bindings, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      eventId: r.event_id,
      taskId: r.task_id,
      feedId: r.feed_id,
      action: r.action,
      actor: r.actor,
      before: r.before,
      after: r.after,
      occurredAt: r.occurred_at.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
    })),
    nextCursor:
      rows.length > q.limit && last ? Buffer.from(JSON.stringify({ t: last.k, id: String(last.id) })).toString("base64url") : null,
  };
}
