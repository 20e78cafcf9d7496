/**
 * Task operations. Every change and its event are written in one transaction (the outbox), and
 * every query is scoped to the owner: another user's id behaves exactly like an unknown id (404).
 */
import { randomUUID } from "node:crypto";
import { topics } from "@tasks/catalog";
import { ConflictError, HttpProblem, NotFoundError, ValidationError, type Knex, type TaskSnapshot } from "@tasks/shared";
import { listTasks, type Page } from "./list.js";
import { outboxInsert, outboxRow } from "./outbox.js";
import { checkVersion, type VersionCondition } from "./preconditions.js";
import { taskRuleErrors, type CreateTaskInput, type ListQuery, type UpdateTaskInput } from "./schemas.js";
import { lockSeries, seriesEnd } from "./series/store.js";
import { taskColumns, toRow, toSnapshot, type TaskRow } from "./task-row.js";

export async function findTask(
  k: Knex | Knex.Transaction,
  where: string,
  bindings: readonly unknown[],
  lock = false,
): Promise<TaskSnapshot | undefined> {
  const { rows } = await k.raw<{ rows: TaskRow[] }>(
    `select ${taskColumns.join(", ")} from tasks where ${where} limit 1${lock ? " for update" : ""}`,
    [...bindings] as Knex.RawBinding[],
  );
  return rows[0] ? toSnapshot(rows[0]) : undefined;
}

/** Writes a changed task (every column but id, owner and creation time). */
export async function saveTask(trx: Knex.Transaction, after: TaskSnapshot): Promise<void> {
  const row = toRow(after);
  await trx("tasks")
    .where({ id: after.id })
    .update(Object.fromEntries(taskColumns.filter((c) => c !== "id" && c !== "user_id" && c !== "created_at").map((c) => [c, row[c]])));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TasksServiceOptions {
  readonly db: Knex;
  /** Called after a transaction that wrote outbox rows committed. */
  readonly onEventsWritten?: () => void;
}

export class TasksService {
  constructor(private readonly opts: TasksServiceOptions) {}

  private get db(): Knex {
    return this.opts.db;
  }

  private written(): void {
    this.opts.onEventsWritten?.();
  }

  async create(userId: string, input: CreateTaskInput): Promise<TaskSnapshot> {
    const fields = {
      dueAt: input.dueAt ?? null,
      timeZone: input.timeZone ?? null,
      reminders: input.reminders ?? null,
      recurrence: input.recurrence ?? null,
      repeatFrom: input.repeatFrom,
    };
    const errors = taskRuleErrors(fields);
    if (errors.length) throw new ValidationError(errors);
    const now = new Date();
    const task: TaskSnapshot = {
      id: randomUUID(),
      userId,
      title: input.title,
      description: input.description ?? null,
      priority: input.priority,
      status: "open",
      tags: input.tags,
      ...fields,
      dueAt: fields.dueAt === null ? null : new Date(fields.dueAt).toISOString(),
      seriesId: null,
      occurrenceAt: null,
      completedAt: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    const { row } = outboxRow({ topic: topics.taskCreated.name, aggregateId: task.id, data: { actor: userId, task } }, now);
    const taskRow = toRow(task);
    // One statement (atomic on its own): the task and its outbox row, one round trip.
    await this.db.raw(
      `with t as (insert into tasks (${taskColumns.join(", ")}) values (${taskColumns.map(() => "?").join(", ")}) returning id)
       insert into outbox (event_id, topic, aggregate_id, payload) select ?, ?, t.id, ?::json from t`,
      [...taskColumns.map((c) => taskRow[c]), row.event_id, row.topic, row.payload],
    );
    this.written();
    return task;
  }

  async get(userId: string, id: string): Promise<TaskSnapshot> {
    if (!UUID.test(id)) throw new NotFoundError("Task not found.");
    const task = await findTask(this.db, "id = ? and user_id = ?", [id, userId]);
    if (!task) throw new NotFoundError("Task not found.");
    return task;
  }

  /** Any user's task (internal route for services). */
  async getAny(id: string): Promise<TaskSnapshot> {
    if (!UUID.test(id)) throw new NotFoundError("Task not found.");
    const task = await findTask(this.db, "id = ?", [id]);
    if (!task) throw new NotFoundError("Task not found.");
    return task;
  }

  list(userId: string, q: ListQuery): Promise<Page> {
    return listTasks(this.db, userId, q);
  }

  private async locked(trx: Knex.Transaction, userId: string, id: string): Promise<TaskSnapshot> {
    if (!UUID.test(id)) throw new NotFoundError("Task not found.");
    const task = await findTask(trx, "id = ? and user_id = ?", [id, userId], true);
    if (!task) throw new NotFoundError("Task not found.");
    return task;
  }

  private save(trx: Knex.Transaction, after: TaskSnapshot): Promise<void> {
    return saveTask(trx, after);
  }

  /** Applies `patch`; with `condition` (If-Match) only while the task still has a version it lists (checked under the row lock). */
  async update(userId: string, id: string, patch: UpdateTaskInput, condition?: VersionCondition): Promise<TaskSnapshot> {
    const result = await this.db.transaction(async (trx) => {
      const before = await this.locked(trx, userId, id);
      checkVersion(before, condition);
      const merged: TaskSnapshot = { ...before };
      const changed: string[] = [];
      for (const [k, v] of Object.entries(patch) as [keyof UpdateTaskInput, unknown][]) {
        if (v === undefined) continue;
        const value = k === "dueAt" && typeof v === "string" ? new Date(v).toISOString() : v;
        if (JSON.stringify(before[k]) !== JSON.stringify(value)) changed.push(k);
        (merged as Record<string, unknown>)[k] = value;
      }
      const errors = taskRuleErrors(
        merged,
        patch.recurrence !== undefined || patch.dueAt !== undefined || patch.timeZone !== undefined || patch.repeatFrom !== undefined,
      );
      if (errors.length) throw new ValidationError(errors);
      if (changed.length === 0) return { task: before, wrote: false };
      const after: TaskSnapshot = { ...merged, updatedAt: new Date().toISOString(), version: before.version + 1 };
      await this.save(trx, after);
      await outboxInsert(trx, {
        topic: topics.taskUpdated.name,
        aggregateId: id,
        data: { actor: userId, task: after, before, after, changed },
      });
      return { task: after, wrote: true };
    });
    if (result.wrote) this.written();
    return result.task;
  }

  async complete(userId: string, id: string): Promise<TaskSnapshot> {
    const task = await this.db.transaction(async (trx) => {
      const before = await this.locked(trx, userId, id);
      if (before.status !== "open") throw new ConflictError(`The task is already ${before.status}.`);
      const now = new Date().toISOString();
      const after: TaskSnapshot = { ...before, status: "completed", completedAt: now, updatedAt: now, version: before.version + 1 };
      await this.save(trx, after);
      await outboxInsert(trx, { topic: topics.taskCompleted.name, aggregateId: id, data: { actor: userId, task: after, before } });
      return after;
    });
    this.written();
    return task;
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const task = await this.locked(trx, userId, id);
      await trx("tasks").where({ id }).delete();
      await outboxInsert(trx, { topic: topics.taskDeleted.name, aggregateId: id, data: { actor: userId, task } });
    });
    this.written();
  }

  /**
   * The next occurrence of a series, idempotent on (seriesId, occurrenceAt) and on its predecessor (the
   * source task: one successor per occurrence, so a reopened and re-completed occurrence gets none in
   * either mode): a repeat returns the existing task with created=false and writes no event. An ended
   * series is a 410; the series lock orders this against ending it.
   */
  async createOccurrence(source: TaskSnapshot, occurrenceAt: string, actor: string): Promise<{ task: TaskSnapshot; created: boolean }> {
    const seriesId = source.seriesId ?? source.id;
    const at = new Date(occurrenceAt);
    const result = await this.db.transaction(async (trx) => {
      await lockSeries(trx, seriesId);
      const existing = await findTask(trx, "predecessor_id = ? or (series_id = ? and occurrence_at = ?)", [source.id, seriesId, at]);
      if (existing) return { task: existing, created: false };
      if (await seriesEnd(trx, seriesId)) throw new HttpProblem(410, "Gone", "The series was ended: no further occurrences.");
      const now = new Date().toISOString();
      const task: TaskSnapshot = {
        ...source,
        id: randomUUID(),
        status: "open",
        dueAt: at.toISOString(),
        seriesId,
        occurrenceAt: at.toISOString(),
        completedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const row = toRow(task);
      await trx.raw(`insert into tasks (${taskColumns.join(", ")}, predecessor_id) values (${taskColumns.map(() => "?").join(", ")}, ?)`, [
        ...taskColumns.map((c) => row[c]),
        source.id,
      ]);
      await outboxInsert(trx, { topic: topics.taskCreated.name, aggregateId: task.id, data: { actor, task } });
      return { task, created: true };
    });
    if (result.created) this.written();
    return result;
  }
}
