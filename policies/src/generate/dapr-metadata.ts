/**
 * Extracts the metadata schema of the Dapr component types in use from the Go modules the project's
 * daprd is built from (tools/dapr/go.mod pins github.com/dapr/dapr and github.com/dapr/components-contrib):
 * - each component's `metadata.yaml` in components-contrib: names, types, required, sensitive,
 *   deprecated, allowed values, authentication profiles;
 * - the built-in authentication profiles a metadata.yaml names (`azuread`, `aws`), whose definition
 *   (.build-tools/builtin-authentication-profiles.yaml) is not part of the module: the keys the Go code
 *   reads (common/authentication/azure/metadata-properties.go, common/aws/auth/auth.go);
 * - fields the component's own Go code reads (`mapstructure` tags in its folder) that metadata.yaml omits
 *   (secretstores.kubernetes lists none but reads defaultNamespace);
 * - the keys the runtime reads for each kind of component, each checked against the file that reads it.
 * `npm run policy -- --write-dapr-metadata` writes src/lib/dapr-metadata.generated.json; a unit test
 * compares it with the module in the Go module cache (in CI the integration tier's daprd build fills it).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { ComponentSchema, DaprMetadata, FieldSchema, FieldType, ProfileSchema } from "../lib/dapr-metadata.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const daprGoMod = path.join(repoRoot, "tools/dapr/go.mod");
export const generatedFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../lib/dapr-metadata.generated.json");
export const contribModule = "github.com/dapr/components-contrib";
export const daprModule = "github.com/dapr/dapr";

/** The versions tools/dapr/go.mod requires. */
export function pinnedVersions(goMod = daprGoMod): { contrib: string; dapr: string } {
  const text = readFileSync(goMod, "utf8");
  const version = (module: string): string => {
    const m = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/\./g, "\\.")}\\s+(v[^\\s]+)`, "m").exec(text);
    if (!m) throw new Error(`${path.relative(repoRoot, goMod)} does not require ${module}`);
    return m[1]!;
  };
  return { contrib: version(contribModule), dapr: version(daprModule) };
}

/** The Go module cache: $GOMODCACHE, else `go env GOMODCACHE`, else ~/go/pkg/mod. */
export function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  try {
    const out = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (out) return out;
  } catch {
    // no go on PATH: the default location
  }
  return path.join(process.env.GOPATH ?? path.join(os.homedir(), "go"), "pkg", "mod");
}

/** The module's folder in the cache (module paths are case-encoded there: `!x` for `X`). */
export function cachedModuleDir(module: string, version: string, cache = goModCache()): string | undefined {
  const encoded = module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  const dir = path.join(cache, `${encoded}@${version}`);
  return existsSync(path.join(dir, "go.mod")) ? dir : undefined;
}

/** The module's folder, downloading it through the Go module proxy when the cache lacks it. */
export function downloadModule(module: string, version: string): string {
  const cached = cachedModuleDir(module, version);
  if (cached) return cached;
  const out = execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], { encoding: "utf8", cwd: os.tmpdir() });
  const dir = (JSON.parse(out) as { Dir?: string; Error?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${module}@${version} gave no folder: ${out}`);
  return dir;
}

type Raw = Record<string, unknown>;
const asList = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);

function field(m: Raw): FieldSchema {
  const type = typeof m.type === "string" && m.type !== "string" ? (m.type as FieldType) : undefined;
  const allowed = Array.isArray(m.allowedValues) ? (m.allowedValues as unknown[]).map(String) : undefined;
  return {
    name: String(m.name),
    ...(type ? { type } : {}),
    ...(m.required === true ? { required: true } : {}),
    ...(m.sensitive === true ? { sensitive: true } : {}),
    ...(m.deprecated === true ? { deprecated: true } : {}),
    ...(allowed ? { allowedValues: allowed } : {}),
  };
}

const goType = (t: string): FieldType | undefined => {
  const bare = t.replace(/^\*/, "");
  if (bare === "bool") return "bool";
  if (/^(u?int\d*|float\d+)$/.test(bare)) return "number";
  if (/(^|\.)Duration$/.test(bare)) return "duration";
  if (/(^|\.)ByteSize$/.test(bare)) return "bytesize";
  return undefined;
};

/** Fields declared by `mapstructure:"name"` tags (with `mapstructurealiases:"a,b"`) in Go files. */
function structTagFields(files: readonly string[], root: string): FieldSchema[] {
  const out: FieldSchema[] = [];
  const tag = /^\s*\w+\s+(\*?[\w.]+)\s+`[^`]*mapstructure:"(\w+)"[^`]*`/;
  const aliases = /mapstructurealiases:"([\w,]+)"/;
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join("/");
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = tag.exec(line);
      if (!m) continue;
      const type = goType(m[1]!);
      const name = m[2]!;
      out.push({ name, ...(type ? { type } : {}), source: `${rel} (mapstructure tag)` });
      for (const alias of aliases.exec(line)?.[1]?.split(",") ?? []) {
        out.push({ name: alias, ...(type ? { type } : {}), deprecated: true, aliasOf: name, source: `${rel} (mapstructurealiases)` });
      }
    }
  }
  return out;
}

const goFilesIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
    .sort()
    .map((f) => path.join(dir, f));

/** The keys of a built-in authentication profile, from the Go code that reads them. */
function builtinProfileKeys(name: string, contrib: string): FieldSchema[] {
  if (name === "azuread") {
    const rel = "common/authentication/azure/metadata-properties.go";
    const text = readFileSync(path.join(contrib, rel), "utf8");
    const out: FieldSchema[] = [];
    for (const m of text.matchAll(/^\s*"(\w+)":\s*\{([^}]*)\}/gm)) {
      if (m[1]!.startsWith("Storage")) continue; // the storage components' own keys
      const names = [...m[2]!.matchAll(/"(\w+)"/g)].map((x) => x[1]!);
      const [canonical, ...older] = names;
      const sensitive = /Secret|Password|^Certificate$/.test(m[1]!) ? { sensitive: true } : {};
      out.push({ name: canonical!, ...sensitive, source: `${rel} (MetadataKeys.${m[1]})` });
      for (const a of older)
        out.push({ name: a, ...sensitive, deprecated: true, aliasOf: canonical!, source: `${rel} (MetadataKeys.${m[1]})` });
    }
    if (out.length === 0) throw new Error(`${rel}: no MetadataKeys found; the azuread profile's extraction needs updating`);
    return out;
  }
  if (name === "aws") {
    const fields = structTagFields([path.join(contrib, "common/aws/auth/auth.go")], contrib).map((f) =>
      /secretKey|sessionToken/i.test(f.name) ? { ...f, sensitive: true } : f,
    );
    const legacy = structTagFields([path.join(contrib, "common/aws/deprecated.go")], contrib).map((f) => ({
      ...f,
      deprecated: true,
      ...(/secret/i.test(f.name) ? { sensitive: true } : {}),
    }));
    if (fields.length === 0) throw new Error("common/aws/auth/auth.go: no mapstructure tags; the aws profile's extraction needs updating");
    return [...fields, ...legacy];
  }
  throw new Error(`built-in authentication profile "${name}": no extraction for it yet (see builtinProfileKeys)`);
}

/** Keys the Dapr runtime (or components-contrib's shared code) reads per kind of component, with the file that reads each. */
const runtimeKeySources: Readonly<
  Record<string, readonly { name: string; module: "dapr" | "contrib"; file: string; allowedValues?: string[] }[]>
> = {
  bindings: [
    {
      name: "direction",
      module: "dapr",
      file: "pkg/runtime/processor/binding/binding.go",
      allowedValues: ["input", "output", "input, output"],
    },
    { name: "route", module: "dapr", file: "pkg/runtime/processor/binding/binding.go" },
  ],
  pubsub: [
    { name: "consumerID", module: "dapr", file: "pkg/runtime/processor/pubsub/pubsub.go" },
    { name: "allowedTopics", module: "dapr", file: "pkg/scopes/scopes.go" },
    { name: "protectedTopics", module: "dapr", file: "pkg/scopes/scopes.go" },
    { name: "publishingScopes", module: "dapr", file: "pkg/scopes/scopes.go" },
    { name: "subscriptionScopes", module: "dapr", file: "pkg/scopes/scopes.go" },
  ],
  state: [
    { name: "actorStateStore", module: "contrib", file: "metadata/utils.go" },
    { name: "keyPrefix", module: "contrib", file: "metadata/utils.go" },
    { name: "outboxPublishPubsub", module: "dapr", file: "pkg/runtime/pubsub/outbox.go" },
    { name: "outboxPublishTopic", module: "dapr", file: "pkg/runtime/pubsub/outbox.go" },
    { name: "outboxPubsub", module: "dapr", file: "pkg/runtime/pubsub/outbox.go" },
    { name: "outboxDiscardWhenMissingState", module: "dapr", file: "pkg/runtime/pubsub/outbox.go" },
  ],
  lock: [{ name: "keyPrefix", module: "contrib", file: "metadata/utils.go" }],
};

function runtimeKeys(kind: string, dirs: { contrib: string; dapr: string }, versions: { contrib: string; dapr: string }): FieldSchema[] {
  return (runtimeKeySources[kind] ?? []).map((k) => {
    const text = readFileSync(path.join(dirs[k.module], k.file), "utf8");
    if (!text.includes(`"${k.name}"`)) throw new Error(`${k.module} ${k.file} no longer names "${k.name}": review runtimeKeySources`);
    const module = k.module === "dapr" ? `${daprModule}@${versions.dapr}` : `${contribModule}@${versions.contrib}`;
    return { name: k.name, ...(k.allowedValues ? { allowedValues: k.allowedValues } : {}), source: `${module}/${k.file}` };
  });
}

function metadataFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "tests") out.push(...metadataFiles(path.join(dir, e.name), root));
    else if (e.name === "metadata.yaml") out.push(path.join(dir, e.name));
  }
  return out;
}

/** The schema of each `<type>@<version>` (e.g. `pubsub.kafka@v1`), from the two module folders. */
export function extractDaprMetadata(
  types: readonly string[],
  dirs: { contrib: string; dapr: string },
  versions: { contrib: string; dapr: string },
): DaprMetadata {
  const index = new Map<string, string>();
  for (const file of metadataFiles(dirs.contrib)) {
    const doc = parse(readFileSync(file, "utf8")) as Raw;
    index.set(`${String(doc.type)}.${String(doc.name)}@${String(doc.version)}`, file);
  }
  const components: Record<string, ComponentSchema> = {};
  for (const key of [...new Set(types)].sort()) {
    const file = index.get(key);
    if (!file) throw new Error(`${contribModule}@${versions.contrib} has no metadata.yaml for ${key}`);
    const doc = parse(readFileSync(file, "utf8")) as Raw;
    const metadata = asList(doc.metadata).map(field);
    const listed = new Set(metadata.map((f) => f.name.toLowerCase()));
    const profiles: ProfileSchema[] = asList(doc.authenticationProfiles).map((p) => ({
      title: String(p.title),
      metadata: asList(p.metadata).map(field),
    }));
    for (const p of profiles) for (const f of p.metadata) listed.add(f.name.toLowerCase());
    for (const b of asList(doc.builtinAuthenticationProfiles)) {
      const name = String(b.name);
      const own = asList(b.metadata).map(field);
      const ownNames = new Set(own.map((f) => f.name.toLowerCase()));
      const keys = builtinProfileKeys(name, dirs.contrib).filter((f) => !ownNames.has(f.name.toLowerCase()));
      profiles.push({ title: `${name} (built-in)`, builtin: name, metadata: [...own, ...keys] });
    }
    for (const p of profiles) for (const f of p.metadata) listed.add(f.name.toLowerCase());
    // What the component's own Go code reads but metadata.yaml does not list.
    for (const f of structTagFields(goFilesIn(path.dirname(file)), dirs.contrib)) {
      if (!listed.has(f.name.toLowerCase())) {
        metadata.push(f);
        listed.add(f.name.toLowerCase());
      }
    }
    components[key] = {
      file: path.relative(dirs.contrib, file).split(path.sep).join("/"),
      status: String(doc.status ?? ""),
      metadata,
      profiles,
      runtimeKeys: runtimeKeys(String(doc.type), dirs, versions),
    };
  }
  return {
    generatedBy: "npm run policy -- --write-dapr-metadata",
    source: {
      componentsContrib: `${contribModule} ${versions.contrib}`,
      dapr: `${daprModule} ${versions.dapr}`,
      goMod: path.relative(repoRoot, daprGoMod).split(path.sep).join("/"),
    },
    components,
  };
}

/** The generated file's text: stable JSON, one field per line. */
export const renderDaprMetadata = (data: DaprMetadata): string => `${JSON.stringify(data, null, 2)}\n`;

/** The component types the generated file holds (what a regeneration extracts unless told otherwise). */
export function generatedTypes(file = generatedFile): string[] {
  return existsSync(file) ? Object.keys((JSON.parse(readFileSync(file, "utf8")) as DaprMetadata).components) : [];
}

/** Regenerates src/lib/dapr-metadata.generated.json for these types, downloading the modules if needed. */
export function writeDaprMetadata(types: readonly string[], progress: (msg: string) => void = () => undefined): string {
  const versions = pinnedVersions();
  progress(`${contribModule}@${versions.contrib} and ${daprModule}@${versions.dapr} (tools/dapr/go.mod)`);
  const dirs = { contrib: downloadModule(contribModule, versions.contrib), dapr: downloadModule(daprModule, versions.dapr) };
  progress(`extracting ${types.length} component types from ${dirs.contrib}`);
  writeFileSync(generatedFile, renderDaprMetadata(extractDaprMetadata(types, dirs, versions)));
  return generatedFile;
}
