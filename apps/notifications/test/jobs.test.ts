/** The Jobs API client against a real HTTP server, and the job naming scheme. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startFakeSidecar, type FakeSidecar } from "@tasks/shared/testing";
import {
  deferralJobName,
  digestJobName,
  isDigestJobName,
  jobsClient,
  JobsApiError,
  parseJobName,
  reminderJobName,
  snoozeJobName,
} from "../src/index.js";

describe("job names", () => {
  const id = "0b6f3c2e-8f4a-4d8e-9a51-2f1c3b4d5e6f";
  test("one name per task and offset; deferrals are numbered; names parse back", () => {
    assert.equal(reminderJobName(id, 15), `reminder-${id}-15`);
    assert.equal(reminderJobName(id.toUpperCase(), 15), `reminder-${id}-15`);
    assert.equal(deferralJobName(reminderJobName(id, 0), 2), `reminder-${id}-0-d2`);
    assert.deepEqual(parseJobName(`reminder-${id}-15`), { reminder: `reminder-${id}-15`, kind: "reminder", deferral: 0 });
    assert.deepEqual(parseJobName(`reminder-${id}-0-d2`), { reminder: `reminder-${id}-0`, kind: "reminder", deferral: 2 });
    assert.equal(snoozeJobName(id.toUpperCase()), `snooze-${id}`);
    assert.deepEqual(parseJobName(`snooze-${id}`), { reminder: `snooze-${id}`, kind: "snooze", deferral: 0 });
    assert.deepEqual(parseJobName(`snooze-${id}-d1`), { reminder: `snooze-${id}`, kind: "snooze", deferral: 1 });
    for (const bad of ["reminder-x-1", `reminder-${id}`, `reminder-${id}--1`, `other-${id}-1`, `reminder-${id}-1-dx`, `snooze-${id}-1`])
      assert.equal(parseJobName(bad), undefined, bad);
  });
  test("a digest job per user and minute; the user id is hashed", () => {
    const name = digestJobName("user a/ü", new Date("2025-06-02T09:00:00Z"));
    assert.match(name, /^digest-[0-9a-f]{16}-29147580$/);
    assert.equal(digestJobName("user a/ü", new Date("2025-06-02T09:00:59Z")), name);
    assert.notEqual(digestJobName("user b", new Date("2025-06-02T09:00:00Z")), name);
    assert.ok(isDigestJobName(name));
    assert.equal(isDigestJobName(`reminder-${id}-1`), false);
    assert.equal(parseJobName(name), undefined);
  });
  test("rejects a negative or fractional offset", () => {
    assert.throws(() => reminderJobName(id, -1), new RangeError("reminder offset must be a whole number of minutes >= 0, got -1"));
    assert.throws(() => reminderJobName(id, 1.5), RangeError);
  });
});

describe("jobsClient", () => {
  let sidecar: FakeSidecar;
  const jobs = new Map<string, string>();
  before(async () => {
    sidecar = await startFakeSidecar();
    sidecar.onRequest = (req, res) => {
      const m = /^\/v1\.0-alpha1\/jobs\/(.+)$/.exec(req.path);
      if (!m) return false;
      const name = decodeURIComponent(m[1]!);
      if (name === "broken")
        return (res.writeHead(500, { "content-type": "application/json" }).end('{"errorCode":"ERR_SCHEDULE_JOB"}'), true);
      if (req.method === "POST") return (jobs.set(name, req.body), res.writeHead(204).end(), true);
      if (req.method === "GET")
        return (
          jobs.has(name)
            ? res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name, ...JSON.parse(jobs.get(name)!) }))
            : res.writeHead(404).end(),
          true
        );
      if (req.method === "DELETE") return (jobs.delete(name) ? res.writeHead(204).end() : res.writeHead(404).end(), true);
      return false;
    };
  });
  after(() => sidecar.close());

  test("schedule, get and delete with the sidecar's HTTP API", async () => {
    const client = jobsClient({ daprHttpUrl: sidecar.url });
    await client.schedule("j1", {
      dueTime: "2025-01-01T00:00:00Z",
      data: { a: 1 },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 3 } },
    });
    const post = sidecar.requests.find((r) => r.method === "POST" && r.path === "/v1.0-alpha1/jobs/j1");
    assert.equal(post?.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(post!.body), {
      dueTime: "2025-01-01T00:00:00Z",
      data: { a: 1 },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 3 } },
    });
    assert.deepEqual(await client.get("j1"), {
      name: "j1",
      dueTime: "2025-01-01T00:00:00Z",
      data: { a: 1 },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 3 } },
    });
    await client.delete("j1");
    assert.equal(await client.get("j1"), undefined);
    await client.delete("j1"); // missing: not an error
  });

  test("a sidecar error is a JobsApiError naming the job and status", async () => {
    const client = jobsClient({ daprHttpUrl: sidecar.url });
    await assert.rejects(client.schedule("broken", { dueTime: "1h" }), (err: unknown) => {
      assert.ok(err instanceof JobsApiError);
      assert.equal(err.message, 'Jobs API schedule "broken" failed: HTTP 500 {"errorCode":"ERR_SCHEDULE_JOB"}');
      assert.equal(err.status, 500);
      return true;
    });
  });
});
