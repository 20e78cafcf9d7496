/**
 * The web server's settings from the environment, checked at start-up (one message naming every bad key).
 * The browser gets the public part as /config.json (never inlined in the page, so the CSP needs no inline
 * script and one image serves every stack):
 *   OIDC_ISSUER (else JWT_ISSUER, which every public service gets), OIDC_CLIENT_ID (@default tasks-web, the
 *   local provider's client), OIDC_SCOPE (@default "openid email tasks"), OIDC_RESOURCE (else JWT_AUDIENCE:
 *   the RFC 8707 resource the access token is for), API_BASE (@default "": the APIs share the web origin
 *   behind the ingress; TASKS_API_BASE, NOTIFICATIONS_API_BASE, AUDIT_API_BASE override it per API, as on
 *   one machine where each service has its own port), REALTIME_URL (@default "": ws(s)://<web origin>/ws),
 *   PORT, HOST. Web Push's VAPID public key is not config: the client reads it from the notifications API.
 */
export interface WebRuntimeConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** The access token's audience, asked for as an RFC 8707 resource; "" = the provider's default. */
  readonly resource: string;
  /** Base URL per API; "" = the web origin. */
  readonly apiBase: { readonly tasks: string; readonly notifications: string; readonly audit: string };
  /** The realtime WebSocket URL; "" = <web origin>/ws. */
  readonly realtimeUrl: string;
}

export interface WebServerConfig {
  readonly port: number;
  readonly host: string;
  readonly runtime: WebRuntimeConfig;
  /** Origins the page may connect to besides its own (connect-src): the issuer's and the APIs'. */
  readonly connectOrigins: readonly string[];
}

export class WebConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export function loadWebConfig(env: Readonly<Record<string, string | undefined>>): WebServerConfig {
  const problems: string[] = [];
  const issuer = env.OIDC_ISSUER ?? env.JWT_ISSUER ?? "";
  if (!issuer) problems.push("OIDC_ISSUER: missing (or JWT_ISSUER), expected the OpenID provider's issuer URL");
  else if (!/^https?:\/\/\S+$/.test(issuer)) problems.push(`OIDC_ISSUER: "${issuer}" is not an http(s) URL`);
  const port = Number(env.PORT ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: "${env.PORT}" is not a port (0..65535)`);
  const urlOrEmpty = (key: string): string => {
    const v = env[key] ?? "";
    if (v && !/^(https?|wss?):\/\/[^\s/]+(\/\S*)?$/.test(v)) problems.push(`${key}: "${v}" is not an absolute URL`);
    return v.replace(/\/$/, "");
  };
  const base = urlOrEmpty("API_BASE");
  const apiBase = {
    tasks: urlOrEmpty("TASKS_API_BASE") || base,
    notifications: urlOrEmpty("NOTIFICATIONS_API_BASE") || base,
    audit: urlOrEmpty("AUDIT_API_BASE") || base,
  };
  const realtimeUrl = urlOrEmpty("REALTIME_URL");
  if (problems.length) throw new WebConfigError(problems);
  const runtime: WebRuntimeConfig = {
    issuer: issuer.replace(/\/$/, ""),
    clientId: env.OIDC_CLIENT_ID ?? "tasks-web",
    scope: env.OIDC_SCOPE ?? "openid email tasks",
    resource: env.OIDC_RESOURCE ?? env.JWT_AUDIENCE ?? "",
    apiBase,
    realtimeUrl,
  };
  const connectOrigins = [issuer, ...Object.values(apiBase), realtimeUrl]
    .map((u) => (u ? originOf(u) : undefined))
    .filter((o): o is string => typeof o === "string" && o !== "null");
  return { port, host: env.HOST ?? "0.0.0.0", runtime, connectOrigins: [...new Set(connectOrigins)] };
}
