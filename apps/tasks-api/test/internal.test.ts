import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tasksInternalRoutes, topics } from "@tasks/catalog";
import { createOccurrenceResponseSchema, internalTaskResponseSchema, type TaskSnapshot } from "@tasks/shared";
import { daprHeaders, request } from "@tasks/shared/testing";
import { startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
let source: TaskSnapshot;
/** A new completed first task of a series (each occurrence gets at most one successor). */
async function completedSource(): Promise<TaskSnapshot> {
  const created = (
    await h.as("alice", {
      method: "POST",
      url: "/api/v1/tasks",
      body: {
        title: "Standup",
        tags: ["team"],
        priority: "high",
        dueAt: "2030-03-02T09:00:00Z",
        timeZone: "Europe/London",
        reminders: [15],
        recurrence: "FREQ=DAILY;COUNT=5",
      },
    })
  ).json<TaskSnapshot>();
  return (await h.as("alice", { method: "POST", url: `/api/v1/tasks/${created.id}/complete` })).json<TaskSnapshot>();
}
before(async () => {
  h = await startHarness();
  source = await completedSource();
});
after(() => h.close());

const fromRecurrence = { ...daprHeaders, "dapr-caller-app-id": "recurrence" };
const fromNotifications = { ...daprHeaders, "dapr-caller-app-id": "notifications" };
const occurrence = (body: unknown, headers: Record<string, string> = fromRecurrence) =>
  request(h.app, { method: "POST", url: tasksInternalRoutes.createOccurrence, body, headers });

describe("internal: create the next occurrence", () => {
  test("creates the occurrence once per (series, time); repeats return it with created=false and no new event", async () => {
    const at = "2030-03-03T09:00:00Z";
    const first = await occurrence({ sourceTask: source, occurrenceAt: at });
    assert.equal(first.status, 201, first.text);
    const body = createOccurrenceResponseSchema.parse(first.body);
    assert.equal(body.created, true);
    assert.deepEqual(
      { ...body.task, id: "x", createdAt: "x", updatedAt: "x" },
      {
        ...source,
        id: "x",
        createdAt: "x",
        updatedAt: "x",
        status: "open",
        completedAt: null,
        dueAt: "2030-03-03T09:00:00.000Z",
        seriesId: source.id,
        occurrenceAt: "2030-03-03T09:00:00.000Z",
        version: 1,
      },
    );
    const events = async () =>
      (await h.knex("outbox").where({ aggregate_id: body.task.id }).select("topic", "payload")) as {
        topic: string;
        payload: { data: { actor: string } };
      }[];
    assert.deepEqual(
      (await events()).map((e) => [e.topic, e.payload.data.actor]),
      [[topics.taskCreated.name, "service:recurrence"]],
    );

    const again = await occurrence({ sourceTask: source, occurrenceAt: "2030-03-03T10:00:00+01:00" });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { task: body.task, created: false });
    assert.equal((await events()).length, 1);

    // The next one, from the occurrence just created, stays in the same series.
    const next = createOccurrenceResponseSchema.parse(
      (await occurrence({ sourceTask: body.task, occurrenceAt: "2030-03-04T09:00:00Z" })).body,
    );
    assert.deepEqual([next.created, next.task.seriesId], [true, source.id]);
    // The owner sees the occurrences as ordinary tasks.
    assert.equal((await h.as("alice", { url: `/api/v1/tasks/${next.task.id}` })).status, 200);
    assert.equal((await h.as("bob", { url: `/api/v1/tasks/${next.task.id}` })).status, 404);
  });

  test("one successor per occurrence: the same source at another time returns the first successor", async () => {
    const src = await completedSource();
    const first = await occurrence({ sourceTask: src, occurrenceAt: "2030-03-03T09:00:00Z" });
    const other = await occurrence({ sourceTask: src, occurrenceAt: "2030-03-05T17:00:00Z" });
    assert.deepEqual([first.status, other.status], [201, 200]);
    assert.deepEqual(other.body, { task: createOccurrenceResponseSchema.parse(first.body).task, created: false });
  });

  test("concurrent duplicate calls create exactly one task", async () => {
    const at = "2030-03-10T09:00:00Z";
    const src = await completedSource();
    const results = await Promise.all(Array.from({ length: 6 }, () => occurrence({ sourceTask: src, occurrenceAt: at })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => createOccurrenceResponseSchema.parse(r.body).task.id)).size, 1);
  });

  test("only the recurrence app may call it (dapr-caller-app-id), and the body is validated", async () => {
    const callers: Record<string, string>[] = [daprHeaders, fromNotifications, { ...daprHeaders, "dapr-caller-app-id": "Recurrence" }];
    for (const headers of callers) {
      const res = await occurrence({ sourceTask: source, occurrenceAt: "2030-03-05T09:00:00Z" }, headers);
      assert.equal(res.status, 403);
      assert.equal(res.json<ProblemJson>().detail, "This route is only for Dapr service invocation by: recurrence.");
    }
    const bad = await occurrence({ sourceTask: { ...source, priority: "meh" }, occurrenceAt: "soon" });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad
        .json<ProblemJson>()
        .errors!.map((e) => e.field)
        .sort(),
      ["occurrenceAt", "sourceTask.priority"],
    );
  });
});

describe("internal: the source task is validated like the public routes (issue 21)", () => {
  const fields = (res: Awaited<ReturnType<typeof occurrence>>) =>
    res
      .json<ProblemJson>()
      .errors!.map((e) => e.field)
      .sort();
  test("a reminder offset above 2^31, an empty title, an empty or unknown time zone are 400s naming the field, never 500", async () => {
    const at = "2030-03-06T09:00:00Z";
    const cases: [Partial<TaskSnapshot>, string][] = [
      [{ reminders: [2 ** 31 + 1] }, "sourceTask.reminders.0"],
      [{ reminders: [525_601] }, "sourceTask.reminders.0"],
      [{ title: "" }, "sourceTask.title"],
      [{ title: "   " }, "sourceTask.title"],
      [{ title: "x".repeat(201) }, "sourceTask.title"],
      [{ timeZone: "" }, "sourceTask.timeZone"],
      [{ timeZone: "Mars/Olympus" }, "sourceTask.timeZone"],
      [{ tags: ["bad tag!"] }, "sourceTask.tags.0"],
      [{ description: "\u0000" }, "sourceTask.description"],
    ];
    for (const [override, field] of cases) {
      const res = await occurrence({ sourceTask: { ...source, ...override }, occurrenceAt: at });
      assert.equal(res.status, 400, `${JSON.stringify(override)}: ${res.status} ${res.text}`);
      assert.deepEqual(fields(res), [field], JSON.stringify(override));
    }
    const year0 = await occurrence({ sourceTask: source, occurrenceAt: "0000-01-01T00:00:00Z" });
    assert.deepEqual([year0.status, fields(year0)], [400, ["occurrenceAt"]]);
  });

  test("a rule that can never be scheduled is refused; the recurrence service's continuation text is accepted", async () => {
    const never = await occurrence({
      sourceTask: { ...source, recurrence: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30" },
      occurrenceAt: "2030-03-07T09:00:00Z",
    });
    assert.deepEqual([never.status, fields(never)], [400, ["sourceTask.recurrence"]]);
    const garbage = await occurrence({ sourceTask: { ...source, recurrence: "FREQ=SOMETIMES" }, occurrenceAt: "2030-03-07T09:00:00Z" });
    assert.deepEqual([garbage.status, fields(garbage)], [400, ["sourceTask.recurrence"]]);
    const continued = await occurrence({
      sourceTask: { ...(await completedSource()), recurrence: "FREQ=DAILY;COUNT=3;BYHOUR=9;BYMINUTE=0;BYSECOND=0" },
      occurrenceAt: "2030-03-07T09:00:00Z",
    });
    assert.equal(continued.status, 201, continued.text);
  });
});

describe("internal: get a task", () => {
  const url = (id: string) => tasksInternalRoutes.getTask.replace("*", id);
  test("notifications reads any user's task status and due time; others are refused", async () => {
    const res = await request(h.app, { url: url(source.id), headers: fromNotifications });
    assert.equal(res.status, 200);
    assert.deepEqual(internalTaskResponseSchema.parse(res.body).task, source);
    assert.equal((await request(h.app, { url: url(source.id), headers: fromRecurrence })).status, 403);
    assert.equal((await request(h.app, { url: url(source.id), headers: daprHeaders })).status, 403);
    assert.equal((await request(h.app, { url: url("00000000-0000-4000-8000-000000000000"), headers: fromNotifications })).status, 404);
  });
});
