/**
 * `npm run sign-in -s -- --issuer <url> --user <name> [--client tasks-web] [--redirect-uri <uri>]
 *  [--resource <api>] [--scope "<scopes>"] [--base-url <url>]`, the password on stdin (never on a command
 * line): signs the test user in by code + PKCE through the provider's login form and prints the access
 * token. The smoke test, scripts/local-up.sh and verify-local.sh get their tokens this way.
 */
import { signIn, type SignInOptions } from "./oidc-sign-in.js";

const usage =
  "usage: <password on stdin> | npm run sign-in -s -- --issuer <url> --user <name> [--client tasks-web] [--redirect-uri <uri>] [--resource <api>] [--scope <scopes>] [--base-url <url>]";

export function parseSignInArgs(argv: readonly string[], password: string): SignInOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const issuer = get("issuer");
  const username = get("user");
  if (!issuer || !username) throw new Error(usage);
  if (!password) throw new Error("sign-in: no password on stdin");
  const resource = get("resource");
  const scope = get("scope");
  const baseUrl = get("base-url");
  return {
    issuer,
    username,
    password,
    clientId: get("client") ?? "tasks-web",
    redirectUri: get("redirect-uri") ?? "http://127.0.0.1:5173/callback",
    ...(resource ? { resource } : {}),
    ...(scope ? { scope } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** The CLI: the token on stdout; exits 1 with one line on failure. */
export async function runSignInCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    const tokens = await signIn(parseSignInArgs(argv, await readStdin()));
    process.stdout.write(`${tokens.accessToken}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
