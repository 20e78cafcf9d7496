/** The tasks table row and its mapping to the API/event representation. */
import { priorities, type Priority, type RepeatMode, type TaskSnapshot, type TaskStatus } from "@tasks/shared";

export interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  priority: number;
  status: TaskStatus;
  tags: string[];
  due_at: Date | null;
  time_zone: string | null;
  /** null = not set: the user's default reminders apply. */
  reminders: number[] | null;
  recurrence: string | null;
  repeat_from: RepeatMode;
  series_id: string | null;
  occurrence_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Columns to select (never the tsvector). */
export const taskColumns = [
  "id",
  "user_id",
  "title",
  "description",
  "priority",
  "status",
  "tags",
  "due_at",
  "time_zone",
  "reminders",
  "recurrence",
  "repeat_from",
  "series_id",
  "occurrence_at",
  "completed_at",
  "created_at",
  "updated_at",
  "version",
] as const;

/** low=1 … urgent=4, so numeric order is priority order. */
export const priorityRank = (p: Priority): number => priorities.indexOf(p) + 1;
export const priorityName = (rank: number): Priority => {
  const p = priorities[rank - 1];
  if (!p) throw new Error(`priority rank ${rank} out of range`);
  return p;
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSnapshot(r: TaskRow): TaskSnapshot {
  return {
    id: r.id,
    userId: r.user_id,
    title: r.title,
    description: r.description,
    priority: priorityName(r.priority),
    status: r.status,
    tags: r.tags,
    dueAt: iso(r.due_at),
    timeZone: r.time_zone,
    reminders: r.reminders,
    recurrence: r.recurrence,
    repeatFrom: r.repeat_from,
    seriesId: r.series_id,
    occurrenceAt: iso(r.occurrence_at),
    completedAt: iso(r.completed_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** The row for a snapshot (used to insert what was built in memory). */
export function toRow(t: TaskSnapshot): TaskRow {
  const date = (s: string | null): Date | null => (s ? new Date(s) : null);
  return {
    id: t.id,
    user_id: t.userId,
    title: t.title,
    description: t.description,
    priority: priorityRank(t.priority),
    status: t.status,
    tags: t.tags,
    due_at: date(t.dueAt),
    time_zone: t.timeZone,
    reminders: t.reminders,
    recurrence: t.recurrence,
    repeat_from: t.repeatFrom ?? "schedule",
    series_id: t.seriesId,
    occurrence_at: date(t.occurrenceAt),
    completed_at: date(t.completedAt),
    created_at: new Date(t.createdAt),
    updated_at: new Date(t.updatedAt),
    version: t.version,
  };
}
