import { daprComponents, secretNames, services } from "@tasks/catalog";
import {
  createDatabase,
  createLogger,
  createRegistry,
  createShutdown,
  daprHttpUrl,
  listen,
  migrateLatest,
  jwtClaimsConfig,
  onSignals,
  readApiToken,
  readAppToken,
  readSecret,
  waitForSidecar,
  type AuthConfig,
} from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { buildNotificationsApp } from "./app.js";
import { loadNotificationsConfig } from "./config.js";
import { circuitBreakingSender } from "./delivery/circuit-breaker.js";
import { smtpSender } from "./delivery/email.js";
import { webPushSender } from "./delivery/push.js";

const config = loadNotificationsConfig();
const name = services.notifications.name;
const logger = createLogger({ service: name, level: config.LOG_LEVEL });
const sidecar = { daprHttpUrl: daprHttpUrl(config), apiToken: readApiToken(config.DAPR_API_TOKEN_FILE) };
await waitForSidecar(sidecar);
const secret = (key: string) => readSecret({ ...sidecar, store: config.DAPR_SECRET_STORE ?? daprComponents.secretStore }, key);

const db = createDatabase({
  connectionString: await secret(secretNames.databaseUrl(name)),
  applicationName: name,
  poolMax: config.DB_POOL_MAX,
  logger,
});
await migrateLatest(db, migrations);
const auth: AuthConfig = config.JWT_JWKS_URL
  ? { jwksUrl: config.JWT_JWKS_URL, ...jwtClaimsConfig(config) }
  : { hs256Key: await secret(secretNames.jwtSigningKey), ...jwtClaimsConfig(config) };
const email = circuitBreakingSender(
  smtpSender({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    tls: config.SMTP_TLS,
    from: config.MAIL_FROM,
    ...(config.SMTP_AUTH === "true"
      ? { username: await secret(secretNames.smtpUsername), password: await secret(secretNames.smtpPassword) }
      : {}),
  }),
  {
    failureThreshold: config.SMTP_BREAKER_FAILURES,
    cooldownMs: config.SMTP_BREAKER_COOLDOWN_SECONDS * 1000,
    onStateChange: (state, failures) =>
      logger[state === "closed" ? "info" : "warn"]({ circuit: "smtp", state, consecutiveFailures: failures }, `smtp circuit ${state}`),
  },
);
const push = webPushSender({
  subject: config.VAPID_SUBJECT,
  publicKey: await secret(secretNames.vapidPublicKey),
  privateKey: await secret(secretNames.vapidPrivateKey),
});

const { app, health } = buildNotificationsApp({
  db,
  logger,
  registry: createRegistry(name),
  sidecar,
  auth,
  daprAppToken: readAppToken(config.DAPR_APP_TOKEN_FILE),
  email,
  push,
  failurePolicy: { constant: { interval: config.JOB_RETRY_INTERVAL, maxRetries: config.DELIVERY_MAX_ATTEMPTS + 2 } },
  maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
  archiveAfterDays: config.ARCHIVE_AFTER_DAYS,
});
const server = await listen(app, config.PORT, config.HOST);
logger.info({ port: config.PORT }, "notifications listening");
onSignals(
  createShutdown({
    server,
    logger,
    beforeClose: health.setDraining,
    timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    steps: [
      { name: "smtp", run: () => email.close() },
      { name: "database", run: () => db.destroy() },
    ],
  }),
  logger,
);
