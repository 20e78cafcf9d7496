import { services } from "@tasks/catalog";
import { baseEnvSchema, loadEnv } from "@tasks/shared";

/** Environment of the recurrence service (nothing secret: it holds no credentials). */
export const recurrenceEnvSchema = baseEnvSchema;

export type RecurrenceConfig = ReturnType<typeof loadRecurrenceConfig>;

export function loadRecurrenceConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  const parsed = loadEnv(recurrenceEnvSchema, env);
  return { ...parsed, PORT: parsed.PORT ?? services.recurrence.port };
}
