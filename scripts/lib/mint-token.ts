/**
 * `<print the key> | npx tsx scripts/lib/mint-token.ts [--sub smoke-test] [--ttl 600] [--iss X] [--aud Y]`:
 * a short-lived JWT the services accept (@tasks/dev-platform/mint-token). Run by path from shell and CI.
 */
import { runMintTokenCli } from "@tasks/dev-platform/mint-token";

await runMintTokenCli();
