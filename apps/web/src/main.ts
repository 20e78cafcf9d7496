/** The web app's process: settings checked, bundle built in memory, then served. SIGTERM closes and exits. */
import { createServer } from "node:http";
import { createWebApp, type WebApp } from "./app.js";
import { WebConfigError } from "./config.js";

const t0 = Date.now();
let app: WebApp;
try {
  app = await createWebApp(process.env);
} catch (err) {
  if (!(err instanceof WebConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const server = createServer(app.handler);
server.listen(app.config.port, app.config.host, () => {
  const { port, host } = app.config;
  console.log(
    JSON.stringify({
      msg: "web listening",
      host,
      port,
      startMs: Date.now() - t0,
      assets: app.bundle.assets.size,
      issuer: app.config.runtime.issuer,
    }),
  );
});
const stop = (signal: NodeJS.Signals): void => {
  // The same line as runService's, which the container tier and the runbooks look for.
  console.log(JSON.stringify({ msg: "shutting down", signal }));
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
