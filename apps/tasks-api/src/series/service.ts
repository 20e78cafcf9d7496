/**
 * Reopen, skip and the series operations. Like every task change, each writes its events to the outbox
 * in the same transaction, and every query is scoped to the owner (another user's task is a 404).
 *
 * - reopen: a completed or skipped task becomes open again (task.updated, changed status/completedAt).
 *   Its successor, if one was created, is kept; completing it again creates no second successor (the
 *   tasks API keeps one successor per occurrence), in both modes.
 * - skip: an open occurrence of a recurring series is closed as `skipped` (task.completed with
 *   status skipped); the recurrence service creates the next one as if it had been completed on time.
 * - series: a task's series is `seriesId ?? id`. Listing is newest first; ending records the end (later
 *   occurrences are refused, 410 to the recurrence service) and keeps the open occurrences without a
 *   rule (task.updated) or deletes them (task.deleted). With no open occurrence to change (the latest one
 *   was completed or skipped, its successor maybe still on its way), the latest occurrence loses its rule
 *   instead (task.updated), so an end is always evented and audited; a series no occurrence of which
 *   carries a rule any more has nothing to end (409). Changing the rule changes the open occurrence with
 *   the latest time (the future), never the closed ones.
 */
import { topics } from "@tasks/catalog";
import { ConflictError, NotFoundError, ValidationError, type Knex, type TaskSnapshot } from "@tasks/shared";
import { outboxInsert } from "../outbox.js";
import { taskRuleErrors } from "../schemas.js";
import { taskColumns, toSnapshot, type TaskRow } from "../task-row.js";
import { findTask, saveTask, UUID } from "../tasks-service.js";
import type { ChangeRuleInput, EndSeriesInput, SeriesEndResult, SeriesPage, SeriesQuery } from "./schemas.js";
import { insertSeriesEnd, lockSeries, seriesEnd } from "./store.js";

const seriesOf = (t: TaskSnapshot): string => t.seriesId ?? t.id;

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown;
    if (Array.isArray(v) && v.length === 2 && !Number.isNaN(Date.parse(String(v[0]))) && UUID.test(String(v[1])))
      return [String(v[0]), String(v[1])];
  } catch {
    // fall through
  }
  throw new ValidationError([{ field: "query.cursor", message: "Invalid cursor." }]);
}

export class SeriesService {
  constructor(
    private readonly db: Knex,
    private readonly written: () => void,
  ) {}

  private async owned(k: Knex | Knex.Transaction, userId: string, id: string, lock = false): Promise<TaskSnapshot> {
    const task = UUID.test(id) ? await findTask(k, "id = ? and user_id = ?", [id, userId], lock) : undefined;
    if (!task) throw new NotFoundError("Task not found.");
    return task;
  }

  async reopen(userId: string, id: string): Promise<TaskSnapshot> {
    const task = await this.db.transaction(async (trx) => {
      const before = await this.owned(trx, userId, id, true);
      if (before.status === "open") throw new ConflictError("The task is already open.");
      const after: TaskSnapshot = {
        ...before,
        status: "open",
        completedAt: null,
        updatedAt: new Date().toISOString(),
        version: before.version + 1,
      };
      await saveTask(trx, after);
      const changed = before.completedAt === null ? ["status"] : ["status", "completedAt"];
      await outboxInsert(trx, {
        topic: topics.taskUpdated.name,
        aggregateId: id,
        data: { actor: userId, task: after, before, after, changed },
      });
      return after;
    });
    this.written();
    return task;
  }

  async skip(userId: string, id: string): Promise<TaskSnapshot> {
    const task = await this.db.transaction(async (trx) => {
      const before = await this.owned(trx, userId, id, true);
      if (before.status !== "open") throw new ConflictError(`Only an open occurrence can be skipped; this one is ${before.status}.`);
      if (before.recurrence === null)
        throw new ConflictError("Only an occurrence of a recurring series can be skipped; this task has no recurrence.");
      const after: TaskSnapshot = {
        ...before,
        status: "skipped",
        completedAt: null,
        updatedAt: new Date().toISOString(),
        version: before.version + 1,
      };
      await saveTask(trx, after);
      await outboxInsert(trx, { topic: topics.taskCompleted.name, aggregateId: id, data: { actor: userId, task: after, before } });
      return after;
    });
    this.written();
    return task;
  }

  async list(userId: string, id: string, q: SeriesQuery): Promise<SeriesPage> {
    const seriesId = seriesOf(await this.owned(this.db, userId, id));
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const sortAt = "coalesce(occurrence_at, due_at, created_at)";
    const { rows } = await this.db.raw<{ rows: (TaskRow & { sort_at: Date })[] }>(
      `select ${taskColumns.join(", ")}, ${sortAt} as sort_at from tasks
        where user_id = ? and (id = ? or series_id = ?) ${after ? `and (${sortAt}, id) < (?::timestamptz, ?::uuid)` : ""}
        order by sort_at desc, id desc limit ?`,
      [userId, seriesId, seriesId, ...(after ?? []), q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const end = await seriesEnd(this.db, seriesId);
    return {
      seriesId,
      endedAt: end?.endedAt ?? null,
      items: page.map(toSnapshot),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.sort_at, last.id) : null,
    };
  }

  async end(userId: string, id: string, input: EndSeriesInput): Promise<SeriesEndResult> {
    const seriesId = seriesOf(await this.owned(this.db, userId, id));
    const result = await this.db.transaction(async (trx) => {
      await lockSeries(trx, seriesId);
      const already = await seriesEnd(trx, seriesId);
      if (already)
        return { wrote: false, body: { seriesId, endedAt: already.endedAt, open: input.open, kept: [], deleted: [], latestClosed: null } };
      const now = new Date();
      await insertSeriesEnd(trx, seriesId, userId, userId, now);
      const { rows } = await trx.raw<{ rows: TaskRow[] }>(
        `select ${taskColumns.join(", ")} from tasks where user_id = ? and (id = ? or series_id = ?) and status = 'open' order by id for update`,
        [userId, seriesId, seriesId],
      );
      const kept: TaskSnapshot[] = [];
      const deleted: string[] = [];
      let events = 0;
      for (const task of rows.map(toSnapshot)) {
        if (input.open === "delete") {
          await trx("tasks").where({ id: task.id }).delete();
          await outboxInsert(trx, { topic: topics.taskDeleted.name, aggregateId: task.id, data: { actor: userId, task } });
          deleted.push(task.id);
          events++;
        } else if (task.recurrence !== null) {
          const after: TaskSnapshot = { ...task, recurrence: null, updatedAt: now.toISOString(), version: task.version + 1 };
          await saveTask(trx, after);
          await outboxInsert(trx, {
            topic: topics.taskUpdated.name,
            aggregateId: task.id,
            data: { actor: userId, task: after, before: task, after, changed: ["recurrence"] },
          });
          kept.push(after);
          events++;
        } else kept.push(task);
      }
      const latestClosed = events === 0 ? await this.endAfterLatest(trx, userId, seriesId, now) : null;
      return { wrote: true, body: { seriesId, endedAt: now.toISOString(), open: input.open, kept, deleted, latestClosed } };
    });
    if (result.wrote) this.written();
    return result.body;
  }

  /**
   * An end that changed no open occurrence: the series' latest occurrence, closed, loses its rule
   * (task.updated), which records the end in the task's history and says that nothing follows it. When the
   * latest occurrence carries no rule, the series does not repeat any more: 409 (the caller's transaction,
   * and with it the end, is rolled back).
   */
  private async endAfterLatest(trx: Knex.Transaction, userId: string, seriesId: string, now: Date): Promise<TaskSnapshot> {
    const latest = await findTask(
      trx,
      "user_id = ? and (id = ? or series_id = ?) order by coalesce(occurrence_at, due_at, created_at) desc, id desc",
      [userId, seriesId, seriesId],
      true,
    );
    if (!latest || latest.status === "open" || latest.recurrence === null)
      throw new ConflictError("The series does not repeat: none of its occurrences carries a rule any more, so there is nothing to end.");
    const after: TaskSnapshot = { ...latest, recurrence: null, updatedAt: now.toISOString(), version: latest.version + 1 };
    await saveTask(trx, after);
    await outboxInsert(trx, {
      topic: topics.taskUpdated.name,
      aggregateId: latest.id,
      data: { actor: userId, task: after, before: latest, after, changed: ["recurrence"] },
    });
    return after;
  }

  async changeRule(userId: string, id: string, input: ChangeRuleInput): Promise<TaskSnapshot> {
    const seriesId = seriesOf(await this.owned(this.db, userId, id));
    const result = await this.db.transaction(async (trx) => {
      await lockSeries(trx, seriesId);
      if (await seriesEnd(trx, seriesId)) throw new ConflictError("The series was ended; its rule cannot change.");
      const head = await findTask(
        trx,
        "user_id = ? and (id = ? or series_id = ?) and status = 'open' order by coalesce(occurrence_at, due_at, created_at) desc, id desc",
        [userId, seriesId, seriesId],
        true,
      );
      if (!head)
        throw new ConflictError("The series has no open occurrence to carry the new rule (the next one may still be on its way: retry).");
      const merged: TaskSnapshot = { ...head, recurrence: input.recurrence, repeatFrom: input.repeatFrom ?? head.repeatFrom ?? "schedule" };
      const errors = taskRuleErrors(merged);
      if (errors.length) throw new ValidationError(errors);
      const changed = (["recurrence", "repeatFrom"] as const).filter((k) => (merged[k] ?? "schedule") !== (head[k] ?? "schedule"));
      if (changed.length === 0) return { task: head, wrote: false };
      const after: TaskSnapshot = { ...merged, updatedAt: new Date().toISOString(), version: head.version + 1 };
      await saveTask(trx, after);
      await outboxInsert(trx, {
        topic: topics.taskUpdated.name,
        aggregateId: head.id,
        data: { actor: userId, task: after, before: head, after, changed: [...changed] },
      });
      return { task: after, wrote: true };
    });
    if (result.wrote) this.written();
    return result.task;
  }
}
