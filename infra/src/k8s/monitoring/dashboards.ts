import { allTopics, brokerMetrics, daprMetrics, serviceMetrics } from "@tasks/catalog";
import { watchedConsumerGroups } from "./rules.js";

export interface DashboardPanel {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
}

const m = serviceMetrics;
const d = daprMetrics;
const b = brokerMetrics;
const groups = () => `consumergroup=~"${watchedConsumerGroups().join("|")}"`;
const catalogTopics = () => `topic=~"${allTopics.map((t) => t.name.replace(/\./g, "\\\\.")).join("|")}"`;
/** `expr`, or 0 for each series of `zeros` when `expr` has none: a failure counter reads 0 while nothing failed, not "No data". */
const orZero = (expr: string, zeros: string) => `${expr} or ${zeros} * 0`;
const q = (expr: string, legend: string) => ({ expr, legend });
const p95 = (metric: string, by: string) => `histogram_quantile(0.95, sum by (${by}, le) (rate(${metric}_bucket[$__rate_interval])))`;

export const dashboards: readonly DashboardSpec[] = [
  {
    uid: "tasks-event-throughput",
    title: "Tasks / Event throughput",
    panels: [
      {
        title: "Published by topic",
        unit: "ops",
        queries: [q(`sum by (topic) (rate(${m.eventsPublished}[$__rate_interval]))`, "{{topic}}")],
      },
      {
        title: "Consumed by service and result",
        unit: "ops",
        queries: [q(`sum by (service, result) (rate(${m.eventsConsumed}[$__rate_interval]))`, "{{service}} {{result}}")],
      },
      {
        title: "Sidecar pub/sub traffic",
        unit: "ops",
        queries: [
          q(`sum by (app_id) (rate(${d.pubsubEgressCount}[$__rate_interval]))`, "{{app_id}} out"),
          q(`sum by (app_id, process_status) (rate(${d.pubsubIngressCount}[$__rate_interval]))`, "{{app_id}} in {{process_status}}"),
        ],
      },
      {
        title: "Notifications delivered",
        unit: "ops",
        queries: [q(`sum by (channel, result) (rate(${m.notificationsDelivered}[$__rate_interval]))`, "{{channel}} {{result}}")],
      },
      { title: "Open WebSockets", unit: "short", queries: [q(`sum(${m.websocketConnections})`, "connections")] },
    ],
  },
  {
    uid: "tasks-consumer-lag",
    title: "Tasks / Consumer lag",
    panels: [
      {
        title: "Consume lag p95 by service and topic",
        unit: "s",
        queries: [q(p95(m.eventConsumeLag, "service, topic"), "{{service}} {{topic}}")],
      },
      {
        title: "Outbox lag and backlog",
        unit: "s",
        queries: [
          q(`max by (service) (${m.outboxLag})`, "{{service}} lag"),
          q(`sum by (service) (${m.outboxPending})`, "{{service}} pending"),
        ],
      },
      { title: "Sidecar delivery latency p95", unit: "ms", queries: [q(p95(d.pubsubIngressLatency, "app_id"), "{{app_id}}")] },
      {
        title: "Broker lag by consumer group",
        unit: "short",
        queries: [q(`sum by (consumergroup, topic) (${b.consumerGroupLag}{${groups()}})`, "{{consumergroup}} {{topic}}")],
      },
      {
        title: "Consumed and produced (broker offsets)",
        unit: "ops",
        queries: [
          q(`sum by (consumergroup, topic) (rate(${b.consumerGroupOffset}{${groups()}}[$__rate_interval]))`, "{{consumergroup}} {{topic}}"),
          q(`sum by (topic) (rate(${b.topicOffset}{${catalogTopics()}}[$__rate_interval]))`, "produced {{topic}}"),
        ],
      },
    ],
  },
  {
    uid: "tasks-error-rate",
    title: "Tasks / Errors",
    panels: [
      {
        title: "HTTP 5xx ratio",
        unit: "percentunit",
        queries: [
          q(
            `(${orZero(
              `sum by (service) (rate(${m.httpRequestDuration}_count{status=~"5.."}[$__rate_interval]))`,
              `sum by (service) (rate(${m.httpRequestDuration}_count[$__rate_interval]))`,
            )}) / sum by (service) (rate(${m.httpRequestDuration}_count[$__rate_interval]))`,
            "{{service}}",
          ),
        ],
      },
      {
        title: "Event failures",
        unit: "ops",
        queries: [
          q(
            orZero(
              `sum by (service, stage) (rate(${m.eventsFailed}[$__rate_interval]))`,
              `sum by (service) (rate(${m.eventsConsumed}[$__rate_interval]))`,
            ),
            "{{service}} {{stage}}",
          ),
        ],
      },
      {
        title: "Dead-lettered events",
        unit: "short",
        queries: [
          q(
            orZero(
              `sum by (service, topic) (increase(${m.eventsDeadLettered}[1h]))`,
              `sum by (service, topic) (increase(${m.eventsConsumed}[1h]))`,
            ),
            "{{service}} {{topic}}",
          ),
        ],
      },
      {
        title: "Resiliency activations",
        unit: "short",
        // daprd exports the counter only after a policy's first activation: 0 per sidecar until then, not "No data".
        queries: [
          q(
            orZero(
              `sum by (app_id, policy) (increase(${d.resiliencyActivations}[1h]))`,
              `sum by (app_id) (increase(${d.httpServerRequestCount}[1h]))`,
            ),
            "{{app_id}} {{policy}}",
          ),
        ],
      },
      {
        title: "SMTP sends by result",
        unit: "ops",
        queries: [q(`sum by (service, result) (rate(${m.smtpSends}[$__rate_interval]))`, "{{service}} {{result}}")],
      },
      {
        title: "SMTP circuit breaker state",
        unit: "short",
        queries: [q(`max by (service, state) (${m.smtpCircuitState})`, "{{service}} {{state}}")],
      },
    ],
  },
  {
    uid: "tasks-latency",
    title: "Tasks / Latency",
    panels: [
      { title: "HTTP p95 by service", unit: "s", queries: [q(p95(m.httpRequestDuration, "service"), "{{service}}")] },
      { title: "Sidecar HTTP server p95", unit: "ms", queries: [q(p95(d.httpServerLatency, "app_id"), "{{app_id}}")] },
      {
        title: "Sidecar HTTP requests",
        unit: "ops",
        queries: [q(`sum by (app_id) (rate(${d.httpServerRequestCount}[$__rate_interval]))`, "{{app_id}}")],
      },
      { title: "Reminder lateness p95", unit: "s", queries: [q(p95(m.reminderLateness, "channel"), "{{channel}}")] },
    ],
  },
];

/** A Grafana dashboard model (schema 39) for the spec, with time-series panels on a 2-column grid. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  return {
    uid: spec.uid,
    title: spec.title,
    tags: ["tasks"],
    schemaVersion: 39,
    editable: false,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    templating: { list: [] },
    panels: spec.panels.map((panel, i) => ({
      id: i + 1,
      type: "timeseries",
      title: panel.title,
      datasource: { type: "prometheus", uid: "prometheus" },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.queries.map((query, j) => ({ refId: String.fromCharCode(65 + j), expr: query.expr, legendFormat: query.legend })),
    })),
  };
}
