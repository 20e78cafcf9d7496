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
} as const;

/** Metrics exported by daprd (docs.dapr.io/operations/observability/metrics/metrics-overview). */
export const daprMetrics = {
  pubsubIngressCount: "dapr_component_pubsub_ingress_count",
  pubsubIngressLatency: "dapr_component_pubsub_ingress_latencies",
  pubsubEgressCount: "dapr_component_pubsub_egress_count",
  httpServerRequestCount: "dapr_http_server_request_count",
  httpServerLatency: "dapr_http_server_latency",
} as const;
