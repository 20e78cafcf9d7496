/**
 * Prints a short-lived HS256 JWT that the services accept (apps/shared/src/auth.ts), signed with the
 * key read from stdin, so the key never appears in a command line or a log:
 *   <print the key> | npx tsx scripts/lib/mint-token.ts [--sub smoke-test] [--ttl 600] [--iss X] [--aud Y]
 * Used by the smoke test (token source) and by scripts/local-up.sh (the development token).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";

export interface TokenOptions {
  /** The user id the token authenticates. @default "smoke-test" */
  readonly sub: string;
  /** Lifetime in seconds. @default 600 */
  readonly ttlSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
}

export async function mintToken(key: string, options: TokenOptions): Promise<string> {
  const bytes = new TextEncoder().encode(key);
  if (bytes.length < 32) throw new Error("mint-token: the HS256 key on stdin must be at least 32 bytes");
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(bytes);
}

function parse(argv: readonly string[]): TokenOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const ttl = Number(get("ttl") ?? 600);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) throw new Error("mint-token: --ttl must be 1..86400 seconds");
  const issuer = get("iss") ?? process.env.JWT_ISSUER;
  const audience = get("aud") ?? process.env.JWT_AUDIENCE;
  return { sub: get("sub") ?? "smoke-test", ttlSeconds: ttl, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // A trailing newline from `echo` or `pulumi stack output` is not part of the key.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** The CLI (scripts/lib/mint-token.ts): the key on stdin, the token on stdout; exits 1 with one line on failure. */
export async function runMintTokenCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.stdout.write(`${await mintToken(await readStdin(), parse(argv))}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runMintTokenCli();
