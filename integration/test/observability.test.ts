/**
 * Observability against the real platform: the sidecars export their spans over OTLP/HTTP to a test receiver,
 * and a real Prometheus (Debian's) scrapes every service and every daprd.
 * - One trace id spans tasks-api → Kafka → recurrence → tasks-api for a completed recurring task.
 * - No empty panel: every dashboard query and every alert's query returns series once the platform has done its
 *   work (a recurring task, a reminder email, a WebSocket client); an alert that only fires on failure must parse
 *   and select metrics the targets declare. Broker-side series (kafka_consumergroup_*, kafka_topic_*) come from the
 *   lag exporter (danielqsj/kafka_exporter), which cannot be built here: its queries must parse, and are the only
 *   ones allowed to be empty.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { after, test } from "node:test";
import { brokerMetrics, daprMetrics, topics } from "@tasks/catalog";
import { startDevPrometheus, type DevPrometheus } from "@tasks/dev-platform/dev-prometheus";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "@tasks/dev-platform/otlp-receiver";
import { alertDefinitions, dashboards, metricNamesIn } from "@tasks/infra/k8s/monitoring/index";
import { api, connectRealtime, eventually, logLinesAbout, useTestPlatform, waitRealtimeLive } from "./helpers.js";

let otlp: OtlpReceiver;
let prometheus: DevPrometheus;
const platform = useTestPlatform({
  beforeStart: async () => {
    otlp = await startOtlpReceiver();
  },
  tracingEndpoint: () => ({ address: otlp.address, protocol: "http" }),
  setUp: async (p) => {
    prometheus = await startDevPrometheus(
      path.join(p.workDir, "prometheus"),
      Object.values(p.services).flatMap((s) => [
        { job: s.name, address: `127.0.0.1:${s.appPort}` },
        // The web app runs no sidecar (catalog runsDaprSidecar).
        ...(s.daprMetricsPort ? [{ job: `daprd-${s.name}`, address: `127.0.0.1:${s.daprMetricsPort}` }] : []),
      ]),
      { intervalSeconds: 1 },
    );
    await waitRealtimeLive(p, "realtime-probe");
  },
  tearDown: async () => {
    await prometheus?.stop();
  },
});
// Registered after useTestPlatform's: runs once the platform has stopped.
after(async () => {
  await otlp?.stop();
});

interface Task {
  id: string;
  seriesId: string | null;
}

const brokerNames = new Set<string>(Object.values(brokerMetrics));
/** A query that only the lag exporter feeds (every metric it selects is broker-side). */
const brokerOnly = (expr: string) => metricNamesIn(expr).every((n) => brokerNames.has(n));
const spanLine = (s: ReceivedSpan) => `${s.service}: ${s.name} (kind ${s.kind}, span ${s.spanId} parent ${s.parentSpanId || "none"})`;

test("one trace id spans tasks-api → Kafka → recurrence → tasks-api for a completed recurring task", { timeout: 120_000 }, async () => {
  const token = await platform().token(`trace-${randomUUID()}`);
  const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
  const created = await api<Task>(tasksUrl, token, {
    body: { title: "traced series", dueAt: "2027-05-03T09:00:00Z", timeZone: "UTC", recurrence: "FREQ=WEEKLY" },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const completed = await api(`${tasksUrl}/${created.body.id}/complete`, token, { method: "POST" });
  assert.equal(completed.status, 200);
  await eventually("the next occurrence", 30_000, async () => {
    const list = await api<{ items: Task[] }>(`${tasksUrl}?limit=10`, token);
    return list.body.items.find((t) => t.seriesId === created.body.id);
  });

  // The trace of the completion's event: recurrence consumed it, then invoked tasks-api within the same trace.
  const trace = await eventually("a trace through tasks-api, recurrence and back into tasks-api", 45_000, async () => {
    const byTrace = new Map<string, ReceivedSpan[]>();
    for (const s of otlp.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    return [...byTrace.values()].find((spans) => {
      const recurrence = spans.filter((s) => s.service === "recurrence");
      const consumed = recurrence.some((s) => s.name.includes(topics.taskCompleted.name));
      const published = spans.some((s) => s.service === "tasks-api" && s.name.includes(topics.taskCompleted.name));
      // tasks-api's sidecar serving recurrence's invocation: a child of one of recurrence's spans.
      const recurrenceIds = new Set(recurrence.map((s) => s.spanId));
      const invoked = spans.some((s) => s.service === "tasks-api" && recurrenceIds.has(s.parentSpanId));
      return consumed && published && invoked ? spans : undefined;
    });
  });
  process.stderr.write(
    `trace ${trace[0]!.traceId}: ${trace.length} spans\n${trace.map((s) => `  ${spanLine(s)}`).join("\n")}\n` +
      `OTLP receiver: ${otlp.stats.requests} export requests, ${otlp.stats.rejected} rejected, ${otlp.spans.length} spans\n`,
  );
  // The chain, by parent links: tasks-api's sidecar publishes; recurrence's sidecar delivers the event as a child of
  // the publish span (the CloudEvent's traceparent, carried over Kafka); recurrence's app continues that same context
  // (the event's traceparent) when it invokes tasks-api; tasks-api's sidecar serves the call as its child.
  const one = (service: string, name: string) => {
    const found = trace.filter((s) => s.service === service && s.name.startsWith(name));
    assert.equal(found.length, 1, `${service}: one span ${name}…, got ${found.map(spanLine).join("; ")}`);
    return found[0]!;
  };
  const publish = one("tasks-api", `/v1.0/publish/pubsub/${topics.taskCompleted.name}`);
  const consume = one("recurrence", `pubsub/${topics.taskCompleted.name}`);
  const call = one("recurrence", "CallLocal/tasks-api/");
  const serve = one("tasks-api", "CallLocal/tasks-api/");
  assert.equal(consume.parentSpanId, publish.spanId, "recurrence's delivery is a child of tasks-api's publish");
  assert.equal(call.parentSpanId, publish.spanId, "recurrence invokes tasks-api in the event's trace context");
  assert.equal(serve.parentSpanId, call.spanId, "tasks-api serves the invocation as a child of recurrence's call");
  assert.equal(otlp.stats.rejected, 0);
});

test(
  "no empty panel: every dashboard query and alert query returns series from the real platform, or parses where only failures or the broker feed it",
  { timeout: 180_000 },
  async () => {
    // Work that feeds every service metric: tasks and a recurring completion (above), a reminder email, a WebSocket client.
    const user = `panels-${randomBytes(4).toString("hex")}`;
    const token = await platform().token(user);
    const prefs = await api(`${platform().services.notifications.url}/api/v1/notifications/preferences`, token, {
      method: "PATCH",
      body: { email: `${user}@example.test` },
    });
    assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
    const title = `panel-reminder-${randomBytes(4).toString("hex")}`;
    const reminded = await api<{ id: string }>(`${platform().services["tasks-api"].url}/api/v1/tasks`, token, {
      body: { title, dueAt: new Date(Date.now() + 62_000).toISOString(), timeZone: "UTC", reminders: [1] },
    });
    assert.equal(reminded.status, 201, JSON.stringify(reminded.body));
    const ws = await connectRealtime(`${platform().services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      await eventually(
        "the reminder email",
        45_000,
        async () => platform().smtp.messages.find((m) => m.raw.includes(title)),
        () => logLinesAbout(platform().workDir, "notifications", [reminded.body.id, user]),
      );
      // A resiliency activation (daprd declares its counter only then): recurrence's sidecar retries an invocation of
      // tasks-api while tasks-api's sidecar is down.
      const tasksApi = platform().services["tasks-api"];
      await tasksApi.daprd!.stop();
      try {
        const recurrence = platform().services.recurrence;
        await fetch(`http://127.0.0.1:${recurrence.daprHttpPort}/v1.0/invoke/tasks-api/method/healthz`, {
          headers: { "dapr-api-token": recurrence.daprApiToken! },
          signal: AbortSignal.timeout(30_000),
        }).catch(() => undefined);
      } finally {
        await tasksApi.restartSidecar();
      }
      await eventually("a resiliency activation scraped", 30_000, async () =>
        (await prometheus.query(daprMetrics.resiliencyActivations)).length > 0 ? true : undefined,
      );
      // The restarted sidecar is scraped again (a target's health is that of its last scrape).
      await eventually("every target scraped again", 30_000, async () => ((await prometheus.unhealthyTargets()).length ? undefined : true));
      // The restarted sidecar declares its pub/sub counters only once it publishes, and the old process's series go
      // stale at the restart: publish through it (a task created) before reading the traffic panels.
      const afterRestart = await api(`${tasksApi.url}/api/v1/tasks`, token, {
        body: { title: `panel-after-restart-${randomBytes(4).toString("hex")}` },
      });
      assert.equal(afterRestart.status, 201, JSON.stringify(afterRestart.body));
      await eventually("tasks-api's sidecar publishing again, scraped", 30_000, async () =>
        (await prometheus.query(`${daprMetrics.pubsubEgressCount}{app_id="tasks-api"}`)).length > 0 ? true : undefined,
      );
      // Enough scrapes after the last event for every rate() window to hold two samples of it.
      await new Promise((r) => setTimeout(r, 5_000));
      assert.deepEqual(await prometheus.unhealthyTargets(), []);

      const declared = await prometheus.targetMetricNames();
      const evaluate = async (where: string, expr: string, mustHaveSeries: boolean): Promise<string | undefined> => {
        let series: number;
        try {
          series = (await prometheus.query(expr)).length;
        } catch (err) {
          return `${where}: does not evaluate: ${(err as Error).message}`;
        }
        if (!mustHaveSeries) {
          // Targets declare a histogram by its family name (x), queries select x_bucket, x_sum, x_count.
          const family = (n: string) => n.replace(/_(bucket|sum|count)$/, "");
          const undeclared = metricNamesIn(expr).filter((n) => !brokerNames.has(n) && !declared.has(n) && !declared.has(family(n)));
          return undeclared.length ? `${where}: no target declares ${undeclared.join(", ")}` : undefined;
        }
        return series === 0 ? `${where}: no series` : undefined;
      };

      const problems: string[] = [];
      const checked: string[] = [];
      const brokerFed: string[] = [];
      for (const dash of dashboards) {
        for (const panel of dash.panels) {
          for (const q of panel.queries) {
            const expr = q.expr.replace(/\$__rate_interval/g, "2m");
            const where = `${dash.title} / ${panel.title} [${q.legend}]`;
            const broker = brokerOnly(expr);
            if (broker) brokerFed.push(where);
            else checked.push(where);
            const problem = await evaluate(where, expr, !broker);
            if (problem) problems.push(problem);
          }
        }
      }
      for (const a of alertDefinitions) {
        const where = `alert ${a.alert}`;
        const broker = brokerOnly(a.query);
        if (broker) brokerFed.push(where);
        else checked.push(`${where}${a.failureOnly ? " (failure-only: parses, metrics declared)" : ""}`);
        const problem = await evaluate(where, a.query, !a.failureOnly && !broker);
        if (problem) problems.push(problem);
      }
      process.stderr.write(
        `panels and alerts with series from the real Prometheus: ${checked.length}\n${checked.map((c) => `  ${c}`).join("\n")}\n` +
          `parsed only (broker-side, the lag exporter is not run here): ${brokerFed.length}\n${brokerFed.map((c) => `  ${c}`).join("\n")}\n`,
      );
      assert.deepEqual(problems, []);
      assert.ok(checked.length >= 25, `only ${checked.length} queries checked`);
    } finally {
      ws.close();
    }
  },
);
