import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { documentedRoutes, request, servedRoutes } from "@tasks/shared/testing";
import { listQuerySchema } from "../src/schemas.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

interface Operation {
  parameters?: { name: string; in: string }[];
  operationId?: string;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation> & { parameters?: { name: string; in: string }[] }>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

test("the OpenAPI document at /api/v1/openapi.json documents exactly the routes Express serves", async () => {
  const res = await request(h.app, { url: "/api/v1/openapi.json" });
  assert.equal(res.status, 200);
  const doc = res.json<Doc>();
  assert.equal(doc.openapi, "3.1.0");
  const served = servedRoutes(h.app).filter((r) => !/^GET \/(healthz|readyz|metrics)$/.test(r));
  assert.deepEqual(documentedRoutes(doc).sort(), served.sort());
  // Path parameters are declared for every templated path.
  for (const [path, ops] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const declared = (ops.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
    assert.deepEqual(declared, names, path);
  }
});

test("schemas come from the zod schemas: query parameters and body fields match what the API validates", async () => {
  const doc = (await request(h.app, { url: "/api/v1/openapi.json" })).json<Doc>();
  const params = doc.paths["/api/v1/tasks"]!.get!.parameters!.map((p) => p.name).sort();
  assert.deepEqual(params, Object.keys(listQuerySchema.shape).sort());
  assert.deepEqual(Object.keys(doc.components.schemas.CreateTask!.properties!).sort(), [
    "description",
    "dueAt",
    "priority",
    "recurrence",
    "reminders",
    "repeatFrom",
    "tags",
    "timeZone",
    "title",
  ]);
  assert.deepEqual(Object.keys(doc.components.schemas.Task!.properties!).sort(), [
    "completedAt",
    "createdAt",
    "description",
    "dueAt",
    "id",
    "occurrenceAt",
    "priority",
    "recurrence",
    "reminders",
    "repeatFrom",
    "seriesId",
    "status",
    "tags",
    "timeZone",
    "title",
    "updatedAt",
    "userId",
    "version",
  ]);
  // Every documented operation is really served (a request does not fall through to the 404 handler).
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops).filter((k) => k !== "parameters")) {
      const url = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
      const r = await request(h.app, { method: method.toUpperCase() as "GET", url });
      assert.notEqual(
        (r.body as { detail?: string } | undefined)?.detail,
        `No route for ${method.toUpperCase()} ${url}.`,
        `${method} ${path}`,
      );
    }
  }
});
