/** Entry point: the shared run loop with the realtime app; the WebSocket endpoint attaches once listening. */
import { runService } from "@tasks/shared";
import { createRealtimeApp } from "./app.js";
import { loadConfig } from "./config.js";
import { daprStateHistory } from "./history.js";

await runService({
  service: "realtime",
  loadConfig,
  start: ({ config, logger, registry }) => {
    const { env } = config;
    const realtime = createRealtimeApp({
      logger,
      registry,
      sidecar: config.sidecar,
      auth: config.auth,
      daprAppToken: config.daprAppToken,
      history: daprStateHistory(config.sidecar, {
        store: env.DAPR_STATE_STORE,
        maxEvents: env.HISTORY_MAX_EVENTS,
        ttlSeconds: env.HISTORY_TTL_SECONDS,
      }),
      maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
      heartbeatMs: env.WS_HEARTBEAT_MS,
      authTimeoutMs: env.WS_AUTH_TIMEOUT_MS,
      limits: {
        messagesPerSecond: env.WS_MESSAGES_PER_SECOND,
        messageBurst: env.WS_MESSAGE_BURST,
        maxReplayEvents: env.HISTORY_MAX_EVENTS,
        replayConcurrency: env.WS_REPLAY_CONCURRENCY,
      },
    });
    let sockets: { close(): void } | undefined;
    return {
      app: realtime.app,
      health: realtime.health,
      afterListen: (server) => (sockets = realtime.attach(server)),
      // WebSockets never go idle, so they are closed (1001) before the HTTP drain.
      beforeClose: () => sockets?.close(),
    };
  },
});
