/**
 * The browser bundle, built in memory at start-up by esbuild from client/ (no build step, no files written:
 * the container's root filesystem is read-only). Entry and chunk names carry a content hash, so they are
 * served as immutable; index.html and the service worker (whose URL must stay stable) are not.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { build, type Plugin } from "esbuild";

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "client");

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Hashed name: cache for a year, never revalidate. */
  readonly immutable: boolean;
}

export interface Bundle {
  /** URL path → asset; "/index.html" and "/sw.js" included. */
  readonly assets: ReadonlyMap<string, Asset>;
  /** The hashed URL of the entry script and stylesheet, as index.html names them. */
  readonly entry: { readonly script: string; readonly style: string };
}

const types: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};
const typeOf = (p: string): string => types[path.extname(p)] ?? "application/octet-stream";

/**
 * rrule's "module" build has no default export, while Node (and so the recurrence engine, written for Node)
 * loads its CommonJS main, whose default is the module: bundle the same file Node runs.
 */
const rruleAsNodeLoadsIt: Plugin = {
  name: "rrule-cjs",
  setup(b) {
    const require = createRequire(import.meta.url);
    b.onResolve({ filter: /^rrule$/ }, () => ({ path: require.resolve("rrule") }));
  },
};

export async function buildBundle(opts: { minify?: boolean } = {}): Promise<Bundle> {
  const minify = opts.minify ?? true;
  const app = await build({
    entryPoints: { app: path.join(clientDir, "main.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    target: ["chrome110", "firefox110", "safari16"],
    minify,
    sourcemap: false,
    write: false,
    outdir: "/assets",
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    legalComments: "none",
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [rruleAsNodeLoadsIt],
  });
  const sw = await build({
    entryPoints: [path.join(clientDir, "sw", "sw.ts")],
    bundle: true,
    format: "esm",
    minify,
    write: false,
    outfile: "/sw.js",
    logLevel: "silent",
  });
  const assets = new Map<string, Asset>();
  for (const f of app.outputFiles) {
    assets.set(f.path, { body: Buffer.from(f.contents), contentType: typeOf(f.path), immutable: true });
  }
  const css = readFileSync(path.join(clientDir, "styles.css"));
  const cssPath = `/assets/app-${createHash("sha256").update(css).digest("hex").slice(0, 10)}.css`;
  assets.set(cssPath, { body: css, contentType: typeOf(cssPath), immutable: true });
  const script = [...assets.keys()].find((p) => /^\/assets\/app-[^/]+\.js$/.test(p));
  if (!script) throw new Error("esbuild produced no app entry");
  assets.set("/sw.js", { body: Buffer.from(sw.outputFiles[0]!.contents), contentType: typeOf("/sw.js"), immutable: false });
  const html = readFileSync(path.join(clientDir, "index.html"), "utf8").replace("%SCRIPT%", script).replace("%STYLE%", cssPath);
  assets.set("/index.html", { body: Buffer.from(html), contentType: typeOf("/index.html"), immutable: false });
  return { assets, entry: { script, style: cssPath } };
}
