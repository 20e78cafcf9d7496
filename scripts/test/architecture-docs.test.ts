import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { ServiceSpec, TopicSpec } from "@tasks/catalog";
import { architectureDoc, eventFlowDiagram, refreshDoc } from "../lib/architecture-diagrams.js";

describe("docs/ARCHITECTURE.md", () => {
  it("holds the tables and the event-flow diagram generated from the catalog", () => {
    const doc = readFileSync(architectureDoc, "utf8");
    assert.equal(refreshDoc(doc), doc, "out of date: run npx tsx scripts/lib/architecture-diagrams.ts --write");
  });

  it("names a missing generated block", () => {
    assert.throws(() => refreshDoc("no markers", { topics: "x" }), {
      message: "docs/ARCHITECTURE.md has no <!-- generated:topics --> block",
    });
  });
});

describe("eventFlowDiagram", () => {
  const topic: TopicSpec = { name: "a.b", eventType: "com.tasks.a.b", partitions: 1, retentionDays: 1, deadLetterTopic: "a.b.dlq" };
  const base = {
    description: "",
    publicRoutes: [],
    invokes: [],
    dapr: ["pubsub"],
    egress: [],
    scaling: { min: 1, max: 1, targetCpuPercent: 70 },
    resources: { cpuRequest: "1", memoryRequest: "1", cpuLimit: "1", memoryLimit: "1" },
  } as const;
  const pub = { ...base, name: "tasks-api", port: 1, publishes: ["a.b"], subscribes: [] } as unknown as ServiceSpec;
  const sub = {
    ...base,
    name: "audit",
    port: 2,
    publishes: [],
    subscribes: [{ topic: "a.b", route: "/events/a.b" }],
    invokes: [{ app: "tasks-api", method: "GET", path: "/x" }],
  } as unknown as ServiceSpec;

  it("draws publish, delivery, invocation and dead-letter edges from the catalog", () => {
    const d = eventFlowDiagram([pub, sub], [topic]);
    assert.match(d, /^ {2}svc_tasks_api -->\|publish\| topic_a_b$/m);
    assert.match(d, /^ {2}topic_a_b -->\|\/events\/a\.b\| svc_audit$/m);
    assert.match(d, /^ {2}svc_audit -\.->\|invoke GET \/x\| svc_tasks_api$/m);
    assert.match(d, /^ {2}topic_a_b -\.->\|dropped or retries exhausted\| dlq_a_b_dlq$/m);
  });

  it("draws no dead-letter edge for a topic nobody subscribes to", () => {
    assert.doesNotMatch(eventFlowDiagram([pub], [topic]), /dropped/);
  });
});
