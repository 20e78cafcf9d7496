/** audit configuration: plain settings from env; the database URL and JWT key from the Dapr secret store. */
import { secretNames, services } from "@tasks/catalog";
import {
  baseEnvSchema,
  daprHttpUrl,
  jwtClaimsConfig,
  loadEnv,
  readApiToken,
  readAppToken,
  readSecret,
  type AuthConfig,
} from "@tasks/shared";
import { z } from "zod";

export const envSchema = baseEnvSchema.extend({
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  MIGRATE_ON_START: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});
export type AuditEnv = z.output<typeof envSchema>;

export interface AuditConfig {
  readonly env: AuditEnv;
  readonly port: number;
  readonly daprHttpUrl: string;
  /** Dapr's API token for calls to the sidecar, from the mounted file DAPR_API_TOKEN_FILE. */
  readonly daprApiToken: string;
  readonly databaseUrl: string;
  readonly auth: AuthConfig;
  /** Dapr's app API token, from the mounted file DAPR_APP_TOKEN_FILE. */
  readonly daprAppToken: string;
}

export async function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Promise<AuditConfig> {
  const e = loadEnv(envSchema, env);
  const dapr = daprHttpUrl(e);
  const apiToken = readApiToken(e.DAPR_API_TOKEN_FILE);
  const secret = (name: string) => readSecret({ daprHttpUrl: dapr, apiToken, store: e.DAPR_SECRET_STORE }, name);
  const claims = jwtClaimsConfig(e);
  const auth: AuthConfig = e.JWT_JWKS_URL
    ? { jwksUrl: e.JWT_JWKS_URL, ...claims }
    : { hs256Key: await secret(secretNames.jwtSigningKey), ...claims };
  return {
    env: e,
    port: e.PORT ?? services.audit.port,
    daprHttpUrl: dapr,
    daprApiToken: apiToken,
    databaseUrl: await secret(secretNames.databaseUrl(services.audit.name)),
    auth,
    daprAppToken: readAppToken(e.DAPR_APP_TOKEN_FILE),
  };
}
