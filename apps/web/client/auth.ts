/**
 * Sign-in with the stack's OpenID provider: authorization code + PKCE (S256), tokens in memory only.
 * Renewal: the refresh token (in memory) a minute before the access token expires; after a reload (memory
 * gone) a top-level `prompt=none` authorization brings a new code while the provider's session lasts.
 * Only the PKCE verifier, state and nonce of an authorization in flight go to sessionStorage.
 */
import type { RuntimeConfig } from "./config.js";

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
  silent: boolean;
}

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  expiresAt: number;
}

const PENDING = "tasks.oidc.pending";
const SILENT_TRIED = "tasks.oidc.silent";
const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const random = (n = 32): string => b64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = (): string => `${location.origin}/`;

export class Auth {
  private tokens: Tokens | undefined;
  private discovery: Discovery | undefined;
  private renewTimer: number | undefined;
  private renewing: Promise<boolean> | undefined;
  /** Called when the session ends (sign-out, or renewal failed). */
  onSignedOut: () => void = () => undefined;
  user: { sub: string; email?: string } | undefined;

  constructor(private readonly config: RuntimeConfig) {}

  get signedIn(): boolean {
    return this.tokens !== undefined;
  }

  private async meta(): Promise<Discovery> {
    if (!this.discovery) {
      const res = await fetch(`${this.config.issuer}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OpenID discovery: HTTP ${res.status}`);
      this.discovery = (await res.json()) as Discovery;
    }
    return this.discovery;
  }

  /** Sends the browser to the provider (prompt=none: silently, back with a code or login_required). */
  async signIn(opts: { silent?: boolean; returnTo?: string } = {}): Promise<never> {
    const d = await this.meta();
    const verifier = random(48);
    const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    const pending: Pending = {
      state: random(),
      verifier,
      nonce: random(),
      returnTo: opts.returnTo ?? location.hash,
      silent: !!opts.silent,
    };
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    const q = new URLSearchParams({
      response_type: "code",
      client_id: this.config.clientId,
      redirect_uri: redirectUri(),
      scope: this.config.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    if (this.config.resource) q.set("resource", this.config.resource);
    if (opts.silent) q.set("prompt", "none");
    location.assign(`${d.authorization_endpoint}?${q}`);
    return new Promise<never>(() => undefined);
  }

  /**
   * On load: finishes an authorization coming back (?code or ?error), else tries a silent one once per tab
   * session. Resolves to whether the user is signed in (false: show the sign-in button).
   */
  async start(): Promise<boolean> {
    const params = new URLSearchParams(location.search);
    const raw = sessionStorage.getItem(PENDING);
    if ((params.has("code") || params.has("error")) && raw) {
      sessionStorage.removeItem(PENDING);
      const pending = JSON.parse(raw) as Pending;
      history.replaceState(null, "", `/${pending.returnTo}`);
      if (params.get("state") !== pending.state) throw new Error("Sign-in failed: the state does not match (try again).");
      const error = params.get("error");
      if (error) {
        if (pending.silent && ["login_required", "interaction_required", "consent_required"].includes(error)) return false;
        throw new Error(`Sign-in failed: ${error} ${params.get("error_description") ?? ""}`.trim());
      }
      await this.exchange({
        grant_type: "authorization_code",
        code: params.get("code")!,
        redirect_uri: redirectUri(),
        code_verifier: pending.verifier,
      });
      return true;
    }
    if (!sessionStorage.getItem(SILENT_TRIED)) {
      sessionStorage.setItem(SILENT_TRIED, "1");
      await this.signIn({ silent: true });
    }
    return false;
  }

  private async exchange(body: Record<string, string>): Promise<void> {
    const d = await this.meta();
    const form = new URLSearchParams({ client_id: this.config.clientId, ...body });
    if (this.config.resource) form.set("resource", this.config.resource);
    const res = await fetch(d.token_endpoint, { method: "POST", body: form, headers: { accept: "application/json" } });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof json.access_token !== "string") {
      throw new Error(`Token request failed: ${String(json.error ?? res.status)} ${String(json.error_description ?? "")}`.trim());
    }
    const expiresIn = typeof json.expires_in === "number" ? json.expires_in : 300;
    this.tokens = {
      accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : this.tokens?.refreshToken,
      idToken: typeof json.id_token === "string" ? json.id_token : this.tokens?.idToken,
      expiresAt: Date.now() + expiresIn * 1000,
    };
    const claims = JSON.parse(atob(json.access_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as {
      sub: string;
      email?: string;
    };
    this.user = { sub: claims.sub, ...(claims.email ? { email: claims.email } : {}) };
    sessionStorage.removeItem(SILENT_TRIED);
    this.scheduleRenewal(expiresIn);
  }

  private scheduleRenewal(expiresIn: number): void {
    window.clearTimeout(this.renewTimer);
    const inMs = Math.max(5_000, (expiresIn - 60) * 1000);
    this.renewTimer = window.setTimeout(() => void this.renew(), inMs);
  }

  /** Renews with the refresh token; false (and signed out) when it cannot. Concurrent callers share one renewal. */
  renew(): Promise<boolean> {
    this.renewing ??= (async () => {
      try {
        if (!this.tokens?.refreshToken) throw new Error("no refresh token");
        await this.exchange({ grant_type: "refresh_token", refresh_token: this.tokens.refreshToken });
        return true;
      } catch {
        this.tokens = undefined;
        this.onSignedOut();
        return false;
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }

  /** A valid access token, renewed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.tokens && this.tokens.expiresAt - Date.now() < 30_000) await this.renew();
    if (!this.tokens) throw new Error("Signed out.");
    return this.tokens.accessToken;
  }

  /** Forgets the tokens and ends the provider's session (RP-initiated logout), back to this page. */
  async signOut(): Promise<void> {
    const idToken = this.tokens?.idToken;
    this.tokens = undefined;
    window.clearTimeout(this.renewTimer);
    sessionStorage.setItem(SILENT_TRIED, "1");
    const d = await this.meta();
    if (!d.end_session_endpoint) return this.onSignedOut();
    const q = new URLSearchParams({ client_id: this.config.clientId, post_logout_redirect_uri: redirectUri() });
    if (idToken) q.set("id_token_hint", idToken);
    location.assign(`${d.end_session_endpoint}?${q}`);
  }
}
