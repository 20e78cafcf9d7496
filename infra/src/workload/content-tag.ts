import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Directories never part of an image's build inputs (apps/Dockerfile copies sources, not tests; see .dockerignore). */
const ignoredDirs = new Set(["node_modules", "dist", ".cache", ".tmp", "coverage", ".git", "test"]);

function filesUnder(root: string, rel: string): string[] {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [rel];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && ignoredDirs.has(e.name)))
    .flatMap((e) => filesUnder(root, path.posix.join(rel, e.name)));
}

/**
 * A tag derived from the content of the files an image is built from (paths relative to `root`,
 * directories walked recursively): the same sources always give the same tag, any change gives a new
 * one, so a Deployment changes exactly when its image does. Never `latest`.
 */
export function contentTag(root: string, paths: readonly string[]): string {
  const files = [...new Set(paths.flatMap((p) => filesUnder(root, p)))].sort();
  const hash = createHash("sha256");
  for (const f of files) {
    hash
      .update(f)
      .update("\0")
      .update(readFileSync(path.join(root, f)))
      .update("\0");
  }
  return `src-${hash.digest("hex").slice(0, 20)}`;
}

/**
 * What a service image is built from: its own folder, the shared app library, the catalog, the
 * lockfile, and the Dockerfile, its install check and .dockerignore every image shares (a change to any retags all).
 */
export const imageSourcePaths = (service: string): string[] => [
  `apps/${service}`,
  "apps/shared",
  "catalog",
  "package.json",
  "package-lock.json",
  "tsconfig.base.json",
  "apps/Dockerfile",
  "apps/verify-install.ts",
  ".dockerignore",
];
