/**
 * The run loop every service's main.ts hands itself to: load the config (env, tokens, wait for the
 * sidecar, secrets), open the database and apply the migrations when MIGRATE_ON_START says so, build
 * the app, listen, and on SIGTERM/SIGINT mark /readyz draining, drain HTTP, run the service's stop
 * steps and close the pool. A failure before listening is logged as "startup failed" and exits 1.
 */
import type { Server } from "node:http";
import type { ServiceName } from "@tasks/catalog";
import type { Express } from "express";
import { listen } from "./app.js";
import { createDatabase, migrateLatest, type Knex, type Migration } from "./db.js";
import type { Health } from "./health.js";
import { createLogger, type Logger } from "./logging.js";
import { createRegistry, type Registry } from "./metrics.js";
import type { AnyServiceConfig, DatabaseConfig } from "./service-config.js";
import { createShutdown, onSignals, type ShutdownStep } from "./shutdown.js";

type WithDatabase = { readonly database: DatabaseConfig };

export interface ServiceContext<C extends AnyServiceConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The service's pool (when its config has a database), closed last on shutdown. */
  readonly db: C extends WithDatabase ? Knex : undefined;
}

/** What a service hands back to the run loop. */
export interface ServiceParts {
  readonly app: Express;
  readonly health: Pick<Health, "setDraining">;
  /** Once the server listens, e.g. attach a WebSocket endpoint. */
  readonly afterListen?: (server: Server) => void;
  /** On a stop signal, before HTTP drains (after /readyz turns 503), e.g. close WebSockets. */
  readonly beforeClose?: () => void;
  /** Run in order after HTTP drained, before the pool closes. */
  readonly stopSteps?: readonly ShutdownStep[];
}

export type RunSpec<C extends AnyServiceConfig> = {
  readonly service: ServiceName;
  /** The service's loadConfig (config.ts). */
  readonly loadConfig: () => Promise<C>;
  readonly start: (ctx: ServiceContext<C>) => ServiceParts | Promise<ServiceParts>;
} & (C extends WithDatabase ? { readonly migrations: readonly Migration[] } : { readonly migrations?: undefined });

/** Runs a service until a stop signal; never rejects (a start-up failure exits the process with 1). */
export async function runService<C extends AnyServiceConfig>(spec: RunSpec<C>): Promise<void> {
  const bootLogger = createLogger({ service: spec.service });
  try {
    const config = await spec.loadConfig();
    const logger = createLogger({ service: spec.service, level: config.env.LOG_LEVEL });
    const db = config.database ? await openDatabase(spec.service, config.database, spec.migrations ?? [], logger) : undefined;
    const registry = createRegistry(spec.service);
    const parts = await spec.start({ config, logger, registry, db } as ServiceContext<C>);
    const server = await listen(parts.app, config.port, config.env.HOST);
    parts.afterListen?.(server);
    logger.info({ port: config.port }, "listening");
    const shutdown = createShutdown({
      server,
      logger,
      beforeClose: () => {
        parts.health.setDraining();
        parts.beforeClose?.();
      },
      timeoutMs: config.env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      steps: [...(parts.stopSteps ?? []), ...(db ? [{ name: "database pool", run: () => db.destroy() }] : [])],
    });
    onSignals(shutdown, logger);
  } catch (err) {
    bootLogger.fatal({ err }, "startup failed");
    process.exit(1);
  }
}

async function openDatabase(service: ServiceName, cfg: DatabaseConfig, migrations: readonly Migration[], logger: Logger): Promise<Knex> {
  const db = createDatabase({ connectionString: cfg.url, poolMax: cfg.poolMax, applicationName: service, logger });
  if (cfg.migrateOnStart) logger.info({ applied: await migrateLatest(db, migrations) }, "migrations");
  else logger.info("migrations left to the platform (MIGRATE_ON_START=false)");
  return db;
}
