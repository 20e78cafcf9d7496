/**
 * `KAFKA_BROKERS=host:port npm run dlq:replay -- --topic <topic> [--dry-run] [--wait-ms 10000]`: republishes
 * dead-lettered events to their original topic (@tasks/dev-platform/dlq-replay).
 */
import { runDlqReplayCli } from "@tasks/dev-platform/dlq-replay";

await runDlqReplayCli();
