/** The web app's process: settings checked, bundle built in memory, then served. SIGTERM closes and exits. */
import { buildBundle } from "./bundle.js";
import { loadWebConfig, WebConfigError } from "./config.js";
import { startWebServer } from "./server.js";

let config;
try {
  config = loadWebConfig(process.env);
} catch (err) {
  if (!(err instanceof WebConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const t0 = Date.now();
const bundle = await buildBundle();
const { server, port } = await startWebServer(bundle, config);
console.log(
  JSON.stringify({ msg: "web listening", port, bundleMs: Date.now() - t0, assets: bundle.assets.size, issuer: config.runtime.issuer }),
);
const stop = (): void => void server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
