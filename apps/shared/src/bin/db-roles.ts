/**
 * The database-roles Job's command (`node --import tsx /app/apps/shared/src/bin/db-roles.ts`): for every
 * catalog service with a database, connects to that database as the server administrator and runs
 * ensureServiceRole (its own login role, owning only its database). Reads files, never the environment,
 * from DB_ROLES_DIR (default /run/secrets/db-roles, the Job's read-only Secret volume):
 *   admin-url            postgres://<admin>:<password>@<host>:<port>/<any db>?sslmode=…; its path is
 *                        replaced by each service's database
 *   <service>-password   the password of that service's role (catalog databaseRole)
 * Prints one JSON line per service (never a password); exits 1 with a message naming the problem.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseRole, servicesWithDatabase } from "@tasks/catalog";
import { ensureServiceRoleOn } from "../db-roles.js";

export const defaultDbRolesDir = "/run/secrets/db-roles";

export interface DbRolesOptions {
  /** Directory of the admin-url and <service>-password files. */
  readonly dir: string;
  /** One line per service. @default console.log */
  readonly log?: (line: string) => void;
}

async function readSecretFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    const value = (await readFile(file, "utf8")).trim();
    if (!value) throw new Error(`${file} is empty`);
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${file} is missing (DB_ROLES_DIR=${dir})`, { cause: err });
    throw err;
  }
}

/** Ensures every catalog service's role; throws on the first failure, naming the service. */
export async function runDbRoles(opts: DbRolesOptions): Promise<void> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const adminUrl = await readSecretFile(opts.dir, "admin-url");
  try {
    new URL(adminUrl);
  } catch {
    throw new Error(`${path.join(opts.dir, "admin-url")} is not a URL`);
  }
  const targets = servicesWithDatabase();
  // Every password first: a missing file stops the run before any change.
  const passwords: string[] = [];
  for (const s of targets) passwords.push(await readSecretFile(opts.dir, `${s.name}-password`));
  for (const [i, s] of targets.entries()) {
    const role = databaseRole(s.name);
    const started = Date.now();
    try {
      const r = await ensureServiceRoleOn(adminUrl, { role, password: passwords[i]!, database: s.database });
      log(
        JSON.stringify({
          level: "info",
          msg: "service role ensured",
          service: s.name,
          role,
          database: s.database,
          created: r.created,
          transferred: r.transferred,
          ms: Date.now() - started,
        }),
      );
    } catch (err) {
      throw new Error(`${s.name} (role ${role}, database ${s.database}): ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.env.DB_ROLES_DIR || defaultDbRolesDir;
  runDbRoles({ dir }).then(
    () => console.log(JSON.stringify({ level: "info", msg: "db-roles: done", services: servicesWithDatabase().map((s) => s.name) })),
    (err: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: `db-roles failed: ${err instanceof Error ? err.message : String(err)}` }));
      process.exit(1);
    },
  );
}
