/**
 * Boot-time configuration. Plain settings come from the environment, validated once with a message
 * per bad key; secrets (database URL, JWT key, ...) come from the Dapr secret store API, never env.
 * Tests build the config objects directly.
 */
import { z } from "zod";
import { daprApiToken, daprAppToken, daprComponents, daprSidecarPorts } from "@tasks/catalog";
import { authEnvSchema } from "./auth-config.js";
import type { LevelWithSilent } from "pino";

import { ConfigError } from "./config-error.js";

export { ConfigError };

/** Validates `env` against `schema`; throws ConfigError listing each bad key. */
export function loadEnv<S extends z.ZodObject>(schema: S, env: Readonly<Record<string, string | undefined>> = process.env): z.output<S> {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const result = schema.safeParse(picked);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  return result.data;
}

const port = z.coerce.number().int().min(1).max(65535);
const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const satisfies readonly LevelWithSilent[];

/** Settings every service reads from its environment (none of them secret). */
export const baseEnvSchema = z.object({
  PORT: port.optional(),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(levels).default("info"),
  /** The sidecar sets DAPR_HTTP_PORT in the app container. */
  DAPR_HTTP_PORT: port.default(daprSidecarPorts.http),
  DAPR_HOST: z.string().default("127.0.0.1"),
  DAPR_PUBSUB_NAME: z.string().default(daprComponents.pubsub),
  DAPR_SECRET_STORE: z.string().default(daprComponents.secretStore),
  /** Bearer-token settings (auth-config.ts). */
  ...authEnvSchema.shape,
  /** The file holding Dapr's app API token (a mounted Secret; a path, not a secret). */
  DAPR_APP_TOKEN_FILE: z.string().min(1).default(daprAppToken.file),
  /** The file holding Dapr's API token for calls to the sidecar (a mounted Secret; a path). */
  DAPR_API_TOKEN_FILE: z.string().min(1).default(daprApiToken.file),
  /** Seconds to drain in-flight requests on SIGTERM. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(20),
});
export type BaseEnv = z.output<typeof baseEnvSchema>;

export function daprHttpUrl(env: Pick<BaseEnv, "DAPR_HOST" | "DAPR_HTTP_PORT">): string {
  return `http://${env.DAPR_HOST}:${env.DAPR_HTTP_PORT}`;
}
