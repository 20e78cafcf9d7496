/**
 * A daily recurring task in New York time, completed through the tasks API: recurrence creates the next
 * occurrence through Dapr service invocation (wall clock kept across the DST change), audit records both
 * operations, and a realtime WebSocket client receives both updates — all through real daprd sidecars
 * and a real Kafka broker.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { topics } from "@tasks/catalog";
import type { Platform } from "@tasks/dev-platform/dev-platform";
import { api, connectRealtime, eventually, startTestPlatform, waitRealtimeLive } from "./helpers.js";

interface Task {
  id: string;
  status: string;
  dueAt: string;
  timeZone: string;
  seriesId: string | null;
  occurrenceAt: string | null;
}

let platform: Platform;
before(
  async () => {
    platform = await startTestPlatform();
    await waitRealtimeLive(platform.services["tasks-api"].url, platform.services.realtime.url, await platform.token("realtime-probe"));
  },
  { timeout: 300_000 },
);
after(
  async () => {
    await platform?.stop();
  },
  { timeout: 120_000 },
);

test(
  "completing a daily New York task creates the next occurrence, audits both operations and pushes both updates",
  { timeout: 90_000 },
  async () => {
    const user = `it-${randomUUID()}`;
    const token = await platform.token(user);
    const tasksUrl = `${platform.services["tasks-api"].url}/api/v1/tasks`;
    const realtime = await connectRealtime(`${platform.services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      // 09:00 New York on the day before DST starts (2027-03-14): the next one is 09:00 EDT, 13:00Z not 14:00Z.
      const created = await api<Task>(tasksUrl, token, {
        body: { title: "water the plants", dueAt: "2027-03-13T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      const completed = await api<Task>(`${tasksUrl}/${id}/complete`, token, { method: "POST" });
      assert.equal(completed.status, 200, JSON.stringify(completed.body));
      assert.equal(completed.body.status, "completed");

      const next = await eventually("the next occurrence", 30_000, async () => {
        const list = await api<{ items: Task[] }>(`${tasksUrl}?limit=100`, token);
        return list.body.items.find((t) => t.seriesId === id);
      });
      assert.equal(next.dueAt, "2027-03-14T13:00:00.000Z");
      assert.equal(next.timeZone, "America/New_York");
      assert.equal(next.status, "open");
      const all = await api<{ items: Task[] }>(`${tasksUrl}?limit=100`, token);
      assert.equal(all.body.items.length, 2, "exactly the task and one next occurrence");

      const actions = await eventually("both audit entries", 30_000, async () => {
        const audit = await api<{ items: { action: string; taskId: string; actor: string }[] }>(
          `${platform.services.audit.url}/api/v1/audit?taskId=${id}`,
          token,
        );
        const found = audit.body.items.map((e) => e.action).sort();
        return found.length >= 2 ? found : undefined;
      });
      assert.deepEqual(actions, ["completed", "created"]);

      const pushed = await eventually("both realtime updates", 30_000, async () => {
        const mine = realtime.events.filter((e) => e.taskId === id).map((e) => e.topic);
        return mine.includes(topics.taskCreated.name) && mine.includes(topics.taskCompleted.name) ? mine : undefined;
      });
      assert.deepEqual([...pushed].sort(), [topics.taskCompleted.name, topics.taskCreated.name]);
    } finally {
      realtime.close();
    }
  },
);
