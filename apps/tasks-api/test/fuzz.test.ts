/**
 * Property-based HTTP fuzz of the tasks API's public routes (issue 21): fast-check requests for every
 * route under /api/v1/tasks as two users and anonymously — hostile ids, dates, cursors, bodies, methods —
 * against real PostgreSQL. No response is a 5xx, and none to one user carries the other's data.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fuzzAsUserPair, fuzzUserPair } from "@tasks/shared/testing";
import type { TaskSnapshot } from "@tasks/shared";
import { listQuerySchema } from "../src/schemas.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

test("fuzz: every public route, two users: no 5xx, no cross-user read", { timeout: 600_000 }, async (t) => {
  const pair = fuzzUserPair();
  const { users, markers } = pair;
  const ids: string[] = [];
  for (const who of ["a", "b"] as const) {
    for (let i = 0; i < 3; i++) {
      const res = await h.as(users[who], {
        method: "POST",
        url: "/api/v1/tasks",
        body: {
          title: `${markers[who][0]} task ${i}`,
          description: `private note ${markers[who][0]}`,
          tags: ["fuzz", `t${i}`],
          dueAt: "2031-05-01T09:00:00Z",
          timeZone: "Europe/Paris",
          reminders: [15],
          recurrence: i === 0 ? "FREQ=WEEKLY;BYDAY=MO" : null,
        },
      });
      assert.equal(res.status, 201, res.text);
      ids.push(res.json<TaskSnapshot>().id);
    }
    await h.as(users[who], { method: "POST", url: `/api/v1/tasks/${ids.at(-1)}/complete` });
    // A calendar feed named with the marker: listing another user's feeds would show it.
    const feed = await h.as(users[who], { method: "POST", url: "/api/v1/calendar-feeds", body: { name: `${markers[who][0]} feed` } });
    assert.equal(feed.status, 201, feed.text);
    ids.push(feed.json<{ id: string }>().id);
  }
  const report = await fuzzAsUserPair(t, "tasks-api", pair, {
    app: h.app,
    publicPaths: ["/api/v1/tasks", "/api/v1/calendar-feeds", "/calendar"],
    ids,
    queryNames: Object.keys(listQuerySchema.shape),
    bodyFields: {
      title: ["x", "  ", ""],
      description: [null, "d"],
      priority: ["low", "urgent"],
      tags: [["a"], []],
      dueAt: ["2031-01-01T00:00:00Z", null],
      timeZone: ["UTC", "Europe/Paris", null],
      reminders: [[0], [525_600]],
      recurrence: ["FREQ=DAILY", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=HOURLY;INTERVAL=24;BYHOUR=3", null],
      repeatFrom: ["completion", "schedule", "later"],
      open: ["keep", "delete", "all"],
      name: ["Tasks", " ", "x".repeat(101)],
    },
  });
  assert.deepEqual(report.routes, [
    "DELETE /api/v1/calendar-feeds/:id",
    "DELETE /api/v1/tasks/:id",
    "GET /api/v1/calendar-feeds",
    "GET /api/v1/tasks",
    "GET /api/v1/tasks/:id",
    "GET /api/v1/tasks/:id/series",
    "GET /calendar/:token.ics",
    "PATCH /api/v1/tasks/:id",
    "POST /api/v1/calendar-feeds",
    "POST /api/v1/tasks",
    "POST /api/v1/tasks/:id/complete",
    "POST /api/v1/tasks/:id/reopen",
    "POST /api/v1/tasks/:id/series/end",
    "POST /api/v1/tasks/:id/skip",
    "PUT /api/v1/tasks/:id/series/rule",
  ]);
});
