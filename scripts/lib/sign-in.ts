/**
 * `<password> | npx tsx scripts/lib/sign-in.ts --issuer <url> --user <name> [...]` (also `npm run sign-in -s`):
 * signs a test user in by code + PKCE and prints the access token (@tasks/dev-platform/sign-in-cli). Run by
 * path from shell and CI.
 */
import { runSignInCli } from "@tasks/dev-platform/sign-in-cli";

await runSignInCli();
