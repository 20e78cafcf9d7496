import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { actingUserPath, type ServiceName } from "@tasks/catalog";
import type { TaskSnapshot } from "@tasks/shared";
import { daprHeaders, request } from "@tasks/shared/testing";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
let alices: TaskSnapshot;
before(async () => {
  h = await startHarness();
  alices = (await h.as("alice", { method: "POST", url: "/api/v1/tasks", body: { title: "Alice's" } })).json<TaskSnapshot>();
});
after(() => h.close());

const from = (caller: ServiceName | "someone") => ({ ...daprHeaders, "dapr-caller-app-id": caller });
type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
const as = (user: string, method: Method, path: string, body?: unknown, caller: ServiceName | "someone" = "mcp") =>
  request(h.app, { method, url: actingUserPath(user, path), headers: from(caller), ...(body === undefined ? {} : { body }) });

describe("acting-user routes (catalog actingUserPrefix)", () => {
  test("the mcp app id acts for the user it names: create, list, get, patch, complete, delete, scoped to that user", async () => {
    const created = await as("bob", "POST", "/api/v1/tasks", { title: "Bob's", tags: ["x"] });
    assert.equal(created.status, 201, created.text);
    const task = created.json<TaskSnapshot>();
    assert.equal(task.userId, "bob");
    const list = await as("bob", "GET", "/api/v1/tasks?tags=x&limit=5");
    assert.deepEqual(
      list.json<{ items: TaskSnapshot[] }>().items.map((t) => t.id),
      [task.id],
    );
    assert.equal((await as("bob", "PATCH", `/api/v1/tasks/${task.id}`, { priority: "high" })).json<TaskSnapshot>().priority, "high");
    assert.equal((await as("bob", "POST", `/api/v1/tasks/${task.id}/complete`)).json<TaskSnapshot>().status, "completed");
    // Another user's task is not found for bob, exactly as on the public route.
    assert.equal((await as("bob", "GET", `/api/v1/tasks/${alices.id}`)).status, 404);
    assert.equal((await as("bob", "DELETE", `/api/v1/tasks/${alices.id}`)).status, 404);
    assert.equal((await as("bob", "DELETE", `/api/v1/tasks/${task.id}`)).status, 204);
    assert.equal((await h.as("alice", { url: `/api/v1/tasks/${alices.id}` })).status, 200);
  });

  test("another caller, a verb the catalog does not grant, or no app token: refused", async () => {
    assert.equal((await as("bob", "GET", "/api/v1/tasks", undefined, "notifications")).status, 403);
    assert.equal((await as("bob", "GET", "/api/v1/tasks", undefined, "someone")).status, 403);
    // PUT is not in mcp's invocations (and not a tasks route).
    assert.equal((await as("bob", "PUT", `/api/v1/tasks/${alices.id}`, { title: "x" })).status, 403);
    // Only the public API is reachable this way, never another internal route.
    assert.equal((await as("bob", "GET", `/internal/tasks/${alices.id}`)).status, 404);
    const noToken = await request(h.app, { url: actingUserPath("bob", "/api/v1/tasks"), headers: { "dapr-caller-app-id": "mcp" } });
    assert.equal(noToken.status, 401);
  });

  test("the user id is one URL-encoded segment; a control character is a 400 naming userId", async () => {
    const odd = "team/lead ö";
    const created = await as(odd, "POST", "/api/v1/tasks", { title: "Odd" });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json<TaskSnapshot>().userId, odd);
    const bad = await request(h.app, { url: "/internal/users/a%01b/api/v1/tasks", headers: from("mcp") });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /userId/);
  });
});
