/** tasks-api configuration: the common env plus the outbox's; the database URL and auth settings through the bootstrap. */
import { baseEnvSchema, loadServiceConfig, type EnvSource } from "@tasks/shared";
import { z } from "zod";

export const envSchema = baseEnvSchema.extend({
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});

export const loadConfig = (env: EnvSource = process.env) =>
  loadServiceConfig({ service: "tasks-api", envSchema, database: { poolMax: 20 } }, env);
export type TasksConfig = Awaited<ReturnType<typeof loadConfig>>;
