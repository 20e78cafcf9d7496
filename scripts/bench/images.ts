/**
 * `npm run bench:images [-- --starts 10] [--no-cold]`: the service images' facts and timings.
 * - size (uncompressed) and layer count of each image;
 * - build time cold and warm, per image and in total, in a podman store of its own (a temporary
 *   graphroot, so nothing else on the machine is touched): cold = no layer cache (the base image loaded
 *   from its cache archive, timed apart), warm = the same builds again on the layer cache; plus the
 *   "no change" case, where npm run images keeps images whose tag and base match;
 * - start-to-ready of each service's container, p50/p95 over --starts starts (default 10): from `podman
 *   run` (the Deployment's settings, tools/images/src/pod-run.ts) until /readyz answers 200, next to its
 *   running daprd, Kafka and Postgres (tools/images/src/containers.ts, the dev platform).
 * Prints the load average before and after: the numbers depend on it.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { allServices, type ServiceName } from "@tasks/catalog";
import { buildImages, localBase, type BuiltImage } from "@tasks/images/build";
import { podman } from "@tasks/images/podman";
import { startPlatform } from "@tasks/dev-platform/dev-platform";
import { containerRun, localDeployments, requireImages } from "@tasks/images/containers";

const { values } = parseArgs({ options: { starts: { type: "string", default: "10" }, "no-cold": { type: "boolean", default: false } } });
const STARTS = Number(values.starts);
const say = (l: string) => process.stderr.write(`[bench:images] ${l}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const loadBefore = load();

/** Runs `fn` with podman and buildah on a store of their own, removed afterwards. */
async function inOwnStore<T>(fn: () => Promise<T>): Promise<T> {
  const dir = path.join("/var/tmp", `tasks-bench-images-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, "storage.conf");
  writeFileSync(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`);
  const before = process.env.CONTAINERS_STORAGE_CONF;
  process.env.CONTAINERS_STORAGE_CONF = conf;
  try {
    return await fn();
  } finally {
    // Only this store's images (never `podman system reset`: it also deletes the machine's networks).
    await podman(["rmi", "--all", "--force"]);
    if (before === undefined) delete process.env.CONTAINERS_STORAGE_CONF;
    else process.env.CONTAINERS_STORAGE_CONF = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timedBuild(label: string, opts: Parameters<typeof buildImages>[0]): Promise<{ images: BuiltImage[]; seconds: number }> {
  say(`${label}…`);
  const t = Date.now();
  const images = await buildImages({
    ...opts,
    sbom: false,
    outDir: path.join(".tmp", "bench-images"),
    log: () => undefined,
    ...(extraCa ? { extraCa } : {}),
  });
  return { images, seconds: (Date.now() - t) / 1000 };
}

interface BuildTimes {
  baseLoad: number;
  cold: { images: BuiltImage[]; seconds: number };
  warm: { images: BuiltImage[]; seconds: number };
}

let builds: BuildTimes | undefined;
if (!values["no-cold"]) {
  builds = await inOwnStore(async () => {
    const t = Date.now();
    const base = localBase(say);
    const baseLoad = (Date.now() - t) / 1000;
    const cold = await timedBuild("cold build (empty store)", { base, reuse: false });
    const warm = await timedBuild("warm build (layer cache)", { base, reuse: false });
    return { baseLoad, cold, warm };
  });
}
const unchanged = await timedBuild("npm run images with nothing changed", {});

say(`start-to-ready: ${STARTS} starts per service`);
const deployments = await localDeployments();
await requireImages(deployments);
const run = containerRun(deployments);
const platform = await startPlatform({ timeoutSeconds: 180, appCommand: run.appCommand });
const ready: Partial<Record<ServiceName, number[]>> = {};
try {
  for (const { name } of allServices) {
    const s = platform.services[name];
    const times: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      await s.app.stop();
      const t = Date.now();
      await s.restartApp();
      times.push(Date.now() - t);
    }
    ready[name] = times.sort((a, b) => a - b);
    say(`  ${name}: ${times.join(" ")} ms`);
  }
} finally {
  await platform.stop();
  await run.removeContainers();
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const rows = unchanged.images.map((img) => {
  const cold = builds?.cold.images.find((c) => c.service === img.service)?.buildSeconds;
  const warm = builds?.warm.images.find((c) => c.service === img.service)?.buildSeconds;
  const r = ready[img.service]!;
  return [
    img.service.padEnd(14),
    mb(img.size).padStart(9),
    String(img.layers).padStart(6),
    (cold === undefined ? "-" : `${cold.toFixed(1)} s`).padStart(9),
    (warm === undefined ? "-" : `${warm.toFixed(1)} s`).padStart(9),
    `${pct(r, 50)} ms`.padStart(9),
    `${pct(r, 95)} ms`.padStart(9),
  ].join(" ");
});
console.log(`
bench:images (podman ${(await podman(["--version"])).stdout.trim().split(" ").at(-1)}, base ${unchanged.images.length ? "local stand-in" : "-"}; load average before ${loadBefore}, after ${load()})
  service           size  layers      cold      warm  ready p50  ready p95
  ${rows.join("\n  ")}
  total build: ${builds ? `cold ${builds.cold.seconds.toFixed(1)} s (+ base loaded from its archive in ${builds.baseLoad.toFixed(1)} s), warm ${builds.warm.seconds.toFixed(1)} s, ` : ""}nothing changed ${unchanged.seconds.toFixed(1)} s
  cold = empty podman store (first image also fills the shared npm-cache stage); warm = same builds on the layer cache;
  ready = podman run as the Deployment runs it -> /readyz 200 with daprd, Kafka and Postgres up (${STARTS} starts each)`);
