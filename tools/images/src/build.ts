/**
 * Builds the catalog services' images with podman (the library behind `npm run images`, scripts/images.ts):
 * apps/Dockerfile per service, tagged `<registry>/<service>:<content tag>` as the Pulumi program tags it,
 * then the facts and the SBOM of each image.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ServiceName } from "@tasks/catalog";
import { failingStep, progressOf, shorten } from "./build-log.js";
import { imageFacts, podman, podmanEnv, podmanProblem, repoRoot } from "./podman.js";
import { localStackRegistry, serviceImages, type ServiceImage } from "./refs.js";
import { componentCounts, cycloneDx, imageInventory, type LockEntry } from "./sbom.js";

export interface BuiltImage extends ServiceImage {
  readonly imageId: string;
  readonly size: number;
  readonly layers: number;
  readonly buildSeconds: number;
  /** The image with this tag was already built on this base: nothing was rebuilt. */
  readonly reused: boolean;
  readonly sbom?: { readonly file: string; readonly npmPackages: number; readonly debianPackages: number; readonly components: number };
}

export interface BuildOptions {
  readonly services?: readonly ServiceName[];
  readonly registry?: string;
  /** @default $TASKS_IMAGES_BASE, else the local stand-in (tools/images/base.sh) */
  readonly base?: string;
  readonly noCache?: boolean;
  /**
   * Keep an existing image whose tag and base match: the tag hashes every build input but the base, which
   * a label records. @default true (false with noCache)
   */
  readonly reuse?: boolean;
  readonly extraCa?: string;
  readonly sbom?: boolean;
  readonly outDir?: string;
  readonly log?: (line: string) => void;
}

/** The local stand-in base: built or loaded from its cache by base.sh. */
export function localBase(log: (line: string) => void): string {
  log("base image: tools/images/base.sh");
  const out = execFileSync("bash", [path.join(repoRoot, "tools", "images", "base.sh")], {
    env: podmanEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ref = /^NODE_BASE_IMAGE=(.+)$/m.exec(out)?.[1];
  if (!ref) throw new Error(`tools/images/base.sh printed no NODE_BASE_IMAGE:\n${out}`);
  return ref;
}

/** The base `npm run images` uses: $TASKS_IMAGES_BASE (the GitHub workflows: the public image), else the local stand-in. */
export function defaultBase(log: (line: string) => void): string {
  return process.env.TASKS_IMAGES_BASE || localBase(log);
}

export class ImageBuildError extends Error {}

/** The OCI annotation for the base image's name, set as a label on every image built here. */
const baseLabel = "org.opencontainers.image.base.name";

/** Whether `ref` exists and was built from `base` (its tag already pins every other input). */
async function upToDate(ref: string, base: string): Promise<boolean> {
  const r = await podman(["image", "inspect", "--format", `{{index .Labels "${baseLabel}"}}`, ref]);
  return r.code === 0 && r.stdout.trim() === base;
}

async function buildOne(
  img: ServiceImage,
  o: Required<Pick<BuildOptions, "outDir" | "log">> & BuildOptions,
  base: string,
): Promise<number> {
  const logFile = path.join(o.outDir, `${img.service}.build.log`);
  const args = [
    "build",
    "--network",
    "host",
    "--layers",
    ...(o.noCache ? ["--no-cache"] : []),
    "-f",
    path.join(repoRoot, "apps", "Dockerfile"),
    "--build-arg",
    `NODE_IMAGE=${base}`,
    "--build-arg",
    `SERVICE=${img.service}`,
    // The labels the Pulumi program's build sets (infra/src/workload/image.ts).
    "--label",
    `org.opencontainers.image.title=${img.service}`,
    "--label",
    `org.opencontainers.image.version=${img.tag}`,
    "--label",
    `${baseLabel}=${base}`,
    ...(o.extraCa ? ["--secret", `id=extra_ca,src=${o.extraCa}`] : []),
    "-t",
    img.ref,
    repoRoot,
  ];
  const t = Date.now();
  const r = await podman(args, {
    onLine: (l) => {
      const p = progressOf(l);
      if (p) o.log(`  ${img.service} ${p}`);
    },
  });
  writeFileSync(logFile, `$ podman ${args.join(" ")}\n${r.stdout}${r.stderr}`);
  if (r.code !== 0) {
    const { step, error } = failingStep(`${r.stdout}\n${r.stderr}`);
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-15).join("\n");
    const shown = logFile.startsWith(repoRoot) ? path.relative(repoRoot, logFile) : logFile;
    throw new ImageBuildError(
      `${img.service}: the build failed at ${shorten(step, 220)}\n  ${shorten(error, 200)}\n  podman exited ${r.code}; full log: ${shown}\n--- last lines ---\n${tail}`,
    );
  }
  return (Date.now() - t) / 1000;
}

function lockPackages(): Record<string, LockEntry> {
  return (JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
}

export async function buildImages(opts: BuildOptions = {}): Promise<BuiltImage[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`images: ${l}\n`));
  const outDir = path.resolve(opts.outDir ?? path.join(repoRoot, ".tmp", "images"));
  mkdirSync(outDir, { recursive: true });
  const problem = podmanProblem();
  if (problem) throw new ImageBuildError(problem);
  if (opts.extraCa && !existsSync(opts.extraCa)) throw new ImageBuildError(`--extra-ca: ${opts.extraCa} does not exist`);
  const images = serviceImages(opts.registry ?? localStackRegistry(), opts.services);
  const base = opts.base ?? defaultBase(log);
  const o = { ...opts, outDir, log };
  const built: BuiltImage[] = [];
  const lock = opts.sbom === false ? {} : lockPackages();
  for (const [i, img] of images.entries()) {
    log(`[${i + 1}/${images.length}] ${img.service} → ${img.ref}${opts.noCache ? " (no cache)" : ""}`);
    const reused = opts.reuse !== false && !opts.noCache && (await upToDate(img.ref, base));
    const buildSeconds = reused ? 0 : await buildOne(img, o, base);
    const facts = await imageFacts(img.ref);
    let sbom: BuiltImage["sbom"];
    if (opts.sbom !== false) {
      const inventory = await imageInventory(img.ref);
      const bom = cycloneDx({ service: img.service, tag: img.tag, ref: img.ref, imageId: facts.id }, inventory, lock);
      const file = path.join(outDir, `${img.service}.cdx.json`);
      writeFileSync(file, `${JSON.stringify(bom, null, 2)}\n`);
      const counts = componentCounts(bom);
      sbom = { file, npmPackages: inventory.packages.length, debianPackages: counts.deb, components: counts.total };
    }
    built.push({ ...img, imageId: facts.id, size: facts.size, layers: facts.layers, buildSeconds, reused, ...(sbom ? { sbom } : {}) });
    log(
      `[${i + 1}/${images.length}] ${img.service} ${reused ? "up to date (same tag and base)" : `built in ${buildSeconds.toFixed(1)} s`}: ${(facts.size / 1e6).toFixed(0)} MB, ${facts.layers} layers` +
        (sbom ? `, SBOM ${sbom.components} components (${sbom.npmPackages} npm packages, ${sbom.debianPackages} Debian packages)` : ""),
    );
  }
  writeFileSync(path.join(outDir, "images.json"), `${JSON.stringify({ base, images: built }, null, 2)}\n`);
  return built;
}
