/**
 * The local OpenID Provider as an HTTP server: the provider's own endpoints (discovery, authorization,
 * token, JWKS, …) under the issuer's path, plus its login page (/interaction/<uid>), a plain HTML form
 * that checks a test user's password. `rotateKeys()` puts a new signing key first and keeps the old
 * one published, as a real provider's rotation does, without a restart.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Provider from "oidc-provider";
import type { JWK } from "oidc-provider";
import { importJWK, SignJWT } from "jose";
import { newSigningKey } from "./keys.js";
import { createProvider, defaultClientId, type ProviderSettings } from "./provider.js";
import { UserDirectory, type TestUser } from "./users.js";

export interface LocalIdpOptions {
  /** The issuer; its path is where the provider is mounted. @default http://127.0.0.1:<port> */
  readonly issuer?: string;
  readonly audience: string;
  readonly redirectUris: readonly string[];
  /** Further audiences (resource indicators) tokens may be issued for, e.g. the mcp server's. @default [] */
  readonly extraAudiences?: readonly string[];
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  readonly users?: readonly TestUser[];
  /** @default 600 */
  readonly accessTokenTtlSeconds?: number;
}

export interface LocalIdp {
  readonly issuer: string;
  readonly url: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  readonly audience: string;
  readonly users: UserDirectory;
  /** Accept one more audience (resource indicator) from now on, e.g. an mcp server on a port chosen later. */
  addAudience(audience: string): void;
  /** The kids published in the JWKS, the signing one first. */
  readonly kids: () => string[];
  /** A new signing key first; the previous signing key stays published (at most two). */
  rotateKeys(): Promise<string>;
  /**
   * Tests of what a verifier refuses: signs any claims with the provider's current signing key (RS256,
   * its kid), e.g. a future nbf. In-process only: no endpoint does this.
   */
  signForTest(claims: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) throw new Error("form too large");
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function loginPage(action: string, error?: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in: tasks platform (local)</title></head>
<body><h1>Sign in</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}">
<label>Username <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></body></html>`;
}

/** The login page and its POST: the only interaction this provider has (consent is pre-granted). */
async function interaction(provider: Provider, mountPath: string, users: UserDirectory, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const action = `${mountPath}/interaction/${details.uid}/login`;
  const send = (status: number, html: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY" });
    res.end(html);
  };
  if (req.method === "GET") return send(200, loginPage(action));
  if (req.method !== "POST" || !req.url?.endsWith("/login")) return send(405, "method not allowed");
  const form = await readForm(req);
  const user = users.check(form.get("login") ?? "", form.get("password") ?? "");
  if (!user) return send(401, loginPage(action, "Unknown user or wrong password."));
  await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
}

export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const users = new UserDirectory(options.users ?? []);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = (options.issuer ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
  const mountPath = new URL(issuer).pathname.replace(/\/$/, "");
  let keys: JWK[] = [await newSigningKey()];
  const extraAudiences = new Set(options.extraAudiences ?? []);
  const base: Omit<ProviderSettings, "keys"> = {
    issuer,
    audience: options.audience,
    extraAudiences,
    clientId: defaultClientId,
    redirectUris: options.redirectUris,
    cookieKeys: [randomBytes(32).toString("base64url")],
    mountPath,
    ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
  };
  let provider = createProvider({ ...base, keys }, users);
  let callback = provider.callback();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    if (url === "/healthz") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    if (mountPath && !(url === mountPath || url.startsWith(`${mountPath}/`) || url.startsWith(`${mountPath}?`))) {
      return void res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
    const inner = url.slice(mountPath.length) || "/";
    if (/^\/interaction\/[^/?]+(\/login)?(\?|$)/.test(inner)) {
      interaction(provider, mountPath, users, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
        res.end(`interaction failed: ${err instanceof Error ? err.message : String(err)}\n`);
      });
      return;
    }
    // oidc-provider derives its mount path from originalUrl minus url.
    Object.assign(req, { originalUrl: url, url: inner });
    void callback(req, res);
  });

  return {
    issuer,
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    jwksUrl: `http://127.0.0.1:${port}${mountPath}/jwks`,
    clientId: defaultClientId,
    audience: options.audience,
    users,
    addAudience: (audience) => void extraAudiences.add(audience),
    kids: () => keys.map((k) => String(k.kid)),
    async rotateKeys() {
      keys = [await newSigningKey(), keys[0]!];
      provider = createProvider({ ...base, keys }, users);
      callback = provider.callback();
      return String(keys[0]!.kid);
    },
    signForTest: async (claims) => {
      const key = await importJWK(keys[0]! as Parameters<typeof importJWK>[0], "RS256");
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: String(keys[0]!.kid), typ: "at+jwt" }).sign(key);
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
