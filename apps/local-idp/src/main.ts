/**
 * The local OpenID Provider as the local stack runs it (one pod, never on Azure). Environment, none of it
 * secret: IDP_ISSUER (https://<domain>/idp), IDP_AUDIENCE, IDP_EXTRA_AUDIENCES (optional, comma-
 * separated: the mcp server's own audience), IDP_REDIRECT_URIS (comma-separated), PORT;
 * the test users (with their passwords) come from the mounted file IDP_USERS_FILE. Signing keys are
 * generated at start: a restart rotates them, and the services fetch the new JWKS on the unknown kid.
 */
import { readFileSync } from "node:fs";
import { startLocalIdp } from "./app.js";
import { parseUsers } from "./users.js";

function required(name: string, problems: string[]): string {
  const v = process.env[name];
  if (!v) problems.push(`${name}: missing`);
  return v ?? "";
}

const problems: string[] = [];
const issuer = required("IDP_ISSUER", problems);
const audience = required("IDP_AUDIENCE", problems);
const redirectUris = required("IDP_REDIRECT_URIS", problems).split(",").filter(Boolean);
const usersFile = required("IDP_USERS_FILE", problems);
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push("PORT: expected 1..65535");
if (problems.length) {
  console.error(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
const idp = await startLocalIdp({
  issuer,
  audience,
  redirectUris,
  extraAudiences: (process.env.IDP_EXTRA_AUDIENCES ?? "").split(",").filter(Boolean),
  port,
  host: "0.0.0.0",
  users: parseUsers(readFileSync(usersFile, "utf8")),
});
console.log(JSON.stringify({ msg: "local-idp listening", issuer: idp.issuer, port, users: idp.users.size, kids: idp.kids() }));
const stop = (): void => void idp.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
