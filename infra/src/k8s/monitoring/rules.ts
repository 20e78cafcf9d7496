import { brokerMetrics, consumerGroupOf, daprMetrics, lagScaledServices, serviceMetrics } from "@tasks/catalog";

export interface AlertRule {
  readonly alert: string;
  /** `query` compared with the threshold: what Prometheus evaluates. */
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "warning" | "critical" };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** How an alert is written: the series it watches, and the condition on them that fires it. */
export interface AlertDefinition extends Omit<AlertRule, "expr"> {
  /** The series the alert compares (a healthy platform has them, except for failure-only alerts). */
  readonly query: string;
  /** The comparison that fires, e.g. `> 0.05`. */
  readonly condition: string;
  /**
   * The series exist only while something fails (a dead letter, a dropped event): a healthy platform may have
   * none, so the integration tier checks that the metrics they select exist rather than the query's result.
   */
  readonly failureOnly?: boolean;
}

const m = serviceMetrics;
const d = daprMetrics;
const b = brokerMetrics;

/** The consumer groups the broker alerts watch: the shared groups (a fan-out app's per-pod groups come and go with its pods). */
export const watchedConsumerGroups = (): string[] => lagScaledServices().map((s) => consumerGroupOf(s)!);
const groups = () => `consumergroup=~"${watchedConsumerGroups().join("|")}"`;
/** Broker series carry `consumergroup`; the alerts also name it `service` (the group is the app id), for routing and inhibition. */
const asService = (q: string) => `label_replace(${q}, "service", "$1", "consumergroup", "(.*)")`;

/**
 * Alerts on the services', the sidecars' and the broker's metrics. Service series carry `service` (the
 * registry's default label); HTTP histograms carry `status`; Dapr series carry `app_id`; broker series
 * (the lag exporter) carry `consumergroup` and `topic`.
 */
export const alertDefinitions: readonly AlertDefinition[] = [
  {
    alert: "TasksHighErrorRate",
    query: `sum by (service) (rate(${m.httpRequestDuration}_count{status=~"5.."}[5m])) / sum by (service) (rate(${m.httpRequestDuration}_count[5m]))`,
    condition: "> 0.05",
    failureOnly: true,
    for: "10m",
    labels: { severity: "critical" },
    annotations: {
      summary: "More than 5% of {{ $labels.service }} requests fail",
      description: "5xx ratio over 5 minutes is {{ $value | humanizePercentage }}.",
    },
  },
  {
    alert: "TasksHighLatencyP95",
    query: `histogram_quantile(0.95, sum by (service, le) (rate(${m.httpRequestDuration}_bucket[5m])))`,
    condition: "> 0.5",
    for: "10m",
    labels: { severity: "warning" },
    annotations: { summary: "{{ $labels.service }} p95 latency above 500 ms", description: "p95 over 5 minutes is {{ $value }} s." },
  },
  {
    alert: "TasksConsumerLagHigh",
    query: `histogram_quantile(0.95, sum by (service, topic, le) (rate(${m.eventConsumeLag}_bucket[5m])))`,
    condition: "> 60",
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} consumes {{ $labels.topic }} more than a minute late",
      description: "p95 age of the events at consumption is {{ $value }} s.",
    },
  },
  {
    alert: "TasksConsumerGroupLagHigh",
    query: asService(`sum by (consumergroup, topic) (${b.consumerGroupLag}{${groups()}})`),
    condition: "> 1000",
    for: "15m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.consumergroup }} has more than 1000 {{ $labels.topic }} messages waiting",
      description: "The broker reports a lag of {{ $value }} messages for 15 minutes; the consumer is not keeping up.",
    },
  },
  {
    alert: "TasksConsumerStalled",
    query: asService(
      `sum by (consumergroup, topic) (delta(${b.consumerGroupLag}{${groups()}}[10m])) > 0 and on (consumergroup, topic) sum by (consumergroup, topic) (rate(${b.consumerGroupOffset}{${groups()}}[10m])) == 0`,
    ),
    condition: "",
    failureOnly: true,
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "{{ $labels.consumergroup }} stopped consuming {{ $labels.topic }}",
      description: "Its lag at the broker grew over 10 minutes while its committed offsets did not move: the consumer is stuck or gone.",
    },
  },
  {
    alert: "TasksOutboxLagHigh",
    query: `max by (service) (${m.outboxLag})`,
    condition: "> 60",
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "Outbox of {{ $labels.service }} is not draining",
      description: "The oldest unpublished event is {{ $value }} s old; check the sidecar and the broker.",
    },
  },
  {
    alert: "TasksDeadLetters",
    query: `sum by (service, topic) (increase(${m.eventsDeadLettered}[15m]))`,
    condition: "> 0",
    failureOnly: true,
    for: "0m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} dead-lettered events from {{ $labels.topic }}",
      description: "{{ $value }} events went to the dead-letter topic in 15 minutes; inspect and replay them.",
    },
  },
  {
    alert: "TasksDeadLetterDepthGrowing",
    query: `sum by (app_id, topic) (increase(${d.pubsubIngressCount}{process_status="drop"}[1h]))`,
    condition: "> 10",
    failureOnly: true,
    for: "0m",
    labels: { severity: "critical" },
    annotations: {
      summary: "More than 10 events dropped to a dead-letter topic within an hour",
      description: "{{ $labels.app_id }} dropped {{ $value }} events of {{ $labels.topic }}.",
    },
  },
  {
    alert: "TasksReminderLate",
    query: `histogram_quantile(0.95, sum by (le) (rate(${m.reminderLateness}_bucket[10m])))`,
    condition: "> 2",
    for: "10m",
    labels: { severity: "warning" },
    annotations: { summary: "Reminders are delivered late", description: "p95 reminder lateness is {{ $value }} s (target 2 s)." },
  },
  {
    alert: "TasksEventProcessingFailures",
    query: `sum by (service, topic) (rate(${m.eventsFailed}[5m]))`,
    condition: "> 0.1",
    failureOnly: true,
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.service }} fails to process {{ $labels.topic }}",
      description: "{{ $value }} failures per second.",
    },
  },
  {
    alert: "TasksCircuitBreakerOpen",
    query: `sum by (app_id, name) (increase(${d.resiliencyActivations}{policy="circuitbreaker"}[10m]))`,
    condition: "> 0",
    failureOnly: true,
    for: "0m",
    labels: { severity: "warning" },
    annotations: {
      summary: "A Dapr circuit breaker of {{ $labels.app_id }} opened",
      description: "Resiliency policy {{ $labels.name }} tripped: the app or component it guards is failing.",
    },
  },
  {
    alert: "TasksSmtpCircuitOpen",
    query: `max by (service) (${m.smtpCircuitState}{state!="closed"})`,
    condition: "== 1",
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "{{ $labels.service }} stopped sending email: the SMTP circuit is open",
      description:
        "The SMTP relay failed repeatedly, so reminder emails fail fast and are retried later; check the relay and its credentials.",
    },
  },
  {
    alert: "TasksSmtpSendFailures",
    query: `sum by (service) (rate(${m.smtpSends}{result=~"failed|circuit_open"}[10m])) / sum by (service) (rate(${m.smtpSends}[10m]))`,
    condition: "> 0.2",
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "More than 20% of {{ $labels.service }} emails fail",
      description: "{{ $value | humanizePercentage }} of SMTP sends over 10 minutes failed or were not tried (circuit open).",
    },
  },
];

export const alertExpr = (a: AlertDefinition): string => (a.condition ? `${a.query} ${a.condition}` : a.query);

/** The rules as the PrometheusRule holds them. */
export const alertRules: readonly AlertRule[] = alertDefinitions.map((a) => ({
  alert: a.alert,
  expr: alertExpr(a),
  for: a.for,
  labels: a.labels,
  annotations: a.annotations,
}));
