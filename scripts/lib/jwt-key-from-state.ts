/**
 * Prints the JWT signing key of a deployed stack, read from its state on stdin
 * (`pulumi stack export --show-secrets --stack <s> | npx tsx scripts/lib/jwt-key-from-state.ts`).
 * The stacks generate the key with @pulumi/random (resource named `<prefix>-jwt-signing-key`) and
 * store it in Key Vault, which CI cannot reach (its network access is restricted); the state holds
 * the same value, encrypted, and whoever may deploy the stack may decrypt it. Pipe the output
 * straight into scripts/lib/mint-token.ts; never print it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { secretNames } from "@tasks/catalog";

interface StateResource {
  readonly urn?: string;
  readonly type?: string;
  readonly outputs?: Record<string, unknown>;
}

const randomPasswordType = "random:index/randomPassword:RandomPassword";

export function jwtKeyFromState(state: unknown): string {
  const resources = (state as { deployment?: { resources?: StateResource[] } })?.deployment?.resources;
  if (!Array.isArray(resources)) throw new Error("expected `pulumi stack export` JSON with deployment.resources");
  const suffix = secretNames.jwtSigningKey;
  const matches = resources.filter(
    (r) => r.type === randomPasswordType && typeof r.urn === "string" && (r.urn.endsWith(`-${suffix}`) || r.urn.endsWith(`::${suffix}`)),
  );
  if (matches.length !== 1) throw new Error(`expected one ${randomPasswordType} named *${suffix} in the state, found ${matches.length}`);
  const result = matches[0]?.outputs?.result;
  // Exported with --show-secrets, a secret is `{ "4dabf18193072939515e22adb298388d": <sig>, "plaintext": "\"...\"" }`
  // on older CLIs and the plain value on newer ones.
  if (typeof result === "string") return result;
  const plaintext = (result as { plaintext?: unknown } | undefined)?.plaintext;
  if (typeof plaintext === "string") return JSON.parse(plaintext) as string;
  throw new Error("the signing key is encrypted in this export: run pulumi stack export with --show-secrets");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chunks: Buffer[] = [];
  process.stdin
    .on("data", (c: Buffer) => chunks.push(c))
    .on("end", () => {
      try {
        process.stdout.write(jwtKeyFromState(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      } catch (e) {
        process.stderr.write(`jwt-key-from-state: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      }
    });
}
