import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brokerMetrics, daprMetrics, metricKinds, queryableMetricNames, serviceMetrics } from "@tasks/catalog";
import {
  alertRules,
  dashboardConfigMapManifests,
  dashboardJson,
  dashboards,
  metricNamesIn,
  unknownMetricUses,
  unknownMetricsIn,
} from "../../src/k8s/index.js";

describe("metric names in rules and dashboards", () => {
  it("extracts the metric names of a PromQL expression, not functions, labels, keywords or variables", () => {
    assert.deepEqual(metricNamesIn('sum by (service, le) (rate(http_request_duration_seconds_bucket{status=~"5..", route!="/x y"}[5m]))'), [
      "http_request_duration_seconds_bucket",
    ]);
    assert.deepEqual(metricNamesIn("max by (service) (outbox_lag_seconds) > 60 and on(service) outbox_pending_events > 0"), [
      "outbox_lag_seconds",
      "outbox_pending_events",
    ]);
    assert.deepEqual(metricNamesIn("histogram_quantile(0.95, sum without (pod) (rate(x_bucket[$__rate_interval]) offset 1h))"), [
      "x_bucket",
    ]);
    assert.deepEqual(metricNamesIn('count(up{job="a"}) / ignoring(instance) group_left sum(events_consumed_total) bool 1e3'), [
      "events_consumed_total",
      "up",
    ]);
  });

  it("flags unknown metrics, histograms queried without a series suffix, and suffixes on counters", () => {
    assert.deepEqual(unknownMetricsIn("rate(tasks_created_total[5m])"), ["tasks_created_total"]);
    assert.deepEqual(unknownMetricsIn("rate(http_request_duration_seconds[5m])"), ["http_request_duration_seconds"]);
    assert.deepEqual(unknownMetricsIn("rate(events_published_total_bucket[5m])"), ["events_published_total_bucket"]);
    assert.deepEqual(unknownMetricsIn("rate(dapr_http_server_latency_bucket[5m]) + rate(events_published_total[5m])"), []);
  });

  it("knows the type of every service, Dapr and broker metric in the catalog", () => {
    assert.deepEqual(
      Object.keys(metricKinds).sort(),
      [...Object.values(serviceMetrics), ...Object.values(daprMetrics), ...Object.values(brokerMetrics)].sort(),
    );
    assert.ok(queryableMetricNames().has("reminder_lateness_seconds_bucket"));
    assert.ok(!queryableMetricNames().has("reminder_lateness_seconds"));
  });

  it("uses only metrics the services or the Dapr sidecar export, in every rule and dashboard query", () => {
    assert.deepEqual(unknownMetricUses(), []);
    const used = new Set(
      [...alertRules.map((r) => r.expr), ...dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.expr)))].flatMap(
        metricNamesIn,
      ),
    );
    assert.ok(used.size >= 12, `only ${used.size} metrics used`);
  });

  it("alerts on error rate, p95 latency, consumer lag, dead letters and reminder lateness", () => {
    const on = (metric: string) => alertRules.filter((r) => metricNamesIn(r.expr).includes(metric)).map((r) => r.alert);
    assert.deepEqual(on(`${serviceMetrics.httpRequestDuration}_count`), ["TasksHighErrorRate"]);
    assert.deepEqual(on(`${serviceMetrics.httpRequestDuration}_bucket`), ["TasksHighLatencyP95"]);
    assert.deepEqual(on(`${serviceMetrics.eventConsumeLag}_bucket`), ["TasksConsumerLagHigh"]);
    assert.deepEqual(on(serviceMetrics.eventsDeadLettered), ["TasksDeadLetters"]);
    assert.deepEqual(on(daprMetrics.pubsubIngressCount), ["TasksDeadLetterDepthGrowing"]);
    assert.deepEqual(on(`${serviceMetrics.reminderLateness}_bucket`), ["TasksReminderLate"]);
    assert.deepEqual(on(serviceMetrics.smtpCircuitState), ["TasksSmtpCircuitOpen"]);
    assert.deepEqual(on(serviceMetrics.smtpSends), ["TasksSmtpSendFailures"]);
    assert.deepEqual(on(brokerMetrics.consumerGroupLag), ["TasksConsumerGroupLagHigh", "TasksConsumerStalled"]);
    assert.deepEqual(on(brokerMetrics.consumerGroupOffset), ["TasksConsumerStalled"]);
    for (const r of alertRules) assert.match(r.for, /^\d+m$/);
  });

  it("shows the notification service's own SMTP metrics and the broker's lag, not an output binding nobody calls", () => {
    const panels = dashboards.flatMap((d) => d.panels);
    const uses = (metric: string) =>
      panels.filter((p) => p.queries.some((x) => metricNamesIn(x.expr).includes(metric))).map((p) => p.title);
    assert.deepEqual(uses(serviceMetrics.smtpSends), ["SMTP sends by result"]);
    assert.deepEqual(uses(serviceMetrics.smtpCircuitState), ["SMTP circuit breaker state"]);
    assert.deepEqual(uses(brokerMetrics.consumerGroupLag), ["Broker lag by consumer group"]);
    assert.ok(!panels.some((p) => /binding/i.test(p.title)));
  });

  it("ships the four dashboards as JSON in ConfigMaps the Grafana sidecar picks up", () => {
    assert.deepEqual(
      dashboards.map((d) => d.title),
      ["Tasks / Event throughput", "Tasks / Consumer lag", "Tasks / Errors", "Tasks / Latency"],
    );
    const cms = dashboardConfigMapManifests();
    for (const cm of cms) {
      assert.equal(cm.metadata.labels.grafana_dashboard, "1");
      const [file, json] = Object.entries(cm.data)[0]!;
      const model = JSON.parse(json) as { uid: string; panels: { targets: { expr: string }[] }[] };
      assert.equal(file, `${model.uid}.json`);
      assert.ok(model.panels.every((p) => p.targets.length > 0));
    }
    const model = dashboardJson(dashboards[0]!) as { panels: { gridPos: { x: number; y: number } }[] };
    assert.deepEqual(
      model.panels.slice(0, 3).map((p) => [p.gridPos.x, p.gridPos.y]),
      [
        [0, 0],
        [12, 0],
        [0, 8],
      ],
    );
  });
});
