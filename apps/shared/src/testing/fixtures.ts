/** Sample task snapshots and task events for tests. */
import { randomUUID } from "node:crypto";
import { topics, type TaskTopicKey } from "@tasks/catalog";
import { newCloudEvent, type TaskEvent, type TaskEventDataByKey, type TaskSnapshot } from "../events.js";

export function sampleTask(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    userId: "user-a",
    title: "Water the plants",
    description: null,
    priority: "medium",
    status: "open",
    tags: [],
    dueAt: null,
    timeZone: null,
    reminders: null,
    recurrence: null,
    seriesId: null,
    occurrenceAt: null,
    completedAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

/** A CloudEvent for `key` as the tasks API publishes it. */
export function sampleTaskEvent<K extends TaskTopicKey>(
  key: K,
  data: TaskEventDataByKey[K],
  opts: { id?: string; time?: Date } = {},
): TaskEvent<K> {
  return newCloudEvent({ topic: topics[key].name, source: "tasks-api", subject: data.task.id, data, ...opts }) as TaskEvent<K>;
}
