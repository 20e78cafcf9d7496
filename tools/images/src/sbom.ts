/**
 * A CycloneDX 1.5 SBOM of one service image, from what the image holds: every npm package installed
 * under /app (name, version, licence from its package.json; the lockfile's integrity as its hash and
 * proof that the image's tree is the lockfile's), the Node.js runtime and npm under /usr/local, and the
 * base's Debian packages from /var/lib/dpkg/status.
 *
 * Why not `npm sbom --omit dev --workspace apps/<service>`: in this monorepo it lists 157 packages for
 * tasks-api while the image holds 216 (it leaves out tsx, @grpc/grpc-js and @esbuild/linux-x64, among
 * others, which the service loads), and it cannot run on the image's partial tree (ESBOMPROBLEMS).
 */
import { randomUUID } from "node:crypto";
import { podmanOk } from "./podman.js";

export interface InstalledPackage {
  /** Install location relative to /app, as the lockfile keys it: node_modules/x, apps/<s>/node_modules/y. */
  readonly path: string;
  readonly name: string;
  readonly version: string;
  readonly license?: string;
}

export interface ImageInventory {
  readonly packages: readonly InstalledPackage[];
  /** First-party workspace packages linked into node_modules (@tasks/shared, @tasks/catalog). */
  readonly workspaces: readonly InstalledPackage[];
  readonly nodeVersion: string;
  readonly npmVersion: string;
  readonly dpkgStatus: string;
  readonly osRelease: string;
}

export interface DebianPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly source?: string;
}

/** Installed packages ("install ok installed") from a dpkg status file. */
export function parseDpkgStatus(text: string): DebianPackage[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const m = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
        if (m) fields[m[1]!] = m[2]!;
      }
      return fields;
    })
    .filter((f) => f.Package && f.Version && f.Status === "install ok installed")
    .map((f) => ({
      name: f.Package!,
      version: f.Version!,
      architecture: f.Architecture ?? "all",
      ...(f.Source ? { source: f.Source.split(" ")[0]! } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `KEY=value` lines of /etc/os-release. */
function osReleaseField(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}="?([^"\\n]*)"?$`, "m").exec(text);
  return m?.[1];
}

export function npmPurl(name: string, version: string): string {
  const [scope, bare] = name.startsWith("@") ? name.split("/") : [undefined, name];
  return `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ""}${bare}@${encodeURIComponent(version)}`;
}

export function debPurl(p: DebianPackage, distro: string): string {
  return `pkg:deb/debian/${p.name}@${encodeURIComponent(p.version)}?arch=${p.architecture}&distro=${distro}`;
}

/** npm's "sha512-<base64>" integrity as a CycloneDX hash. */
function integrityHash(integrity: string | undefined): { alg: string; content: string }[] {
  const m = /^sha(512|384|256|1)-([A-Za-z0-9+/=]+)$/.exec(integrity ?? "");
  if (!m) return [];
  const alg = m[1] === "1" ? "SHA-1" : `SHA-${m[1]}`;
  return [{ alg, content: Buffer.from(m[2]!, "base64").toString("hex") }];
}

function licenses(license: string | undefined): { license?: { id?: string; name?: string }; expression?: string }[] {
  if (!license) return [];
  if (/^[A-Za-z0-9.+-]+$/.test(license)) return [{ license: { id: license } }];
  if (/\b(OR|AND|WITH)\b/.test(license)) return [{ expression: license.replace(/^\(|\)$/g, "") }];
  return [{ license: { name: license } }];
}

export interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly license?: string;
}

export interface SbomSubject {
  readonly service: string;
  readonly tag: string;
  readonly ref: string;
  /** The image id (config digest), so the SBOM names exactly one image. */
  readonly imageId: string;
}

function npmComponent(p: InstalledPackage, lock: Readonly<Record<string, LockEntry>>, firstParty: boolean): object {
  return {
    type: "library",
    "bom-ref": `${npmPurl(p.name, p.version)}#${p.path}`,
    ...(p.name.startsWith("@") ? { group: p.name.split("/")[0], name: p.name.split("/")[1] } : { name: p.name }),
    version: p.version,
    purl: npmPurl(p.name, p.version),
    licenses: licenses(p.license ?? lock[p.path]?.license),
    hashes: integrityHash(lock[p.path]?.integrity),
    properties: [
      { name: "cdx:npm:package:path", value: `/app/${p.path}` },
      ...(firstParty ? [{ name: "tasks-platform:first-party", value: "true" }] : []),
    ],
  };
}

/** The operating system, Node.js and npm of the base, then its Debian packages. */
function baseComponents(inv: ImageInventory): object[] {
  const os = osReleaseField(inv.osRelease, "ID") ?? "debian";
  const osVersion = osReleaseField(inv.osRelease, "VERSION_ID") ?? "unknown";
  const distro = `${os}-${osVersion}`;
  const node = inv.nodeVersion.replace(/^v/, "");
  return [
    { type: "operating-system", "bom-ref": `os:${distro}`, name: os, version: osVersion },
    { type: "platform", "bom-ref": "pkg:generic/node", name: "node", version: node, purl: `pkg:generic/node@${node}` },
    {
      type: "application",
      "bom-ref": `${npmPurl("npm", inv.npmVersion)}#/usr/local/lib/node_modules/npm`,
      name: "npm",
      version: inv.npmVersion,
      purl: npmPurl("npm", inv.npmVersion),
    },
    ...parseDpkgStatus(inv.dpkgStatus).map((d) => ({
      type: "library",
      "bom-ref": debPurl(d, distro),
      name: d.name,
      version: d.version,
      purl: debPurl(d, distro),
      ...(d.source ? { properties: [{ name: "tasks-platform:deb-source", value: d.source }] } : {}),
    })),
  ];
}

/**
 * The SBOM document. Throws when a package in the image is not at that place and version in the
 * lockfile: then the image was not built from this commit's lockfile.
 */
export function cycloneDx(subject: SbomSubject, inv: ImageInventory, lock: Readonly<Record<string, LockEntry>>, now = new Date()): object {
  const mismatches = inv.packages.filter((p) => lock[p.path]?.version !== p.version);
  if (mismatches.length) {
    const list = mismatches.slice(0, 5).map((p) => `${p.path}@${p.version} (lockfile: ${lock[p.path]?.version ?? "absent"})`);
    throw new Error(`${subject.service}: ${mismatches.length} package(s) in the image differ from package-lock.json: ${list.join(", ")}`);
  }
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: "application", name: "tasks-platform tools/images/src/sbom.ts" }] },
      component: {
        type: "container",
        "bom-ref": subject.ref,
        name: subject.service,
        version: subject.tag,
        properties: [
          { name: "tasks-platform:image", value: subject.ref },
          { name: "tasks-platform:image-id", value: subject.imageId },
        ],
      },
    },
    components: [
      ...baseComponents(inv),
      ...inv.workspaces.map((p) => npmComponent(p, lock, true)),
      ...inv.packages.map((p) => npmComponent(p, lock, false)),
    ],
  };
}

/** Runs in the image (no network, read-only, as its user): lists /app's packages, the runtime and dpkg's status. */
const inventoryScript = `
const fs = require("fs"), path = require("path");
const packages = [], workspaces = [];
function pkg(rel) {
  const dir = path.join("/app", rel);
  if (fs.lstatSync(dir).isSymbolicLink()) {
    // A workspace link; links to workspaces this image does not hold (another service's) dangle.
    if (!fs.existsSync(dir)) return;
    const j = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    workspaces.push({ path: path.relative("/app", fs.realpathSync(dir)), name: j.name, version: j.version });
    return;
  }
  const j = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const license = typeof j.license === "string" ? j.license : j.license && j.license.type;
  packages.push({ path: rel, name: j.name, version: j.version, ...(license ? { license } : {}) });
  walk(path.join(rel, "node_modules"));
}
function walk(rel) {
  const dir = path.join("/app", rel);
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir).sort()) {
    if (e.startsWith(".")) continue;
    if (e.startsWith("@")) for (const f of fs.readdirSync(path.join(dir, e)).sort()) pkg(path.join(rel, e, f));
    else pkg(path.join(rel, e));
  }
}
walk("node_modules");
for (const a of fs.readdirSync("/app/apps")) walk(path.join("apps", a, "node_modules"));
process.stdout.write(JSON.stringify({
  packages, workspaces,
  nodeVersion: process.version,
  npmVersion: JSON.parse(fs.readFileSync("/usr/local/lib/node_modules/npm/package.json", "utf8")).version,
  dpkgStatus: fs.readFileSync("/var/lib/dpkg/status", "utf8"),
  osRelease: fs.readFileSync("/etc/os-release", "utf8"),
}));
`;

export async function imageInventory(ref: string): Promise<ImageInventory> {
  const out = await podmanOk(["run", "--rm", "--network", "none", "--read-only", "--cap-drop", "ALL", ref, "node", "-e", inventoryScript]);
  return JSON.parse(out) as ImageInventory;
}

/** How many components of each kind a document from cycloneDx() holds. */
export function componentCounts(bom: object): { npm: number; deb: number; total: number } {
  const components = (bom as { components: { purl?: string }[] }).components;
  return {
    npm: components.filter((c) => c.purl?.startsWith("pkg:npm/")).length,
    deb: components.filter((c) => c.purl?.startsWith("pkg:deb/")).length,
    total: components.length,
  };
}
