/**
 * A service's configuration, loaded the same way by every service: its environment (`baseEnvSchema`
 * extended by the service, one message per bad key), Dapr's two tokens from their files, then — once
 * the sidecar answers — secrets from the Dapr secret store, never from env: the auth settings when the
 * catalog gives the service public routes, the database URL when it owns a database, and its own.
 */
import { secretNames, services, type ServiceName } from "@tasks/catalog";
import { z } from "zod";
import { readApiToken, readAppToken } from "./app-token.js";
import { loadAuthConfig, type SecretReader } from "./auth-config.js";
import type { AuthConfig } from "./auth.js";
import { daprHttpUrl, loadEnv, type BaseEnv } from "./config.js";
import { readSecret, waitForSidecar } from "./dapr.js";

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Pool defaults of a service that owns a database. */
export interface DatabaseDefaults {
  /** DB_POOL_MAX when unset. */
  readonly poolMax: number;
  /** Largest DB_POOL_MAX accepted. @default 200 */
  readonly poolMaxLimit?: number;
}

/** The environment a service with a database adds: DB_POOL_MAX and MIGRATE_ON_START. */
export function databaseEnvSchema(defaults: DatabaseDefaults) {
  return z.object({
    DB_POOL_MAX: z.coerce
      .number()
      .int()
      .min(1)
      .max(defaults.poolMaxLimit ?? 200)
      .default(defaults.poolMax),
    /** Apply the migrations at start; false where something else runs them (`npm run dev`). */
    MIGRATE_ON_START: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
  });
}

export interface DatabaseConfig {
  /** From the secret store (catalog secretNames.databaseUrl). */
  readonly url: string;
  readonly poolMax: number;
  readonly migrateOnStart: boolean;
}

/** Whether the catalog gives service N public routes (then its config has `auth`). */
export type HasPublicRoutes<N extends ServiceName> = (typeof services)[N]["publicRoutes"] extends readonly [] ? false : true;

export interface ServiceDefinition<N extends ServiceName, S extends z.ZodObject, X, D extends DatabaseDefaults | undefined> {
  readonly service: N;
  /** `baseEnvSchema` or an extension of it. */
  readonly envSchema: z.output<S> extends BaseEnv ? S : never;
  /** The service owns a database it connects to (its URL from the secret store). */
  readonly database?: D;
  /** The service's own secrets, read once the sidecar answers. */
  readonly secrets?: (env: z.output<S>, secret: SecretReader) => Promise<X>;
}

interface ServiceConfigBase<N extends ServiceName, E extends BaseEnv, X> {
  readonly service: N;
  readonly env: E;
  /** PORT, or the catalog's port. */
  readonly port: number;
  /** The sidecar's HTTP API and Dapr's API token (from DAPR_API_TOKEN_FILE) sent on every call to it. */
  readonly sidecar: { readonly daprHttpUrl: string; readonly apiToken: string };
  /** Dapr's app API token (from DAPR_APP_TOKEN_FILE): what the sidecar sends to the app. */
  readonly daprAppToken: string;
  /** The service's own secrets (ServiceDefinition.secrets). */
  readonly secrets: X;
}

/** A loaded configuration: `auth` when the catalog gives the service public routes, `database` when it owns one. */
export type ServiceConfig<N extends ServiceName, E extends BaseEnv, X, D extends boolean> = ServiceConfigBase<N, E, X> &
  (HasPublicRoutes<N> extends true ? { readonly auth: AuthConfig } : { readonly auth?: undefined }) &
  (D extends true ? { readonly database: DatabaseConfig } : { readonly database?: undefined });

/** Any service's loaded configuration. */
export type AnyServiceConfig = ServiceConfigBase<ServiceName, BaseEnv, unknown> & {
  readonly auth?: AuthConfig;
  readonly database?: DatabaseConfig;
};

export interface LoadOptions {
  /** How long to wait for the sidecar. @default 60000 */
  readonly sidecarDeadlineMs?: number;
}

/** Loads a service's configuration; throws ConfigError (one line per bad key) before anything else. */
export async function loadServiceConfig<
  const N extends ServiceName,
  S extends z.ZodObject,
  X = undefined,
  D extends DatabaseDefaults | undefined = undefined,
>(
  def: ServiceDefinition<N, S, X, D>,
  env: EnvSource = process.env,
  opts: LoadOptions = {},
): Promise<ServiceConfig<N, z.output<S> & BaseEnv, X, D extends DatabaseDefaults ? true : false>> {
  const spec = services[def.service];
  if (def.database && !("database" in spec)) throw new Error(`${def.service}: the catalog gives this service no database`);
  const schema = def.database ? def.envSchema.extend(databaseEnvSchema(def.database).shape) : def.envSchema;
  const e = loadEnv(schema, env) as z.output<S> & BaseEnv & Partial<z.output<ReturnType<typeof databaseEnvSchema>>>;
  const sidecar = { daprHttpUrl: daprHttpUrl(e), apiToken: readApiToken(e.DAPR_API_TOKEN_FILE) };
  const daprAppToken = readAppToken(e.DAPR_APP_TOKEN_FILE);
  await waitForSidecar({ ...sidecar, ...(opts.sidecarDeadlineMs !== undefined ? { deadlineMs: opts.sidecarDeadlineMs } : {}) });
  const secret: SecretReader = (name) => readSecret({ ...sidecar, store: e.DAPR_SECRET_STORE }, name);
  const config = {
    service: def.service,
    env: e,
    port: e.PORT ?? spec.port,
    sidecar,
    daprAppToken,
    ...(spec.publicRoutes.length > 0 ? { auth: loadAuthConfig(e) } : {}),
    ...(def.database
      ? {
          database: {
            url: await secret(secretNames.databaseUrl(def.service)),
            poolMax: e.DB_POOL_MAX!,
            migrateOnStart: e.MIGRATE_ON_START!,
          },
        }
      : {}),
    secrets: (def.secrets ? await def.secrets(e, secret) : undefined) as X,
  };
  return config as unknown as ServiceConfig<N, z.output<S> & BaseEnv, X, D extends DatabaseDefaults ? true : false>;
}
