/** The web app without a listening socket: settings from the environment, the bundle built, the request handler. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildBundle, type Bundle } from "./bundle.js";
import { loadWebConfig, type WebServerConfig } from "./config.js";
import { createWebHandler } from "./server.js";

export interface WebApp {
  readonly config: WebServerConfig;
  readonly bundle: Bundle;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export async function createWebApp(env: Readonly<Record<string, string | undefined>>): Promise<WebApp> {
  const config = loadWebConfig(env);
  const bundle = await buildBundle();
  return { config, bundle, handler: createWebHandler(bundle, config) };
}
