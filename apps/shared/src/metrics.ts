/**
 * Prometheus metrics under the exact names in the catalog's `serviceMetrics`. Each service makes one
 * registry and registers only the groups that apply to it; every helper is idempotent per registry.
 */
import { serviceMetrics } from "@tasks/catalog";
import type { NextFunction, Request, Response } from "express";
import { Counter, Gauge, Histogram, Registry, type Metric } from "prom-client";

export { Registry } from "prom-client";

/** A registry whose series all carry `service="<name>"`. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  return registry;
}

function once<M extends Metric<string>>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const lagBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

export interface HttpMetrics {
  readonly requestDuration: Histogram<"method" | "route" | "status">;
  /** Express middleware observing every response; label `route` is the matched route pattern. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void;
}

export function httpMetrics(registry: Registry): HttpMetrics {
  const requestDuration = once(
    registry,
    serviceMetrics.httpRequestDuration,
    () =>
      new Histogram({
        name: serviceMetrics.httpRequestDuration,
        help: "HTTP request latency in seconds.",
        labelNames: ["method", "route", "status"] as const,
        buckets: latencyBuckets,
        registers: [registry],
      }),
  );
  return {
    requestDuration,
    middleware: () => (req, res, next) => {
      const end = requestDuration.startTimer();
      res.on("finish", () => {
        // Only the matched pattern, never the raw path: ids would explode the label cardinality.
        const pattern = (req.route as { path?: unknown } | undefined)?.path;
        const route = typeof pattern === "string" ? `${req.baseUrl}${pattern}` : "unmatched";
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
  };
}

function eventsFailed(registry: Registry): Counter<"topic" | "stage"> {
  return once(
    registry,
    serviceMetrics.eventsFailed,
    () =>
      new Counter({
        name: serviceMetrics.eventsFailed,
        help: "Events that failed to publish or to be processed.",
        labelNames: ["topic", "stage"] as const,
        registers: [registry],
      }),
  );
}

export interface PublisherMetrics {
  readonly published: Counter<"topic">;
  /** stage="publish" */
  readonly failed: Counter<"topic" | "stage">;
}

export function publisherMetrics(registry: Registry): PublisherMetrics {
  return {
    published: once(
      registry,
      serviceMetrics.eventsPublished,
      () =>
        new Counter({
          name: serviceMetrics.eventsPublished,
          help: "Events published to pub/sub.",
          labelNames: ["topic"] as const,
          registers: [registry],
        }),
    ),
    failed: eventsFailed(registry),
  };
}

export interface ConsumerMetrics {
  /** result = SUCCESS | RETRY | DROP */
  readonly consumed: Counter<"topic" | "result">;
  /** stage="consume" */
  readonly failed: Counter<"topic" | "stage">;
  /** Events answered DROP, which Dapr routes to the subscription's dead-letter topic. */
  readonly deadLettered: Counter<"topic">;
  /** Seconds between the CloudEvent `time` and its consumption. */
  readonly consumeLag: Histogram<"topic">;
}

export function consumerMetrics(registry: Registry): ConsumerMetrics {
  return {
    consumed: once(
      registry,
      serviceMetrics.eventsConsumed,
      () =>
        new Counter({
          name: serviceMetrics.eventsConsumed,
          help: "Event deliveries handled, by result.",
          labelNames: ["topic", "result"] as const,
          registers: [registry],
        }),
    ),
    failed: eventsFailed(registry),
    deadLettered: once(
      registry,
      serviceMetrics.eventsDeadLettered,
      () =>
        new Counter({
          name: serviceMetrics.eventsDeadLettered,
          help: "Events dropped to the dead-letter topic.",
          labelNames: ["topic"] as const,
          registers: [registry],
        }),
    ),
    consumeLag: once(
      registry,
      serviceMetrics.eventConsumeLag,
      () =>
        new Histogram({
          name: serviceMetrics.eventConsumeLag,
          help: "Seconds between an event's time and its consumption.",
          labelNames: ["topic"] as const,
          buckets: lagBuckets,
          registers: [registry],
        }),
    ),
  };
}

export interface OutboxMetrics {
  /** Age in seconds of the oldest unpublished outbox event (0 when none). */
  readonly lag: Gauge;
  readonly pending: Gauge;
}

export function outboxMetrics(registry: Registry): OutboxMetrics {
  return {
    lag: once(
      registry,
      serviceMetrics.outboxLag,
      () =>
        new Gauge({ name: serviceMetrics.outboxLag, help: "Age of the oldest unpublished outbox event, seconds.", registers: [registry] }),
    ),
    pending: once(
      registry,
      serviceMetrics.outboxPending,
      () => new Gauge({ name: serviceMetrics.outboxPending, help: "Unpublished outbox events.", registers: [registry] }),
    ),
  };
}

/** notifications: seconds between a reminder's intended time and its delivery. */
export function reminderLateness(registry: Registry): Histogram<"channel"> {
  return once(
    registry,
    serviceMetrics.reminderLateness,
    () =>
      new Histogram({
        name: serviceMetrics.reminderLateness,
        help: "Seconds between a reminder's intended time and its delivery.",
        labelNames: ["channel"] as const,
        buckets: lagBuckets,
        registers: [registry],
      }),
  );
}

/** notifications: deliveries by channel (email, inapp, push) and result (sent, failed, skipped). */
export function notificationsDelivered(registry: Registry): Counter<"channel" | "result"> {
  return once(
    registry,
    serviceMetrics.notificationsDelivered,
    () =>
      new Counter({
        name: serviceMetrics.notificationsDelivered,
        help: "Notification deliveries.",
        labelNames: ["channel", "result"] as const,
        registers: [registry],
      }),
  );
}

export interface SmtpMetrics {
  /** result = sent | failed (the relay failed) | rejected (the relay refused the message, 550-553) | circuit_open (not tried) */
  readonly sends: Counter<"result">;
}

/** The SMTP circuit states, in the order the state gauge lists them. */
export const smtpCircuitStates = ["closed", "half-open", "open"] as const;

/**
 * notifications: SMTP sends by result, and the circuit breaker's state as one series per state (1 for the
 * current one), read from `state()` at every scrape. Every result and state starts at 0, so the series exist
 * (and dashboards and alerts see them) before the first mail.
 */
export function smtpMetrics(registry: Registry, state: () => (typeof smtpCircuitStates)[number]): SmtpMetrics {
  const sends = once(
    registry,
    serviceMetrics.smtpSends,
    () =>
      new Counter({
        name: serviceMetrics.smtpSends,
        help: "SMTP sends by result.",
        labelNames: ["result"] as const,
        registers: [registry],
      }),
  );
  for (const result of ["sent", "failed", "rejected", "circuit_open"]) sends.inc({ result }, 0);
  once(
    registry,
    serviceMetrics.smtpCircuitState,
    () =>
      new Gauge({
        name: serviceMetrics.smtpCircuitState,
        help: "State of the SMTP circuit breaker: 1 for the current state.",
        labelNames: ["state"] as const,
        registers: [registry],
        collect() {
          const current = state();
          for (const s of smtpCircuitStates) this.set({ state: s }, s === current ? 1 : 0);
        },
      }),
  );
  return { sends };
}

/** realtime: open WebSocket connections. */
export function websocketConnections(registry: Registry): Gauge {
  return once(
    registry,
    serviceMetrics.websocketConnections,
    () => new Gauge({ name: serviceMetrics.websocketConnections, help: "Open WebSocket connections.", registers: [registry] }),
  );
}

/** Express handler for GET /metrics. */
export function metricsHandler(registry: Registry) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}
