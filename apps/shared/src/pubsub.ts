/**
 * Dapr pub/sub over the sidecar HTTP API.
 *
 * Publishing: `POST /v1.0/publish/<pubsub>/<topic>` with the CloudEvent as
 * application/cloudevents+json, so Dapr forwards our envelope (and our stable `id`) unchanged.
 *
 * Subscribing: infra creates declarative v2alpha1 Subscriptions (with dead-letter topics) from the
 * catalog, so an app serves `subscriptionRoute(topic)` and answers {"status": "SUCCESS" | "RETRY" |
 * "DROP"}; DROP sends the event to the dead-letter topic. `GET /dapr/subscribe` answers [] (no
 * programmatic subscriptions), because the router is mounted before the server starts listening.
 */
import { subscriptionRoute, topics, type TopicKey } from "@tasks/catalog";
import type { DaprPubSubStatusEnum } from "@dapr/dapr/enum/DaprPubSubStatus.enum.js";
import express, { type Request, type Response as ExpressResponse, type Router } from "express";
import type { z } from "zod";
import { cloudEventSchema, taskEventSchema, type TaskEvent } from "./events.js";
import { SidecarError, sidecarRequest, type SidecarOptions, type SidecarResponse } from "./dapr.js";
import { correlationFrom, withCorrelation, type Logger } from "./logging.js";
import type { ConsumerMetrics, PublisherMetrics } from "./metrics.js";
import { fieldErrors } from "./errors.js";

/** What the app answers Dapr for a delivery (the SDK's DaprPubSubStatusEnum values). */
export type DeliveryStatus = `${DaprPubSubStatusEnum}`;

/** Content types Dapr uses for deliveries and callers use for CloudEvents. */
export const jsonContentTypes = ["application/json", "application/*+json"];

export interface PublisherOptions extends SidecarOptions {
  /** Dapr pub/sub component name (catalog `daprComponents.pubsub`). */
  readonly pubsubName: string;
  readonly metrics?: PublisherMetrics;
}

export class PublishError extends SidecarError {}

/** Publishes one CloudEvent; throws PublishError unless the sidecar answers 2xx. */
export async function publishCloudEvent(
  opts: PublisherOptions,
  topic: string,
  event: { id: string } & Record<string, unknown>,
): Promise<void> {
  await publishSerializedCloudEvent(opts, topic, JSON.stringify(event), {
    id: event.id,
    ...(typeof event.traceparent === "string" ? { traceparent: event.traceparent } : {}),
  });
}

/** Publishes a CloudEvent that is already JSON text (e.g. stored in an outbox), without re-encoding it. */
export async function publishSerializedCloudEvent(
  opts: PublisherOptions,
  topic: string,
  json: string,
  meta: { readonly id: string; readonly traceparent?: string },
): Promise<void> {
  const event = meta;
  let res: SidecarResponse;
  try {
    res = await sidecarRequest(opts, "POST", `/v1.0/publish/${encodeURIComponent(opts.pubsubName)}/${encodeURIComponent(topic)}`, json, {
      "content-type": "application/cloudevents+json",
      ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
    });
  } catch (err) {
    opts.metrics?.failed.inc({ topic, stage: "publish" });
    throw new PublishError(err instanceof Error ? err.message : String(err));
  }
  if (res.status < 200 || res.status >= 300) {
    opts.metrics?.failed.inc({ topic, stage: "publish" });
    throw new PublishError(`Publish of event ${event.id} to "${topic}" failed: HTTP ${res.status} ${res.text.slice(0, 300)}`, res.status);
  }
  opts.metrics?.published.inc({ topic });
}

/** Thrown by a handler to answer DROP (the event can never succeed: dead-letter it). */
export class DropEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DropEvent";
  }
}

export interface DeliveryContext {
  /** The topic name, e.g. "task.completed". */
  readonly topic: string;
  readonly logger: Logger;
}

/** Returns nothing for SUCCESS, or a status. Throwing DropEvent = DROP; any other throw = RETRY. */
export type EventHandler<K extends TopicKey> = (event: TaskEvent<K>, ctx: DeliveryContext) => Promise<DeliveryStatus | void>;

/** Handlers keyed by catalog topic key, e.g. `{ taskCompleted: async (event) => ... }`. */
export type TaskEventHandlers = { [K in TopicKey]?: EventHandler<K> };

export interface SubscriptionRouterOptions {
  readonly handlers: TaskEventHandlers;
  readonly logger: Logger;
  readonly metrics?: ConsumerMetrics;
  /** Body size limit for deliveries. @default "1mb" */
  readonly bodyLimit?: string;
  /** Injected for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * Router serving `subscriptionRoute(topic)` for each handled topic. Events that fail the topic's
 * schema are answered DROP (retrying cannot fix them); handler errors answer RETRY.
 */
export function subscriptionRouter(opts: SubscriptionRouterOptions): Router {
  const router = express.Router();
  const now = opts.now ?? Date.now;
  router.get("/dapr/subscribe", (_req, res) => {
    res.json([]);
  });
  const parse = express.json({ type: jsonContentTypes, limit: opts.bodyLimit ?? "1mb" });
  for (const [key, handler] of Object.entries(opts.handlers) as [TopicKey, EventHandler<TopicKey> | undefined][]) {
    if (!handler) continue;
    const topic = topics[key].name;
    const schema: z.ZodType<TaskEvent> = taskEventSchema(key);
    router.post(subscriptionRoute(topic), parse, async (req: Request, res: ExpressResponse) => {
      const envelope = cloudEventSchema.safeParse(req.body);
      const traceparent = envelope.success ? (envelope.data.traceparent ?? req.get("traceparent")) : req.get("traceparent");
      await withCorrelation(correlationFrom(traceparent), async () => {
        const status = await deliver(topic, handler, schema, req.body, opts, now);
        opts.metrics?.consumed.inc({ topic, result: status });
        if (status === "DROP") opts.metrics?.deadLettered.inc({ topic });
        if (status !== "SUCCESS") opts.metrics?.failed.inc({ topic, stage: "consume" });
        res.status(200).json({ status });
      });
    });
  }
  return router;
}

async function deliver(
  topic: string,
  handler: EventHandler<TopicKey>,
  schema: z.ZodType<TaskEvent>,
  body: unknown,
  opts: SubscriptionRouterOptions,
  now: () => number,
): Promise<DeliveryStatus> {
  const log = opts.logger.child({ topic });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const id = typeof body === "object" && body !== null && "id" in body ? String((body as { id: unknown }).id) : undefined;
    log.warn({ eventId: id, errors: fieldErrors(parsed.error) }, "event does not match the topic schema; dropping");
    return "DROP";
  }
  const event = parsed.data;
  if (event.time) opts.metrics?.consumeLag.observe({ topic }, Math.max(0, (now() - Date.parse(event.time)) / 1000));
  try {
    const result = await handler(event as never, { topic, logger: log.child({ eventId: event.id }) });
    return result ?? "SUCCESS";
  } catch (err) {
    if (err instanceof DropEvent) {
      log.warn({ eventId: event.id, reason: err.message }, "event dropped by handler");
      return "DROP";
    }
    log.error({ eventId: event.id, err }, "event handler failed; asking Dapr to retry");
    return "RETRY";
  }
}
