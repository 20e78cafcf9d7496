/**
 * Reopen, skip and the series routes (issue 19 items 1 and 2) against real PostgreSQL. The recurrence
 * service is played by calls to the internal occurrence route, as it makes them through Dapr.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tasksInternalRoutes, topics } from "@tasks/catalog";
import { createOccurrenceResponseSchema, type TaskSnapshot } from "@tasks/shared";
import { daprHeaders, request } from "@tasks/shared/testing";
import { fieldsOf, startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const base = "/api/v1/tasks";
const recurring = {
  title: "Water the plants",
  dueAt: "2031-03-02T08:00:00Z",
  timeZone: "Europe/Paris",
  recurrence: "FREQ=DAILY",
  reminders: [60],
};

async function create(user: string, body: Record<string, unknown> = recurring): Promise<TaskSnapshot> {
  const res = await h.as(user, { method: "POST", url: base, body });
  assert.equal(res.status, 201, res.text);
  return res.json<TaskSnapshot>();
}
const post = (user: string, url: string, body?: unknown) => h.as(user, { method: "POST", url, ...(body === undefined ? {} : { body }) });
/** What the recurrence service does on task.completed: POST /internal/occurrences through Dapr. */
const occurrence = (sourceTask: TaskSnapshot, occurrenceAt: string) =>
  request(h.app, {
    method: "POST",
    url: tasksInternalRoutes.createOccurrence,
    body: { sourceTask, occurrenceAt },
    headers: { ...daprHeaders, "dapr-caller-app-id": "recurrence" },
  });
interface OutboxEvent {
  topic: string;
  payload: { data: { actor: string; task: TaskSnapshot; before?: TaskSnapshot; changed?: string[] } };
}
const events = async (taskId: string): Promise<OutboxEvent[]> =>
  (await h.knex("outbox").where({ aggregate_id: taskId }).orderBy("id").select("topic", "payload")) as OutboxEvent[];

describe("reopen", () => {
  test("a completed task reopens: open, completedAt cleared, version up, task.updated with before and the changed fields", async () => {
    const t = await create("rita", { title: "Call mum", dueAt: "2031-01-01T10:00:00Z", timeZone: "UTC" });
    const done = (await post("rita", `${base}/${t.id}/complete`)).json<TaskSnapshot>();
    const res = await post("rita", `${base}/${t.id}/reopen`);
    assert.equal(res.status, 200, res.text);
    const reopened = res.json<TaskSnapshot>();
    assert.deepEqual([reopened.status, reopened.completedAt, reopened.version], ["open", null, done.version + 1]);
    const last = (await events(t.id)).at(-1)!;
    assert.equal(last.topic, topics.taskUpdated.name);
    assert.deepEqual(last.payload.data.changed, ["status", "completedAt"]);
    assert.equal(last.payload.data.before!.status, "completed");
    assert.equal(last.payload.data.actor, "rita");
    assert.deepEqual((await h.as("rita", { url: `${base}/${t.id}` })).body, reopened);
    // It can be completed again.
    assert.equal((await post("rita", `${base}/${t.id}/complete`)).status, 200);
  });

  test("reopening an open task is 409; another user's task is 404, like an unknown id", async () => {
    const t = await create("rita", { title: "x" });
    const open = await post("rita", `${base}/${t.id}/reopen`);
    assert.deepEqual([open.status, open.json<ProblemJson>().detail], [409, "The task is already open."]);
    await post("rita", `${base}/${t.id}/complete`);
    assert.equal((await post("mallory", `${base}/${t.id}/reopen`)).status, 404);
    assert.equal((await post("rita", `${base}/not-a-uuid/reopen`)).status, 404);
  });

  test("a recurring occurrence whose successor exists: reopen keeps the successor; completing again creates no second one", async () => {
    const root = await create("rita");
    const done = (await post("rita", `${base}/${root.id}/complete`)).json<TaskSnapshot>();
    const next = await occurrence(done, "2031-03-03T08:00:00Z");
    assert.equal(next.status, 201);
    const successor = createOccurrenceResponseSchema.parse(next.body).task;
    assert.equal((await post("rita", `${base}/${root.id}/reopen`)).status, 200);
    assert.equal((await h.as("rita", { url: `${base}/${successor.id}` })).status, 200);
    const again = (await post("rita", `${base}/${root.id}/complete`)).json<TaskSnapshot>();
    // Fixed schedule: the same (series, time) again. Repeat from completion would ask for a later time: same answer.
    for (const at of ["2031-03-03T08:00:00Z", "2031-03-09T08:00:00Z"]) {
      const res = await occurrence(again, at);
      assert.equal(res.status, 200, at);
      assert.deepEqual(res.body, { task: successor, created: false });
    }
    const page = (await h.as("rita", { url: `${base}/${root.id}/series` })).json<{ items: TaskSnapshot[] }>();
    assert.deepEqual(
      page.items.map((t) => t.id),
      [successor.id, root.id],
    );
  });
});

describe("skip", () => {
  test("an open occurrence is closed as skipped and published on task.completed for the recurrence service", async () => {
    const t = await create("sam");
    const res = await post("sam", `${base}/${t.id}/skip`);
    assert.equal(res.status, 200, res.text);
    const skipped = res.json<TaskSnapshot>();
    assert.deepEqual([skipped.status, skipped.completedAt, skipped.version], ["skipped", null, 2]);
    const last = (await events(t.id)).at(-1)!;
    assert.deepEqual([last.topic, last.payload.data.task.status], [topics.taskCompleted.name, "skipped"]);
    assert.deepEqual(last.payload.data.before, t, "the open occurrence it closed, for the audit's before");
    // The recurrence service's answer: the next one, in the same series, once.
    const next = await occurrence(skipped, "2031-03-03T08:00:00Z");
    assert.equal(next.status, 201);
    assert.equal(createOccurrenceResponseSchema.parse(next.body).task.seriesId, t.id);
    // Listed with status=skipped; it can be reopened, not completed or skipped again.
    const listed = (await h.as("sam", { url: `${base}?status=skipped` })).json<{ items: TaskSnapshot[] }>();
    assert.deepEqual(
      listed.items.map((x) => x.id),
      [t.id],
    );
    assert.equal((await post("sam", `${base}/${t.id}/skip`)).status, 409);
    assert.equal((await post("sam", `${base}/${t.id}/complete`)).status, 409);
    assert.equal((await post("sam", `${base}/${t.id}/reopen`)).json<TaskSnapshot>().status, "open");
  });

  test("a task without recurrence cannot be skipped (409); another user's is 404", async () => {
    const t = await create("sam", { title: "one-off" });
    const res = await post("sam", `${base}/${t.id}/skip`);
    assert.deepEqual(
      [res.status, res.json<ProblemJson>().detail],
      [409, "Only an occurrence of a recurring series can be skipped; this task has no recurrence."],
    );
    assert.equal((await post("mallory", `${base}/${(await create("sam")).id}/skip`)).status, 404);
  });
});

/** A series of `n` occurrences after the root, each created from the previous one completed. */
async function chain(user: string, n: number): Promise<TaskSnapshot[]> {
  const tasks = [await create(user)];
  for (let i = 1; i <= n; i++) {
    const done = (await post(user, `${base}/${tasks.at(-1)!.id}/complete`)).json<TaskSnapshot>();
    const at = new Date(Date.parse(recurring.dueAt) + i * 86_400_000).toISOString();
    tasks.push(createOccurrenceResponseSchema.parse((await occurrence(done, at)).body).task);
  }
  return tasks;
}

describe("series: list", () => {
  test("paged newest first by occurrence time; every occurrence once; any task of the series names it", async () => {
    const tasks = await chain("lena", 24);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${base}/${tasks[7]!.id}/series?limit=10${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await h.as("lena", { url });
      assert.equal(res.status, 200, res.text);
      const page = res.json<{ seriesId: string; endedAt: string | null; items: TaskSnapshot[]; nextCursor: string | null }>();
      assert.deepEqual([page.seriesId, page.endedAt], [tasks[0]!.id, null]);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, tasks.map((t) => t.id).reverse());
  });

  test("another user's series is 404; bad limit and cursor are 400s naming the parameter", async () => {
    const [root] = await chain("lena", 1);
    assert.equal((await h.as("mallory", { url: `${base}/${root!.id}/series` })).status, 404);
    for (const [q, field] of [
      ["limit=0", "query.limit"],
      ["limit=101", "query.limit"],
      ["cursor=bm9wZQ", "query.cursor"],
      ["sort=due", "query"],
    ] as const) {
      const res = await h.as("lena", { url: `${base}/${root!.id}/series?${q}` });
      assert.equal(res.status, 400, q);
      assert.ok(
        fieldsOf(res).some((f) => f.startsWith(field)),
        `${q}: ${res.text}`,
      );
    }
  });
});

describe("series: end", () => {
  test("keep: no further occurrences (410 to the recurrence service), the open one stays without a rule, evented once", async () => {
    const [root, open] = await chain("eve", 1);
    const res = await post("eve", `${base}/${root!.id}/series/end`, { open: "keep" });
    assert.equal(res.status, 200, res.text);
    const ended = res.json<{ seriesId: string; endedAt: string; kept: TaskSnapshot[]; deleted: string[] }>();
    assert.deepEqual(
      [ended.seriesId, ended.kept.map((t) => [t.id, t.recurrence, t.status]), ended.deleted],
      [root!.id, [[open!.id, null, "open"]], []],
    );
    const last = (await events(open!.id)).at(-1)!;
    assert.deepEqual([last.topic, last.payload.data.changed], [topics.taskUpdated.name, ["recurrence"]]);
    // An occurrence still on its way (the rule was read before the end) is refused.
    const late = await occurrence({ ...open!, status: "completed" }, "2031-03-04T08:00:00Z");
    assert.equal(late.status, 410, late.text);
    // Ending again changes nothing and writes nothing.
    const count = (await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count;
    const again = await post("eve", `${base}/${open!.id}/series/end`, {});
    assert.deepEqual([again.status, again.json<{ endedAt: string }>().endedAt], [200, ended.endedAt]);
    assert.equal((await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count, count);
    assert.equal((await h.as("eve", { url: `${base}/${root!.id}/series` })).json<{ endedAt: string }>().endedAt, ended.endedAt);
    // Its rule cannot change any more.
    assert.equal(
      (await h.as("eve", { method: "PUT", url: `${base}/${root!.id}/series/rule`, body: { recurrence: "FREQ=WEEKLY" } })).status,
      409,
    );
  });

  test("delete: the open occurrences are deleted (task.deleted); closed ones stay", async () => {
    const [root, open] = await chain("eve", 1);
    const res = await post("eve", `${base}/${open!.id}/series/end`, { open: "delete" });
    assert.deepEqual(res.json<{ deleted: string[] }>().deleted, [open!.id]);
    assert.equal((await h.as("eve", { url: `${base}/${open!.id}` })).status, 404);
    assert.equal((await h.as("eve", { url: `${base}/${root!.id}` })).json<TaskSnapshot>().status, "completed");
    assert.equal((await events(open!.id)).at(-1)!.topic, topics.taskDeleted.name);
  });

  test("a bad body is a 400 naming the field; another user's series is 404", async () => {
    const [root] = await chain("eve", 0);
    const res = await post("eve", `${base}/${root!.id}/series/end`, { open: "archive" });
    assert.deepEqual([res.status, fieldsOf(res)], [400, ["open"]]);
    assert.deepEqual(fieldsOf(await post("eve", `${base}/${root!.id}/series/end`, { open: "keep", when: "now" })), ["when"]);
    assert.equal((await post("mallory", `${base}/${root!.id}/series/end`, {})).status, 404);
  });

  test("no open occurrence (the latest was completed, its successor not yet made): the latest loses its rule, evented", async () => {
    for (const open of ["keep", "delete"] as const) {
      const root = await create("eve");
      const done = (await post("eve", `${base}/${root.id}/complete`)).json<TaskSnapshot>();
      const res = await post("eve", `${base}/${root.id}/series/end`, { open });
      assert.equal(res.status, 200, res.text);
      const ended = res.json<{ kept: TaskSnapshot[]; deleted: string[]; latestClosed: TaskSnapshot | null }>();
      assert.deepEqual([ended.kept, ended.deleted], [[], []]);
      assert.deepEqual(ended.latestClosed, {
        ...done,
        recurrence: null,
        updatedAt: ended.latestClosed!.updatedAt,
        version: done.version + 1,
      });
      const last = (await events(root.id)).at(-1)!;
      assert.deepEqual(
        [last.topic, last.payload.data.actor, last.payload.data.changed, last.payload.data.before],
        [topics.taskUpdated.name, "eve", ["recurrence"], done],
      );
      assert.deepEqual(last.payload.data.task, ended.latestClosed);
      // The successor the recurrence service was about to create is refused.
      assert.equal((await occurrence(done, "2031-03-03T08:00:00Z")).status, 410);
      // Ending again: the same end, nothing written.
      const count = (await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count;
      const again = await post("eve", `${base}/${root.id}/series/end`, { open });
      assert.deepEqual([again.status, again.json<{ latestClosed: null }>().latestClosed], [200, null]);
      assert.equal((await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count, count);
    }
  });

  test("a series none of whose occurrences carries a rule has nothing to end: 409 problem+json, no end recorded", async () => {
    const oneOff = await create("eve", { title: "once", dueAt: "2031-03-02T08:00:00Z", timeZone: "UTC" });
    const [root, open] = await chain("eve", 1);
    await h.as("eve", { method: "PATCH", url: `${base}/${open!.id}`, body: { recurrence: null } });
    for (const id of [oneOff.id, root!.id]) {
      const count = (await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count;
      const res = await post("eve", `${base}/${id}/series/end`, { open: "keep" });
      assert.equal(res.status, 409, res.text);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
      assert.equal(
        res.json<ProblemJson>().detail,
        "The series does not repeat: none of its occurrences carries a rule any more, so there is nothing to end.",
      );
      assert.equal((await h.knex("outbox").count<{ count: string }[]>("* as count"))[0]!.count, count);
      assert.equal((await h.as("eve", { url: `${base}/${id}/series` })).json<{ endedAt: string | null }>().endedAt, null);
    }
  });

  test("ending while the next occurrence is being created: never an open occurrence left after a delete", async () => {
    for (let i = 0; i < 8; i++) {
      const root = await create("eve");
      const done = (await post("eve", `${base}/${root.id}/complete`)).json<TaskSnapshot>();
      const [made, end] = await Promise.all([
        occurrence(done, "2031-03-03T08:00:00Z"),
        post("eve", `${base}/${root.id}/series/end`, { open: "delete" }),
      ]);
      assert.ok([201, 410].includes(made.status), made.text);
      assert.equal(end.status, 200);
      const page = (await h.as("eve", { url: `${base}/${root.id}/series` })).json<{ items: TaskSnapshot[] }>();
      assert.deepEqual(
        page.items.filter((t) => t.status === "open"),
        [],
      );
    }
  });
});

describe("series: change the rule for the future", () => {
  test("the open occurrence with the latest time carries the new rule; closed ones keep theirs; evented", async () => {
    const [root, , head] = await chain("otto", 2);
    const res = await h.as("otto", { method: "PUT", url: `${base}/${root!.id}/series/rule`, body: { recurrence: "FREQ=WEEKLY;BYDAY=MO" } });
    assert.equal(res.status, 200, res.text);
    const changed = res.json<TaskSnapshot>();
    assert.deepEqual([changed.id, changed.recurrence, changed.version], [head!.id, "FREQ=WEEKLY;BYDAY=MO", 2]);
    assert.equal((await h.as("otto", { url: `${base}/${root!.id}` })).json<TaskSnapshot>().recurrence, "FREQ=DAILY");
    const last = (await events(head!.id)).at(-1)!;
    assert.deepEqual([last.topic, last.payload.data.changed], [topics.taskUpdated.name, ["recurrence"]]);
    // The same rule again is a no-op.
    const same = await h.as("otto", {
      method: "PUT",
      url: `${base}/${root!.id}/series/rule`,
      body: { recurrence: "FREQ=WEEKLY;BYDAY=MO" },
    });
    assert.equal(same.json<TaskSnapshot>().version, 2);
  });

  test("switching to repeat from completion; a rule with no meaning there is a 400 naming recurrence", async () => {
    const [root, head] = await chain("otto", 1);
    const url = `${base}/${root!.id}/series/rule`;
    const bad = await h.as("otto", { method: "PUT", url, body: { recurrence: "FREQ=WEEKLY;BYDAY=MO", repeatFrom: "completion" } });
    assert.deepEqual([bad.status, fieldsOf(bad)], [400, ["recurrence"]]);
    assert.match(bad.json<ProblemJson>().errors![0]!.message, /BYDAY has no meaning/);
    const ok = await h.as("otto", { method: "PUT", url, body: { recurrence: "FREQ=DAILY;INTERVAL=3;BYHOUR=9", repeatFrom: "completion" } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.json<TaskSnapshot>().id, ok.json<TaskSnapshot>().repeatFrom], [head!.id, "completion"]);
    for (const body of [{}, { recurrence: "FREQ=SOMETIMES" }, { recurrence: null }, { recurrence: "FREQ=DAILY", repeatFrom: "never" }])
      assert.equal((await h.as("otto", { method: "PUT", url, body })).status, 400, JSON.stringify(body));
  });

  test("no open occurrence (the next one is on its way) is 409", async () => {
    const [root] = await chain("otto", 0);
    await post("otto", `${base}/${root!.id}/complete`);
    const res = await h.as("otto", { method: "PUT", url: `${base}/${root!.id}/series/rule`, body: { recurrence: "FREQ=WEEKLY" } });
    assert.equal(res.status, 409);
  });
});

describe("repeat from completion on create and PATCH", () => {
  test("stored and returned; its rule is checked for this mode, naming recurrence", async () => {
    const t = await create("cora", { ...recurring, recurrence: "FREQ=DAILY;INTERVAL=3;BYHOUR=9;BYMINUTE=0", repeatFrom: "completion" });
    assert.equal(t.repeatFrom, "completion");
    const bad = await h.as("cora", {
      method: "POST",
      url: base,
      body: { ...recurring, recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", repeatFrom: "completion" },
    });
    assert.deepEqual([bad.status, fieldsOf(bad)], [400, ["recurrence"]]);
    const patch = await h.as("cora", { method: "PATCH", url: `${base}/${t.id}`, body: { repeatFrom: "schedule" } });
    assert.equal(patch.json<TaskSnapshot>().repeatFrom, "schedule");
    const back = await h.as("cora", {
      method: "PATCH",
      url: `${base}/${t.id}`,
      body: { recurrence: "FREQ=WEEKLY;BYDAY=MO", repeatFrom: "completion" },
    });
    assert.deepEqual([back.status, fieldsOf(back)], [400, ["recurrence"]]);
    assert.equal((await create("cora", { title: "plain" })).repeatFrom, "schedule");
  });
});
