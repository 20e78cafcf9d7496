import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TaskSnapshot } from "@tasks/shared";
import { startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const base = "/api/v1/tasks";

describe("create, get, patch, complete, delete", () => {
  test("create answers 201 with Location and the normalised task", async () => {
    const res = await h.as("alice", {
      method: "POST",
      url: base,
      body: {
        title: "  Pay rent  ",
        description: "Line 1\nLine 2",
        priority: "high",
        tags: ["Home", "money", "home"],
        dueAt: "2030-05-01T09:00:00+02:00",
        timeZone: "Europe/Paris",
        reminders: [10, 60, 10, 0],
        recurrence: "RRULE:freq=monthly;bymonthday=1",
      },
    });
    assert.equal(res.status, 201);
    const t = res.json<TaskSnapshot>();
    assert.equal(res.headers.location, `${base}/${t.id}`);
    assert.deepEqual(
      {
        title: t.title,
        description: t.description,
        priority: t.priority,
        status: t.status,
        tags: t.tags,
        dueAt: t.dueAt,
        timeZone: t.timeZone,
        reminders: t.reminders,
        recurrence: t.recurrence,
        userId: t.userId,
        version: t.version,
        completedAt: t.completedAt,
      },
      {
        title: "Pay rent",
        description: "Line 1\nLine 2",
        priority: "high",
        status: "open",
        tags: ["home", "money"],
        dueAt: "2030-05-01T07:00:00.000Z",
        timeZone: "Europe/Paris",
        reminders: [60, 10, 0],
        recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
        userId: "alice",
        version: 1,
        completedAt: null,
      },
    );
    assert.deepEqual((await h.as("alice", { url: `${base}/${t.id}` })).body, t);
  });

  test("defaults: medium priority, no tags, no due date, reminders not set (null)", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "x" } })).json<TaskSnapshot>();
    assert.deepEqual(
      [t.priority, t.tags, t.dueAt, t.timeZone, t.reminders, t.recurrence, t.description],
      ["medium", [], null, null, null, null, null],
    );
  });

  test("PATCH changes only the given fields, null clears, version increments; an empty change is a no-op", async () => {
    const t = (
      await h.as("alice", {
        method: "POST",
        url: base,
        body: { title: "Draft", description: "d", dueAt: "2030-01-01T00:00:00Z", timeZone: "UTC", reminders: [5] },
      })
    ).json<TaskSnapshot>();
    const res = await h.as("alice", {
      method: "PATCH",
      url: `${base}/${t.id}`,
      body: { title: "Final", description: null, priority: "urgent" },
    });
    assert.equal(res.status, 200);
    const u = res.json<TaskSnapshot>();
    assert.deepEqual(
      [u.title, u.description, u.priority, u.dueAt, u.reminders, u.version],
      ["Final", null, "urgent", "2030-01-01T00:00:00.000Z", [5], 2],
    );
    const same = (await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { title: "Final" } })).json<TaskSnapshot>();
    assert.equal(same.version, 2);
    // clearing dueAt needs clearing reminders too
    const bad = await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { dueAt: null } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json<ProblemJson>().errors, [{ field: "reminders", message: "Reminders need dueAt." }]);
    const ok = (
      await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { dueAt: null, reminders: [] } })
    ).json<TaskSnapshot>();
    assert.deepEqual([ok.dueAt, ok.reminders, ok.version], [null, [], 3]);
  });

  test("complete sets status and completedAt; completing twice is 409", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "Do it" } })).json<TaskSnapshot>();
    const res = await h.as("alice", { method: "POST", url: `${base}/${t.id}/complete` });
    assert.equal(res.status, 200);
    const c = res.json<TaskSnapshot>();
    assert.equal(c.status, "completed");
    assert.ok(c.completedAt && Date.parse(c.completedAt) <= Date.now());
    const again = await h.as("alice", { method: "POST", url: `${base}/${t.id}/complete` });
    assert.equal(again.status, 409);
    assert.equal(again.headers["content-type"], "application/problem+json; charset=utf-8");
    assert.equal(again.json<ProblemJson>().detail, "The task is already completed.");
  });

  test("delete answers 204, then the task is 404", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "Temp" } })).json<TaskSnapshot>();
    assert.equal((await h.as("alice", { method: "DELETE", url: `${base}/${t.id}` })).status, 204);
    assert.equal((await h.as("alice", { url: `${base}/${t.id}` })).status, 404);
    assert.equal((await h.as("alice", { method: "DELETE", url: `${base}/${t.id}` })).status, 404);
  });

  test("without a token every route is 401", async () => {
    const { request } = await import("@tasks/shared/testing");
    for (const [method, url] of [
      ["GET", base],
      ["POST", base],
      ["GET", `${base}/x`],
      ["PATCH", `${base}/x`],
      ["DELETE", `${base}/x`],
      ["POST", `${base}/x/complete`],
    ] as const) {
      assert.equal(
        (await request(h.app, { method, url, body: method === "GET" || method === "DELETE" ? undefined : {} })).status,
        401,
        `${method} ${url}`,
      );
    }
  });
});

describe("cross-user isolation", () => {
  test("user B cannot read, update, complete or delete user A's task: 404 like an unknown id", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "Alice's secret" } })).json<TaskSnapshot>();
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const id of [t.id, unknown, "not-a-uuid"]) {
      const calls = [
        await h.as("bob", { url: `${base}/${id}` }),
        await h.as("bob", { method: "PATCH", url: `${base}/${id}`, body: { title: "mine now" } }),
        await h.as("bob", { method: "POST", url: `${base}/${id}/complete` }),
        await h.as("bob", { method: "DELETE", url: `${base}/${id}` }),
      ];
      for (const r of calls) {
        assert.equal(r.status, 404);
        assert.equal(r.json<ProblemJson>().detail, "Task not found.");
      }
    }
    const list = await h.as("bob", { url: `${base}?q=secret` });
    assert.deepEqual(list.json<{ items: unknown[] }>().items, []);
    const still = (await h.as("alice", { url: `${base}/${t.id}` })).json<TaskSnapshot>();
    assert.deepEqual([still.title, still.status, still.version], ["Alice's secret", "open", 1]);
  });
});
