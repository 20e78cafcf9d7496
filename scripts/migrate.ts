/** `npm run migrate [-- --service <name>]`: applies every service's knex migrations (@tasks/dev-platform/migrate). */
import { runMigrateCli } from "@tasks/dev-platform/migrate";

await runMigrateCli();
