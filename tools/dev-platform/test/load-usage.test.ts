import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { formatCpuCeiling, formatIdleUsage } from "../src/load-run.js";
import { cpuPerRequest, memoryKb, sampleUsage, usageBetween, type UsageSample } from "../src/load-usage.js";

const sample = (at: number, ticks: Record<string, number>): UsageSample => ({
  at,
  byLabel: Object.fromEntries(Object.entries(ticks).map(([l, cpu]) => [l, { cpu, rssKb: 1024 }])),
});

describe("CPU per request", () => {
  // 60 s of steady phase, 3,000 requests: tasks-api 600 ticks (6 s) → 2 ms each, kafka 300 ticks → 1 ms each.
  const from = sample(0, { kafka: 1_000, "tasks-api": 500, postgres: 100, "load driver": 50 });
  const to = sample(60_000, { kafka: 1_300, "tasks-api": 1_100, postgres: 250, "load driver": 350 });

  it("divides each process's CPU time between the samples by the requests answered in between", () => {
    const c = cpuPerRequest(from, to, 3_000, 2);
    assert.deepEqual(c.byLabel, { kafka: 1, "load driver": 1, postgres: 0.5, "tasks-api": 2 });
    assert.equal(c.requests, 3_000);
  });

  it("sums the platform without the load driver, and the request rate that CPU allows on the cores", () => {
    const c = cpuPerRequest(from, to, 3_000, 2);
    assert.equal(c.platformMs, 3.5);
    assert.equal(Math.round(c.ceilingPerSecond), Math.round(2_000 / 3.5));
    assert.equal(cpuPerRequest(from, to, 3_000, 4).ceilingPerSecond, 2 * c.ceilingPerSecond);
  });

  it("counts a process that appeared between the samples from zero, and gives no ceiling without requests", () => {
    const c = cpuPerRequest(sample(0, {}), sample(1_000, { "daprd audit": 20 }), 10, 2);
    assert.equal(c.byLabel["daprd audit"], 20);
    assert.equal(cpuPerRequest(from, to, 0, 2).ceilingPerSecond, 0);
  });

  it("is printed as one line with the platform's total, the driver's share and the ceiling", () => {
    const line = formatCpuCeiling(cpuPerRequest(from, to, 3_000, 2), 2);
    assert.match(line, /platform 3\.50 \(load driver 1\.00 more\) over 3000 steady-phase requests → CPU ceiling 571 req\/s on 2 cores/);
  });
});

describe("idle usage", () => {
  it("prints CPU % per process over the interval and the platform's total without the driver", () => {
    const rows = usageBetween(sample(0, { kafka: 0, "load driver": 0 }), sample(10_000, { kafka: 150, "load driver": 100 }), []);
    const text = formatIdleUsage(rows, 10);
    assert.match(text, /\| kafka \| 15\.0 \|/);
    assert.match(text, /\| platform total \| 15\.0 \|/);
  });

  it("labels this process's children named scheduler and sentry as the Dapr control plane", async (t) => {
    // A copy of `sleep` named `scheduler`: /proc/<pid>/stat's comm is the executable's name, as for daprd's scheduler.
    const dir = mkdtempSync(path.join(tmpdir(), "load-usage-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync("/bin/sleep", path.join(dir, "scheduler"));
    chmodSync(path.join(dir, "scheduler"), 0o755);
    const child = spawn(path.join(dir, "scheduler"), ["30"], { stdio: "ignore" });
    t.after(() => child.kill());
    await once(child, "spawn");
    const s = sampleUsage({});
    assert.ok(s.byLabel["dapr scheduler"], `no "dapr scheduler" in ${Object.keys(s.byLabel).join(", ")}`);
    assert.equal(s.byLabel["dapr sentry"], undefined);
  });

  it("reads a process's memory, and 0 for one that exited since /proc was listed (a Postgres backend)", async () => {
    assert.ok(memoryKb(process.pid) > 0);
    const child = spawn("true");
    await once(child, "exit");
    assert.equal(memoryKb(child.pid!), 0);
  });

  it("samples this process's own CPU from /proc", () => {
    const a = sampleUsage({});
    const until = Date.now() + 100;
    while (Date.now() < until); // burn ~10 ticks
    const b = sampleUsage({});
    assert.ok(b.byLabel["load driver"]!.cpu > a.byLabel["load driver"]!.cpu);
  });
});

describe("CPU per request beyond the idle baseline", () => {
  it("takes the platform's CPU at rest out of the per-request cost and out of the cores left for requests", () => {
    // 60 s, 3,000 requests, kafka 600 ticks (2 ms each) of which 4 % of a core (240 ticks, 0.8 ms each) is its idle cost.
    const from = sample(0, { kafka: 0, "load driver": 0 });
    const to = sample(60_000, { kafka: 600, "load driver": 600 });
    const c = cpuPerRequest(from, to, 3_000, 2, { kafka: 4, "load driver": 50 });
    assert.equal(c.platformMs, 2);
    assert.ok(Math.abs(c.marginal!.ms - 1.2) < 1e-9, String(c.marginal!.ms));
    // 2,000 ms per second of cores minus 40 ms per second at rest (the driver's excluded), over 1.2 ms per request.
    assert.ok(Math.abs(c.marginal!.ceilingPerSecond - 1_960 / 1.2) < 1e-6);
    assert.equal(cpuPerRequest(from, to, 3_000, 2).marginal, undefined);
    assert.match(formatCpuCeiling(c, 2), /beyond the idle baseline 1\.20 ms per request → ceiling 1633 req\/s/);
  });
});
