/**
 * Optimistic concurrency on PATCH (src/preconditions.ts): GET and PATCH answer the task's version as its ETag;
 * a PATCH with If-Match applies only while the task still has that version (checked under the row lock), else
 * 412 with the current ETag and nothing written; a malformed If-Match is a 400 naming the header; no If-Match
 * keeps the last-write-wins behaviour. The acting-user route the mcp server calls carries the header the same way.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { actingUserPath } from "@tasks/catalog";
import type { TaskSnapshot } from "@tasks/shared";
import { daprHeaders, request } from "@tasks/shared/testing";
import { fieldsOf, startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const base = "/api/v1/tasks";
const create = async (title: string): Promise<TaskSnapshot> =>
  (await h.as("alice", { method: "POST", url: base, body: { title, tags: ["work"] } })).json<TaskSnapshot>();
const patch = (id: string, body: unknown, ifMatch?: string) =>
  h.as("alice", { method: "PATCH", url: `${base}/${id}`, body, ...(ifMatch === undefined ? {} : { headers: { "if-match": ifMatch } }) });

describe("PATCH with If-Match", () => {
  test("GET and PATCH give the version as ETag; a matching If-Match applies, a stale one is 412 and writes nothing", async () => {
    const t = await create("Pack");
    const got = await h.as("alice", { url: `${base}/${t.id}` });
    assert.equal(got.headers.etag, '"1"');
    const ok = await patch(t.id, { tags: ["work", "home"] }, '"1"');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers.etag, '"2"');
    assert.deepEqual([ok.json<TaskSnapshot>().version, ok.json<TaskSnapshot>().tags], [2, ["work", "home"]]);

    const stale = await patch(t.id, { tags: ["work"] }, '"1"');
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.etag, '"2"');
    assert.match(String(stale.headers["content-type"]), /application\/problem\+json/);
    assert.match(stale.json<ProblemJson>().detail ?? "", /at version 2, not 1/);
    const now = (await h.as("alice", { url: `${base}/${t.id}` })).json<TaskSnapshot>();
    assert.deepEqual([now.version, now.tags], [2, ["work", "home"]]);
    const events = await h.knex("outbox").where({ aggregate_id: t.id }).count<{ count: string }[]>("* as count");
    assert.equal(Number(events[0]!.count), 2, "created + one update: the refused PATCH wrote no event");
  });

  test("a list of tags matches any; * matches any existing task; a weak tag never matches (strong comparison)", async () => {
    const t = await create("List");
    assert.equal((await patch(t.id, { priority: "high" }, '"7", "1"')).status, 200);
    assert.equal((await patch(t.id, { priority: "low" }, "*")).status, 200);
    assert.equal((await patch(t.id, { priority: "high" }, 'W/"3"')).status, 412);
    assert.equal((await patch(t.id, { priority: "high" })).status, 200, "without If-Match the last write wins, as before");
    assert.equal((await patch("0b5c1f9e-7c1a-4e0b-9a37-3a5f2d1c0e11", { priority: "high" }, "*")).status, 404);
  });

  test("a malformed If-Match is a 400 naming the header", async () => {
    const t = await create("Bad");
    for (const v of ["1", '"1', "W/1", '"1" "2"']) {
      const res = await patch(t.id, { priority: "high" }, v);
      assert.equal(res.status, 400, v);
      assert.deepEqual(fieldsOf(res), ["If-Match"]);
    }
  });

  test("two writers with the same version at once: exactly one applies, the other gets 412", async () => {
    const t = await create("Race");
    const results = await Promise.all([patch(t.id, { tags: ["work", "a"] }, '"1"'), patch(t.id, { tags: ["work", "b"] }, '"1"')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 412]);
    const winner = results.find((r) => r.status === 200)!.json<TaskSnapshot>();
    const now = (await h.as("alice", { url: `${base}/${t.id}` })).json<TaskSnapshot>();
    assert.deepEqual([now.version, now.tags], [2, winner.tags]);
  });

  test("the mcp server's acting-user route honours If-Match too", async () => {
    const t = await create("Via mcp");
    const viaMcp = (ifMatch: string) =>
      request(h.app, {
        method: "PATCH",
        url: actingUserPath("alice", `${base}/${t.id}`),
        headers: { ...daprHeaders, "dapr-caller-app-id": "mcp", "if-match": ifMatch },
        body: { tags: ["x"] },
      });
    assert.equal((await viaMcp('"1"')).status, 200);
    assert.equal((await viaMcp('"1"')).status, 412);
  });
});
