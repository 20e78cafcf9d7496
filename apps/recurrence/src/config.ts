/** recurrence configuration: the common env only (it holds no credentials and has no public routes). */
import { baseEnvSchema, loadServiceConfig, type EnvSource } from "@tasks/shared";

export const envSchema = baseEnvSchema;

export const loadConfig = (env: EnvSource = process.env) => loadServiceConfig({ service: "recurrence", envSchema }, env);
export type RecurrenceConfig = Awaited<ReturnType<typeof loadConfig>>;
