/**
 * Metric names the services expose (registered by apps/shared) and the Dapr sidecar metrics that
 * dashboards and alert rules may use. Infra tests check every name used in a rule or dashboard
 * against these lists.
 */
export const serviceMetrics = {
  httpRequestDuration: "http_request_duration_seconds",
  eventsPublished: "events_published_total",
  eventsConsumed: "events_consumed_total",
  eventsFailed: "events_failed_total",
  eventsDeadLettered: "events_dead_lettered_total",
  /** Seconds between an event's CloudEvent `time` and its consumption: consumer lag, in time. */
  eventConsumeLag: "event_consume_lag_seconds",
  outboxLag: "outbox_lag_seconds",
  outboxPending: "outbox_pending_events",
  reminderLateness: "reminder_lateness_seconds",
  notificationsDelivered: "notifications_delivered_total",
  websocketConnections: "websocket_connections",
  /** notifications: SMTP sends by result (sent, failed: the relay failed, rejected: 550-553, circuit_open: not tried). */
  smtpSends: "smtp_sends_total",
  /** notifications: the SMTP circuit breaker's state, one series per state, 1 for the current one. */
  smtpCircuitState: "smtp_circuit_state",
} as const;

/** Metrics exported by daprd (docs.dapr.io/operations/observability/metrics/metrics-overview). */
export const daprMetrics = {
  pubsubIngressCount: "dapr_component_pubsub_ingress_count",
  pubsubIngressLatency: "dapr_component_pubsub_ingress_latencies",
  pubsubEgressCount: "dapr_component_pubsub_egress_count",
  httpServerRequestCount: "dapr_http_server_request_count",
  httpServerLatency: "dapr_http_server_latency",
  /** Resiliency policy activations (retries, circuit breakers opening), labelled by policy and target. */
  resiliencyActivations: "dapr_resiliency_activations_total",
} as const;

/**
 * Broker-side consumer-group metrics of the lag exporter every stack runs (danielqsj/kafka_exporter, the
 * prometheus-kafka-exporter chart): read from the broker, so a consumer that stops still shows its lag.
 * Labels: consumergroup, topic, partition.
 */
export const brokerMetrics = {
  /** Messages of a partition not yet committed by the group: log end offset minus committed offset. */
  consumerGroupLag: "kafka_consumergroup_lag",
  /** The group's committed offset per partition; its rate is the group's consumption. */
  consumerGroupOffset: "kafka_consumergroup_current_offset",
  /** The log end offset per partition; its rate is what producers write. */
  topicOffset: "kafka_topic_partition_current_offset",
  /** Members of the group (labels: consumergroup). */
  consumerGroupMembers: "kafka_consumergroup_members",
} as const;

export type MetricKind = "counter" | "gauge" | "histogram";

/**
 * The Prometheus type each metric is exported as. A histogram `x` is queried as `x_bucket`, `x_sum`
 * and `x_count`; counters and gauges only by their own name.
 */
export const metricKinds: Record<
  | (typeof serviceMetrics)[keyof typeof serviceMetrics]
  | (typeof daprMetrics)[keyof typeof daprMetrics]
  | (typeof brokerMetrics)[keyof typeof brokerMetrics],
  MetricKind
> = {
  http_request_duration_seconds: "histogram",
  events_published_total: "counter",
  events_consumed_total: "counter",
  events_failed_total: "counter",
  events_dead_lettered_total: "counter",
  event_consume_lag_seconds: "histogram",
  outbox_lag_seconds: "gauge",
  outbox_pending_events: "gauge",
  reminder_lateness_seconds: "histogram",
  notifications_delivered_total: "counter",
  websocket_connections: "gauge",
  smtp_sends_total: "counter",
  smtp_circuit_state: "gauge",
  dapr_component_pubsub_ingress_count: "counter",
  dapr_component_pubsub_ingress_latencies: "histogram",
  dapr_component_pubsub_egress_count: "counter",
  dapr_http_server_request_count: "counter",
  dapr_http_server_latency: "histogram",
  dapr_resiliency_activations_total: "counter",
  kafka_consumergroup_lag: "gauge",
  kafka_consumergroup_current_offset: "gauge",
  kafka_topic_partition_current_offset: "gauge",
  kafka_consumergroup_members: "gauge",
};

/** Every series name a query may select: counters and gauges by name, histograms by their three series. */
export function queryableMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const [name, kind] of Object.entries(metricKinds)) {
    if (kind === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}
