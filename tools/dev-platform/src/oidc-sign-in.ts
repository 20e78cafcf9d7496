/**
 * Signs a test user in to an OpenID Provider the way a browser app does, without a browser: the
 * authorization code flow with PKCE (S256) against the provider's discovery document, following its
 * redirects with a cookie jar, filling in its login form (the local provider's, apps/local-idp), and
 * redeeming the code at the token endpoint. Returns the access token the services verify. Used by
 * `npm run dev`, the integration and containers tiers, the benchmarks, the smoke test and local-up.sh.
 */
import { createHash, randomBytes } from "node:crypto";

export interface SignInOptions {
  /** The provider's issuer (its discovery document is at <issuer>/.well-known/openid-configuration). */
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly username: string;
  readonly password: string;
  /** @default "openid email profile" */
  readonly scope?: string;
  /** The API the token is for (RFC 8707 resource indicator), where the provider needs one. */
  readonly resource?: string;
  /** Where to send the requests instead of the issuer's host (an ingress reached by IP, a port-forward). */
  readonly baseUrl?: string;
}

export interface TokenSet {
  readonly accessToken: string;
  readonly idToken?: string;
  readonly expiresIn?: number;
}

const b64url = (b: Buffer): string => b.toString("base64url");

/** A verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash("sha256").update(verifier).digest()) };
}

class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      if (eq > 0) this.#cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export class SignInError extends Error {
  constructor(message: string) {
    super(`sign-in: ${message}`);
    this.name = "SignInError";
  }
}

/** Runs the whole flow; throws a SignInError naming the step that failed. */
export async function signIn(o: SignInOptions): Promise<TokenSet> {
  const rewrite = (u: string): string => {
    if (!o.baseUrl) return u;
    const url = new URL(u);
    const base = new URL(o.baseUrl);
    url.protocol = base.protocol;
    url.host = base.host;
    return url.toString();
  };
  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const target = rewrite(url);
    const res = await fetch(target, { ...init, redirect: "manual", headers: { ...(init.headers ?? {}), cookie: jar.header() } }).catch(
      (err: unknown) => {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new SignInError(`cannot reach ${new URL(target).origin}: ${cause?.code ?? cause?.message ?? String(err)}`);
      },
    );
    jar.store(res);
    return res;
  };
  const discovery = await request(`${o.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new SignInError(`discovery answered ${discovery.status}`);
  const meta = (await discovery.json()) as { authorization_endpoint: string; token_endpoint: string };

  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(16));
  const auth = new URL(meta.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    scope: o.scope ?? "openid email profile",
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...(o.resource ? { resource: o.resource } : {}),
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);

  // Follow redirects until the provider sends us back to the redirect URI; fill in the login form on the way.
  let res = await request(auth.toString());
  let at = auth.toString();
  for (let hop = 0; hop < 12; hop++) {
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, at).toString();
      if (next.startsWith(o.redirectUri)) return redeem(new URL(next));
      at = next;
      res = await request(next);
      continue;
    }
    const body = await res.text();
    const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(body);
    if (res.status !== 200 || !form) throw new SignInError(`expected the login form at ${at}, got ${res.status}: ${body.slice(0, 200)}`);
    const action = new URL(
      form[1]!.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
      at,
    ).toString();
    res = await request(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login: o.username, password: o.password }).toString(),
    });
    if (res.status === 401) throw new SignInError(`the provider refused the password of ${o.username}`);
    at = action;
  }
  throw new SignInError("too many redirects");

  async function redeem(callback: URL): Promise<TokenSet> {
    if (callback.searchParams.get("error")) {
      throw new SignInError(
        `the provider answered ${callback.searchParams.get("error")}: ${callback.searchParams.get("error_description") ?? ""}`,
      );
    }
    if (callback.searchParams.get("state") !== state) throw new SignInError("the state came back changed");
    const code = callback.searchParams.get("code");
    if (!code) throw new SignInError("no code in the redirect");
    const token = await request(meta.token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: o.redirectUri,
        client_id: o.clientId,
        code_verifier: verifier,
        ...(o.resource ? { resource: o.resource } : {}),
      }).toString(),
    });
    const json = (await token.json()) as { access_token?: string; id_token?: string; expires_in?: number; error?: string };
    if (!token.ok || !json.access_token) throw new SignInError(`the token endpoint answered ${token.status} ${json.error ?? ""}`.trim());
    return {
      accessToken: json.access_token,
      ...(json.id_token ? { idToken: json.id_token } : {}),
      ...(json.expires_in ? { expiresIn: json.expires_in } : {}),
    };
  }
}
