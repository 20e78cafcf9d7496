/**
 * `npm run migrate [-- --service <name>]`: applies every service's knex migrations.
 * A service takes part when it owns a database in the catalog and has apps/<service>/migrations/index.ts
 * exporting `migrations` (the list @tasks/shared's migrateLatest runs).
 * Connection: <SERVICE>_DATABASE_URL (e.g. TASKS_API_DATABASE_URL) as is; otherwise DATABASE_URL is
 * an admin URL: the catalog's database for the service is created if missing and migrated.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { servicesWithDatabase } from "@tasks/catalog";
import { createDatabase, databaseUrl, ensureDatabaseExists, migrateLatest, type Migration } from "@tasks/shared";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function serviceUrlVariable(service: string): string {
  return `${service.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_DATABASE_URL`;
}

async function main(args: readonly string[]): Promise<void> {
  const only = args.includes("--service") ? args[args.indexOf("--service") + 1] : undefined;
  const targets = servicesWithDatabase().filter((s) => !only || s.name === only);
  if (only && targets.length === 0) throw new Error(`--service ${only}: no such service with a database in the catalog`);
  let ran = 0;
  for (const svc of targets) {
    const file = path.join(root, "apps", svc.name, "migrations", "index.ts");
    if (!existsSync(file)) {
      console.log(`${svc.name}: no migrations (apps/${svc.name}/migrations/index.ts), skipped`);
      continue;
    }
    const own = process.env[serviceUrlVariable(svc.name)];
    const admin = process.env.DATABASE_URL;
    if (!own && !admin) throw new Error(`${svc.name}: set ${serviceUrlVariable(svc.name)} or DATABASE_URL`);
    let url = own;
    if (!url) {
      await ensureDatabaseExists(admin!, svc.database);
      url = databaseUrl(admin!, svc.database);
    }
    const mod = (await import(pathToFileURL(file).href)) as { migrations?: readonly Migration[] };
    if (!mod.migrations) throw new Error(`${file} does not export "migrations"`);
    const knex = createDatabase({ connectionString: url, poolMin: 0, poolMax: 1, applicationName: "migrate" });
    try {
      const applied = await migrateLatest(knex, mod.migrations);
      console.log(
        `${svc.name} (database ${new URL(url).pathname.slice(1)}): ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`,
      );
      ran++;
    } finally {
      await knex.destroy();
    }
  }
  console.log(`migrate: ${ran} service(s) migrated`);
}

/** The CLI (scripts/migrate.ts, `npm run migrate`; the dev platform runs this file): exits 1 on failure. */
export async function runMigrateCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  await main(argv).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runMigrateCli();
