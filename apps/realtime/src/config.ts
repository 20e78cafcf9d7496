/** realtime configuration: history and WebSocket limits; the auth settings through the bootstrap. */
import { daprComponents } from "@tasks/catalog";
import { baseEnvSchema, loadServiceConfig, type EnvSource } from "@tasks/shared";
import { z } from "zod";

export const envSchema = baseEnvSchema.extend({
  /** Every realtime pod must get every event, so it subscribes through the broadcast component. */
  DAPR_PUBSUB_NAME: z.string().default(daprComponents.pubsubBroadcast),
  DAPR_STATE_STORE: z.string().default(daprComponents.stateStore),
  HISTORY_MAX_EVENTS: z.coerce.number().int().min(1).max(1000).default(100),
  HISTORY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .default(1024 * 1024),
  WS_HEARTBEAT_MS: z.coerce.number().int().min(1000).default(30_000),
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Client messages per second per connection, with bursts up to WS_MESSAGE_BURST; more closes it with 4429. */
  WS_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1000).default(5),
  WS_MESSAGE_BURST: z.coerce.number().int().min(1).max(1000).default(20),
  /** State-store reads for replays at once in this process; further replays wait their turn. */
  WS_REPLAY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export const loadConfig = (env: EnvSource = process.env) => loadServiceConfig({ service: "realtime", envSchema }, env);
export type RealtimeConfig = Awaited<ReturnType<typeof loadConfig>>;
