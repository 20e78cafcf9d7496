/**
 * CloudEvents 1.0 envelopes and zod schemas for the catalog's events: the task events and calendar-feed.changed.
 *
 * Event data: every task event carries `actor` (who caused it: a user id, or `service:<app-id>`) and
 * `task` (the task after the change; for task.deleted, its last state). task.updated also carries
 * `before` and `after` (after equals task) and the names of the changed fields; task.completed carries
 * `before` (the open task it closed).
 */
import { randomUUID } from "node:crypto";
import { topics, type TopicKey, type TopicName } from "@tasks/catalog";
import { z } from "zod";

export const priorities = ["low", "medium", "high", "urgent"] as const;
export type Priority = (typeof priorities)[number];
/** `skipped`: an occurrence of a series closed without being done (its successor is created as if it had been done on time). */
export const taskStatuses = ["open", "completed", "skipped"] as const;
export type TaskStatus = (typeof taskStatuses)[number];
/**
 * How a series finds its next occurrence: `schedule` (the RRULE's fixed schedule) or `completion` (the
 * completion time plus the rule's interval, at the rule's BYHOUR/BYMINUTE wall-clock time if it names one).
 */
export const repeatModes = ["schedule", "completion"] as const;
export type RepeatMode = (typeof repeatModes)[number];

/**
 * RFC 3339 instant with an explicit offset (`Z` or ±hh:mm) that PostgreSQL's timestamptz can store:
 * year 0001-9999 (Postgres has no year 0) and an offset within ±15:59 (beyond it Postgres refuses the
 * value: "time zone displacement out of range"), so no such value reaches SQL.
 */
export const instantSchema = z.iso.datetime({ offset: true, abort: true }).regex(/^(?!0000)\d{4}-.*(?:Z|[+-](?:0\d|1[0-5]):[0-5]\d)$/, {
  message: "Year 0001-9999 with an offset within ±15:59.",
  abort: true,
});

/**
 * A task as the tasks API returns it and as events carry it. `reminders` are offsets before `dueAt`
 * in whole minutes (0 = at the due time); null = not set (the user's default reminders apply), [] = no
 * reminder. `recurrence` is an RFC 5545 RRULE without DTSTART: the
 * series is anchored at `dueAt` in `timeZone`. `seriesId`/`occurrenceAt` are set on occurrences
 * created by the recurrence service (seriesId = id of the first task of the series). `repeatFrom`
 * (absent = schedule) is the series' mode.
 */
export const taskSnapshotSchema = z.object({
  id: z.uuid(),
  userId: z.string().min(1),
  title: z.string(),
  description: z.string().nullable(),
  priority: z.enum(priorities),
  status: z.enum(taskStatuses),
  tags: z.array(z.string()),
  dueAt: instantSchema.nullable(),
  timeZone: z.string().nullable(),
  reminders: z.array(z.number().int().nonnegative()).nullable(),
  recurrence: z.string().nullable(),
  repeatFrom: z.enum(repeatModes).optional(),
  seriesId: z.uuid().nullable(),
  occurrenceAt: instantSchema.nullable(),
  completedAt: instantSchema.nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: z.number().int().positive(),
});
export type TaskSnapshot = z.infer<typeof taskSnapshotSchema>;

const actor = z.string().min(1);
export const taskCreatedDataSchema = z.object({ actor, task: taskSnapshotSchema });
export const taskUpdatedDataSchema = z.object({
  actor,
  task: taskSnapshotSchema,
  before: taskSnapshotSchema,
  after: taskSnapshotSchema,
  changed: z.array(z.string()),
});
/**
 * task.completed: an occurrence was closed, completed or skipped (`task.status` says which). `before` is the
 * task as it was just before (open), for the audit history; events written before it was added lack it.
 */
export const taskCompletedDataSchema = z.object({ actor, task: taskSnapshotSchema, before: taskSnapshotSchema.optional() });
export const taskDeletedDataSchema = z.object({ actor, task: taskSnapshotSchema });

/**
 * A calendar feed as its events carry it: id, owner, name, creation time. Never the token or its hash (the
 * token is the feed's only credential; the hash opens nothing but still identifies it).
 */
export const calendarFeedSnapshotSchema = z.object({
  id: z.uuid(),
  userId: z.string().min(1),
  name: z.string(),
  createdAt: instantSchema,
});
export type CalendarFeedSnapshot = z.infer<typeof calendarFeedSnapshotSchema>;
export const calendarFeedChanges = ["created", "revoked"] as const;
export type CalendarFeedChange = (typeof calendarFeedChanges)[number];
/** calendar-feed.changed: a feed was created or revoked (`change`), by `actor` (its owner). */
export const calendarFeedChangedDataSchema = z.object({ actor, change: z.enum(calendarFeedChanges), feed: calendarFeedSnapshotSchema });
export type CalendarFeedChangedData = z.infer<typeof calendarFeedChangedDataSchema>;

export type TaskCreatedData = z.infer<typeof taskCreatedDataSchema>;
export type TaskUpdatedData = z.infer<typeof taskUpdatedDataSchema>;
export type TaskCompletedData = z.infer<typeof taskCompletedDataSchema>;
export type TaskDeletedData = z.infer<typeof taskDeletedDataSchema>;

/** Event data schema per catalog topic key (`topics.taskCreated` → taskCreated). */
export const taskEventDataSchemas = {
  taskCreated: taskCreatedDataSchema,
  taskUpdated: taskUpdatedDataSchema,
  taskCompleted: taskCompletedDataSchema,
  taskDeleted: taskDeletedDataSchema,
  calendarFeedChanged: calendarFeedChangedDataSchema,
} as const satisfies Record<TopicKey, z.ZodObject>;

/** Event data per catalog topic key; the task topics' (TaskTopicKey) all carry `task`. */
export interface TaskEventDataByKey {
  taskCreated: TaskCreatedData;
  taskUpdated: TaskUpdatedData;
  taskCompleted: TaskCompletedData;
  taskDeleted: TaskDeletedData;
  calendarFeedChanged: CalendarFeedChangedData;
}

/** The catalog topic key of a topic name, e.g. "task.completed" → "taskCompleted". */
export function topicKeyOf(name: string): TopicKey | undefined {
  return (Object.keys(topics) as TopicKey[]).find((k) => topics[k].name === name);
}

/**
 * CloudEvents 1.0 attributes (structured mode). Unknown extension attributes are kept: Dapr adds
 * `topic`, `pubsubname`, `traceid`, `traceparent`, `tracestate` on delivery.
 */
export const cloudEventSchema = z.looseObject({
  specversion: z.literal("1.0"),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().optional(),
  time: instantSchema.optional(),
  datacontenttype: z.string().optional(),
  dataschema: z.string().optional(),
  traceparent: z.string().optional(),
  data: z.unknown().optional(),
});
export type CloudEventEnvelope = z.infer<typeof cloudEventSchema>;

export interface CloudEvent<T> {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  traceparent?: string;
  data: T;
  [extension: string]: unknown;
}

export type TaskEvent<K extends TopicKey = TopicKey> = CloudEvent<TaskEventDataByKey[K]>;

/** Zod schema for the full CloudEvent of a topic: envelope, `type` matching the catalog, typed data. */
export function taskEventSchema<K extends TopicKey>(key: K): z.ZodType<TaskEvent<K>> {
  const schema = cloudEventSchema.extend({
    type: z.literal(topics[key].eventType),
    data: taskEventDataSchemas[key],
  });
  return schema as unknown as z.ZodType<TaskEvent<K>>;
}

export interface NewCloudEventInput<T> {
  topic: TopicName;
  source: string;
  data: T;
  subject?: string;
  /** Stable id for consumer de-duplication. @default a random UUID */
  id?: string;
  /** @default now */
  time?: Date;
  traceparent?: string;
}

/** Builds a CloudEvent for a catalog topic (type = the topic's catalog eventType). */
export function newCloudEvent<T>(input: NewCloudEventInput<T>): CloudEvent<T> {
  const spec = Object.values(topics).find((t) => t.name === input.topic);
  if (!spec) throw new Error(`Unknown topic "${input.topic}"`);
  return {
    specversion: "1.0",
    id: input.id ?? randomUUID(),
    source: input.source,
    type: spec.eventType,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: "application/json",
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: input.data,
  };
}
