import { secretNames, services } from "@tasks/catalog";
import {
  createLogger,
  createRegistry,
  createShutdown,
  daprHttpUrl,
  listen,
  jwtClaimsConfig,
  onSignals,
  readApiToken,
  readAppToken,
  readSecret,
  waitForSidecar,
  type AuthConfig,
} from "@tasks/shared";
import { buildRealtimeApp } from "./app.js";
import { loadRealtimeConfig } from "./config.js";
import { daprStateHistory } from "./history.js";

const config = loadRealtimeConfig();
const name = services.realtime.name;
const logger = createLogger({ service: name, level: config.LOG_LEVEL });
const sidecar = { daprHttpUrl: daprHttpUrl(config), apiToken: readApiToken(config.DAPR_API_TOKEN_FILE) };
await waitForSidecar(sidecar);
const claims = jwtClaimsConfig(config);
const auth: AuthConfig = config.JWT_JWKS_URL
  ? { jwksUrl: config.JWT_JWKS_URL, ...claims }
  : { hs256Key: await readSecret({ ...sidecar, store: config.DAPR_SECRET_STORE }, secretNames.jwtSigningKey), ...claims };
const history = daprStateHistory(sidecar, {
  store: config.DAPR_STATE_STORE,
  maxEvents: config.HISTORY_MAX_EVENTS,
  ttlSeconds: config.HISTORY_TTL_SECONDS,
});
const realtime = buildRealtimeApp({
  logger,
  registry: createRegistry(name),
  sidecar,
  auth,
  daprAppToken: readAppToken(config.DAPR_APP_TOKEN_FILE),
  history,
  maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
  heartbeatMs: config.WS_HEARTBEAT_MS,
  authTimeoutMs: config.WS_AUTH_TIMEOUT_MS,
  limits: {
    messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
    messageBurst: config.WS_MESSAGE_BURST,
    maxReplayEvents: config.HISTORY_MAX_EVENTS,
    replayConcurrency: config.WS_REPLAY_CONCURRENCY,
  },
});
const server = await listen(realtime.app, config.PORT, config.HOST);
const sockets = realtime.attach(server);
logger.info({ port: config.PORT }, "realtime listening (HTTP and WebSocket)");
onSignals(
  createShutdown({
    server,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    // WebSockets never go idle, so they are closed (1001) before the HTTP drain.
    beforeClose: () => {
      realtime.health.setDraining();
      sockets.close();
    },
    steps: [],
  }),
  logger,
);
