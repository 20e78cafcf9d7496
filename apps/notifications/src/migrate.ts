/** `npm run migrate -w @tasks/notifications`: applies migrations to DATABASE_URL (local development and CI). */
import { createDatabase, migrateLatest } from "@tasks/shared";
import { migrations } from "../migrations/index.js";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const db = createDatabase({ connectionString: url, applicationName: "notifications-migrate" });
try {
  const applied = await migrateLatest(db, migrations);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "up to date");
} finally {
  await db.destroy();
}
