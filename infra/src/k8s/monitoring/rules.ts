import { daprMetrics, serviceMetrics } from "@tasks/catalog";

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "warning" | "critical" };
  readonly annotations: { readonly summary: string; readonly description: string };
}

const m = serviceMetrics;
const d = daprMetrics;

/**
 * Alerts on the services' and sidecars' own metrics. Service series carry `service` (the registry's
 * default label); HTTP histograms carry `status`; Dapr series carry `app_id`.
 */
export const alertRules: readonly AlertRule[] = [
  {
    alert: "TasksHighErrorRate",
    expr: `sum by (service) (rate(${m.httpRequestDuration}_count{status=~"5.."}[5m])) / sum by (service) (rate(${m.httpRequestDuration}_count[5m])) > 0.05`,
    for: "10m",
    labels: { severity: "critical" },
    annotations: {
      summary: "More than 5% of {{ $labels.service }} requests fail",
      description: "5xx ratio over 5 minutes is {{ $value | humanizePercentage }}.",
    },
  },
  {
    alert: "TasksHighLatencyP95",
    expr: `histogram_quantile(0.95, sum by (service, le) (rate(${m.httpRequestDuration}_bucket[5m]))) > 0.5`,
    for: "10m",
    labels: { severity: "warning" },
    annotations: { summary: "{{ $labels.service }} p95 latency above 500 ms", description: "p95 over 5 minutes is {{ $value }} s." },
  },
  {
    alert: "TasksConsumerLagHigh",
    expr: `histogram_quantile(0.95, sum by (service, topic, le) (rate(${m.eventConsumeLag}_bucket[5m]))) > 60`,
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} consumes {{ $labels.topic }} more than a minute late",
      description: "p95 consume lag is {{ $value }} s.",
    },
  },
  {
    alert: "TasksOutboxLagHigh",
    expr: `max by (service) (${m.outboxLag}) > 60`,
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "Outbox of {{ $labels.service }} is not draining",
      description: "The oldest unpublished event is {{ $value }} s old; check the sidecar and the broker.",
    },
  },
  {
    alert: "TasksDeadLetters",
    expr: `sum by (service, topic) (increase(${m.eventsDeadLettered}[15m])) > 0`,
    for: "0m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} dead-lettered events from {{ $labels.topic }}",
      description: "{{ $value }} events went to the dead-letter topic in 15 minutes; inspect and replay them.",
    },
  },
  {
    alert: "TasksDeadLetterDepthGrowing",
    expr: `sum by (app_id, topic) (increase(${d.pubsubIngressCount}{process_status="drop"}[1h])) > 10`,
    for: "0m",
    labels: { severity: "critical" },
    annotations: {
      summary: "More than 10 events dropped to a dead-letter topic within an hour",
      description: "{{ $labels.app_id }} dropped {{ $value }} events of {{ $labels.topic }}.",
    },
  },
  {
    alert: "TasksReminderLate",
    expr: `histogram_quantile(0.95, sum by (le) (rate(${m.reminderLateness}_bucket[10m]))) > 2`,
    for: "10m",
    labels: { severity: "warning" },
    annotations: { summary: "Reminders are delivered late", description: "p95 reminder lateness is {{ $value }} s (target 2 s)." },
  },
  {
    alert: "TasksEventProcessingFailures",
    expr: `sum by (service, topic) (rate(${m.eventsFailed}[5m])) > 0.1`,
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} fails to process {{ $labels.topic }}",
      description: "{{ $value }} failures per second.",
    },
  },
  {
    alert: "TasksCircuitBreakerOpen",
    expr: `sum by (app_id, name) (increase(${d.resiliencyActivations}{policy="circuitbreaker"}[10m])) > 0`,
    for: "0m",
    labels: { severity: "warning" },
    annotations: {
      summary: "A Dapr circuit breaker of {{ $labels.app_id }} opened",
      description: "Policy {{ $labels.name }} tripped; its target (e.g. the SMTP relay) is failing.",
    },
  },
];
