/**
 * Reminders "not set" (null: the user's default reminders apply) versus "none" ([]), through the API,
 * the stored row, the task.created/updated events, and migration 0005 on rows written before it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createDatabase, migrateLatest, type TaskSnapshot } from "@tasks/shared";
import { createTestDatabase } from "@tasks/shared/testing";
import { migrations } from "../migrations/index.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const base = "/api/v1/tasks";
const due = { dueAt: "2030-05-01T09:00:00Z", timeZone: "UTC" };

async function eventTask(id: string, topic: string): Promise<TaskSnapshot> {
  const rows = await h.knex("outbox").where({ aggregate_id: id, topic }).orderBy("id", "desc").select("payload");
  return (rows[0]!.payload as { data: { task: TaskSnapshot } }).data.task;
}

describe("reminders: not set versus none", () => {
  test("absent on create is null (stored and evented); [] stays [] (no reminder)", async () => {
    const unset = (await h.as("alice", { method: "POST", url: base, body: { title: "Unset", ...due } })).json<TaskSnapshot>();
    const none = (await h.as("alice", { method: "POST", url: base, body: { title: "None", ...due, reminders: [] } })).json<TaskSnapshot>();
    assert.equal(unset.reminders, null);
    assert.deepEqual(none.reminders, []);
    const rows = await h.knex("tasks").whereIn("id", [unset.id, none.id]).select("id", "reminders");
    assert.deepEqual(Object.fromEntries(rows.map((r: { id: string; reminders: number[] | null }) => [r.id, r.reminders])), {
      [unset.id]: null,
      [none.id]: [],
    });
    assert.equal((await eventTask(unset.id, "task.created")).reminders, null);
    assert.deepEqual((await eventTask(none.id, "task.created")).reminders, []);
    const got = await h.as("alice", { url: `${base}/${unset.id}` });
    assert.equal(got.json<TaskSnapshot>().reminders, null);
  });

  test("PATCH reminders: [] turns them off, null returns to the user's default", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "T", ...due, reminders: [15] } })).json<TaskSnapshot>();
    const off = await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { reminders: [] } });
    assert.deepEqual([off.status, off.json<TaskSnapshot>().reminders], [200, []]);
    const back = await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { reminders: null } });
    assert.deepEqual([back.status, back.json<TaskSnapshot>().reminders, back.json<TaskSnapshot>().version], [200, null, 3]);
    const ev = await h.knex("outbox").where({ aggregate_id: t.id, topic: "task.updated" }).orderBy("id", "desc").first("payload");
    assert.deepEqual((ev.payload as { data: { changed: string[] } }).data.changed, ["reminders"]);
  });

  test("a task without dueAt may have reminders null or [], not offsets", async () => {
    assert.equal((await h.as("alice", { method: "POST", url: base, body: { title: "x", reminders: null } })).status, 201);
    assert.equal((await h.as("alice", { method: "POST", url: base, body: { title: "x", reminders: [] } })).status, 201);
    assert.equal((await h.as("alice", { method: "POST", url: base, body: { title: "x", reminders: [5] } })).status, 400);
  });
});

describe("migration 0005_reminders_unset", () => {
  test("rows from before keep their behaviour: '{}' (meant 'use the default') becomes null, offsets stay", async () => {
    const db = await createTestDatabase("tasks_m5");
    const knex = createDatabase({ connectionString: db.url, poolMin: 0, poolMax: 2 });
    try {
      await migrateLatest(knex, migrations.slice(0, -1));
      const row = (id: string, reminders: string) =>
        knex.raw(
          `insert into tasks (id, user_id, title, priority, status, tags, reminders, created_at, updated_at, version)
           values (?, 'u', 't', 2, 'open', '{}', ?::integer[], now(), now(), 1)`,
          [id, reminders],
        );
      await row("00000000-0000-4000-8000-000000000001", "{}");
      await row("00000000-0000-4000-8000-000000000002", "{30,0}");
      assert.deepEqual(await migrateLatest(knex, migrations), ["0005_reminders_unset"]);
      const rows = await knex("tasks").orderBy("id").select("reminders");
      assert.deepEqual(
        rows.map((r: { reminders: number[] | null }) => r.reminders),
        [null, [30, 0]],
      );
    } finally {
      await knex.destroy();
      await db.drop();
    }
  });
});
