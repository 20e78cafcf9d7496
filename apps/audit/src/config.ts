/** audit configuration: the common env; the database URL and the auth settings through the bootstrap. */
import { baseEnvSchema, loadServiceConfig, type EnvSource } from "@tasks/shared";

export const envSchema = baseEnvSchema;

export const loadConfig = (env: EnvSource = process.env) =>
  loadServiceConfig({ service: "audit", envSchema, database: { poolMax: 10 } }, env);
export type AuditConfig = Awaited<ReturnType<typeof loadConfig>>;
