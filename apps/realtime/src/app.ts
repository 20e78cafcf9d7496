import { services, type TaskTopicKey } from "@tasks/catalog";
import {
  consumerMetrics,
  createServiceApp,
  createTokenVerifier,
  sidecarReady,
  subscriptionRouter,
  websocketConnections,
  type AuthConfig,
  type EventHandler,
  type Logger,
  type Registry,
  type SidecarOptions,
  type TaskEvent,
  type TaskEventHandlers,
} from "@tasks/shared";
import type { Server } from "node:http";
import type { HistoryStore } from "./history.js";
import { Hub } from "./hub.js";
import type { UpdateEvent } from "./protocol.js";
import { attachRealtime, type RealtimeSocketOptions } from "./ws-server.js";

export interface RealtimeAppDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly sidecar: SidecarOptions;
  readonly auth: AuthConfig;
  /** Dapr's app API token: the delivery routes need it. */
  readonly daprAppToken: string;
  readonly history: HistoryStore;
  /** @default 1 MiB */
  readonly maxBufferedBytes?: number;
  readonly heartbeatMs?: number;
  readonly authTimeoutMs?: number;
  /** Per-connection and per-process limits of the WebSocket endpoint (see attachRealtime). */
  readonly limits?: Pick<
    RealtimeSocketOptions,
    "maxPayload" | "messagesPerSecond" | "messageBurst" | "maxReplayEvents" | "replayConcurrency"
  >;
}

export const wsPath = services.realtime.publicRoutes[0].path;

/** The realtime service: task-event subscriptions feed the hub; the WebSocket endpoint is attached to the listening server. */
export function createRealtimeApp(deps: RealtimeAppDeps) {
  const hub = new Hub({
    connections: websocketConnections(deps.registry),
    ...(deps.maxBufferedBytes !== undefined ? { maxBufferedBytes: deps.maxBufferedBytes } : {}),
    onSlowConsumer: (userId) => deps.logger.warn({ userId }, "slow consumer disconnected"),
  });
  const forward =
    <K extends TaskTopicKey>(): EventHandler<K> =>
    async (event: TaskEvent<K>, ctx) => {
      const task = event.data.task;
      const update: UpdateEvent = {
        id: event.id,
        topic: ctx.topic,
        time: event.time ?? new Date().toISOString(),
        taskId: task.id,
        data: event.data,
      };
      // Kept before it is pushed, so anything a client saw live is also in its replay history.
      await deps.history.append(task.userId, update);
      hub.publish(task.userId, { type: "event", ...update });
    };
  const handlers: TaskEventHandlers = { taskCreated: forward(), taskUpdated: forward(), taskCompleted: forward(), taskDeleted: forward() };
  const { app, health } = createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { sidecar: () => sidecarReady(deps.sidecar) },
    daprAppToken: deps.daprAppToken,
    preRoutes: (a) => a.use(subscriptionRouter({ handlers, logger: deps.logger, metrics: consumerMetrics(deps.registry) })),
    routes: () => undefined,
  });
  const verify = createTokenVerifier(deps.auth);
  const attach = (server: Server) =>
    attachRealtime({
      server,
      path: wsPath,
      verify,
      allowedOrigins: deps.auth.allowedOrigins ?? [],
      hub,
      history: deps.history,
      logger: deps.logger,
      ...(deps.heartbeatMs !== undefined ? { heartbeatMs: deps.heartbeatMs } : {}),
      ...(deps.authTimeoutMs !== undefined ? { authTimeoutMs: deps.authTimeoutMs } : {}),
      ...deps.limits,
    });
  return { app, health, hub, attach };
}
