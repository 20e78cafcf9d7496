/** The runtime config the server serves as /config.json (apps/web/src/config.ts WebRuntimeConfig). */
export interface RuntimeConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly resource: string;
  readonly apiBase: { readonly tasks: string; readonly notifications: string; readonly audit: string };
  readonly realtimeUrl: string;
}

export async function loadConfig(): Promise<RuntimeConfig> {
  const res = await fetch("/config.json", { cache: "no-cache" });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return (await res.json()) as RuntimeConfig;
}
