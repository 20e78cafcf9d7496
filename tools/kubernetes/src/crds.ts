/** Loads the CRDs of crd-sources.ts from the Go module cache and installs them into an API server. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { statusMessage, type KubeClient } from "./client.js";
import type { CrdModule } from "./crd-sources.js";

export interface Crd {
  readonly apiVersion: "apiextensions.k8s.io/v1";
  readonly kind: "CustomResourceDefinition";
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: { readonly group: string; readonly names: { readonly kind: string; readonly plural: string } } & Record<string, unknown>;
}

/** `go mod download -json module@version`: the module's directory in GOMODCACHE (downloaded when missing). */
export function moduleDir(module: string, version: string): string {
  let out: string;
  try {
    out = execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], {
      encoding: "utf8",
      // Outside any module: no go.mod may turn this into a dependency resolution.
      cwd: "/",
      env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    const detail = (e.stdout && /"Error":\s*"([^"]+)"/.exec(e.stdout)?.[1]) || e.stderr || String(err);
    throw new Error(`go mod download ${module}@${version} failed: ${detail}`, { cause: err });
  }
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? "no Dir in the answer"}`);
  return info.Dir;
}

const templated = (v: string) => v.includes("{{");

/** Drops Helm template leftovers from metadata (`app: '{{ template "x.name" . }}'`); the spec must have none. */
function untemplate(crd: Crd, file: string): Crd {
  const clean = (m?: Record<string, string>) =>
    m ? Object.fromEntries(Object.entries(m).filter(([, v]) => !templated(String(v)))) : undefined;
  const { labels, annotations, ...rest } = crd.metadata;
  if (templated(JSON.stringify(crd.spec)) || templated(rest.name)) throw new Error(`${file}: Helm template expressions outside metadata`);
  return { ...crd, metadata: { ...rest, labels: clean(labels), annotations: clean(annotations) } };
}

/** The CRDs of one source, from its directory in the module cache (`dir` overrides the lookup, for tests). */
export function loadCrds(source: CrdModule, dir = path.join(moduleDir(source.module, source.moduleVersion), source.dir)): Crd[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && (source.files === undefined || source.files.includes(f)))
    .sort();
  const crds = files.flatMap((f) => {
    const file = path.join(dir, f);
    return parseAllDocuments(readFileSync(file, "utf8"))
      .map((d) => d.toJS() as Crd | null)
      .filter((d): d is Crd => d?.kind === "CustomResourceDefinition")
      .map((d) => (source.helmTemplated ? untemplate(d, file) : d));
  });
  if (crds.length === 0) throw new Error(`${source.module}@${source.moduleVersion}: no CustomResourceDefinition under ${source.dir}`);
  return crds;
}

/**
 * The CRDs that serve the kinds `objects` use (group and kind). The others are left out: nothing would be
 * checked against them, and the Prometheus operator's unused ones are 4 MB the server compiles for a minute
 * on a loaded machine. A kind without its CRD is still caught: the server rejects it as not served.
 */
export function crdsFor(objects: readonly { apiVersion: string; kind: string }[], crds: readonly Crd[]): Crd[] {
  const used = new Set(objects.map((o) => `${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}/${o.kind}`));
  return crds.filter((c) => used.has(`${c.spec.group}/${c.spec.names.kind}`));
}

/** Creates every CRD, then waits until each is Established (its kinds are served). */
export async function installCrds(client: KubeClient, crds: readonly Crd[], timeoutMs = 60_000): Promise<void> {
  const base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  for (const crd of crds) {
    const res = await client.request("POST", base, crd);
    if (res.status !== 201) throw new Error(`CRD ${crd.metadata.name} rejected (${res.status}): ${statusMessage(res.body)}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const res = await client.request("GET", `${base}/${crd.metadata.name}`);
      const conditions =
        (res.body as { status?: { conditions?: { type: string; status: string; message?: string }[] } }).status?.conditions ?? [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} not Established within ${timeoutMs} ms: ${JSON.stringify(conditions)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
