/**
 * `npm run dev`: the whole platform on one machine (@tasks/dev-platform), until Ctrl-C.
 * Ctrl-C (SIGINT) or SIGTERM stops everything in order, also during the start.
 * Env: DEV_APP_PORTS=free (free app ports instead of the catalog's), KAFKA_BROKERS (use that broker), DATABASE_URL (use that Postgres, admin URL), DAPRD and
 * DAPR_SCHEDULER (binaries; else scripts/integration/dapr-binaries.sh finds or builds them).
 */
import { runDev } from "@tasks/dev-platform/dev-cli";

await runDev();
