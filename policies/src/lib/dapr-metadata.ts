/**
 * The metadata schema of the Dapr component types the project uses, as dapr's components-contrib
 * publishes it (one `metadata.yaml` per component) at the module version the project's daprd is built
 * from (tools/dapr/go.mod). Generated data (dapr-metadata.generated.json, `npm run policy --
 * --write-dapr-metadata`), read by the component linter policies (src/dapr/component-metadata-*.ts).
 */
import { readFileSync } from "node:fs";

export type FieldType = "string" | "number" | "bool" | "duration" | "bytesize";

export interface FieldSchema {
  readonly name: string;
  /** @default "string" */
  readonly type?: FieldType;
  readonly required?: boolean;
  /** A credential: it must come from a secret store (secretKeyRef). */
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  readonly allowedValues?: readonly string[];
  /** An older name that daprd still reads for this one. */
  readonly aliasOf?: string;
  /** Where a field not listed in metadata.yaml comes from (a Go file of the module). */
  readonly source?: string;
}

export interface ProfileSchema {
  readonly title: string;
  /** A built-in profile of components-contrib (`azuread`, `aws`) that the component refers to. */
  readonly builtin?: string;
  readonly metadata: readonly FieldSchema[];
}

export interface ComponentSchema {
  /** The metadata.yaml, relative to the module. */
  readonly file: string;
  readonly status: string;
  readonly metadata: readonly FieldSchema[];
  /** Authentication profiles: one of them must be satisfied when there are any. */
  readonly profiles: readonly ProfileSchema[];
  /** Metadata the Dapr runtime itself reads for this kind of component (bindings' `direction`, pub/sub scopes…). */
  readonly runtimeKeys: readonly FieldSchema[];
}

export interface DaprMetadata {
  readonly generatedBy: string;
  readonly source: {
    /** `github.com/dapr/components-contrib v1.18.3`. */
    readonly componentsContrib: string;
    /** `github.com/dapr/dapr v1.18.2`: the runtime keys come from it. */
    readonly dapr: string;
    /** Where both versions are pinned. */
    readonly goMod: string;
  };
  /** By `<type>@<version>`, e.g. `pubsub.kafka@v1`. */
  readonly components: Readonly<Record<string, ComponentSchema>>;
}

export const daprMetadataFile = new URL("./dapr-metadata.generated.json", import.meta.url);

export const daprMetadata = JSON.parse(readFileSync(daprMetadataFile, "utf8")) as DaprMetadata;

export const schemaKey = (type: string, version: string): string => `${type}@${version}`;

export function schemaFor(type: string, version: string, data: DaprMetadata = daprMetadata): ComponentSchema | undefined {
  return data.components[schemaKey(type, version)];
}

/** `components-contrib v1.18.3`, for messages. */
export const contribLabel = (data: DaprMetadata = daprMetadata): string => data.source.componentsContrib.replace("github.com/dapr/", "");

const lower = (s: string): string => s.toLowerCase();

/**
 * Every name the component accepts (its metadata, every profile's, the runtime's), one entry per name
 * compared without case as daprd does: sensitive if any listing says so, the allowed values of all profiles.
 */
export function acceptedFields(schema: ComponentSchema): Map<string, FieldSchema> {
  const out = new Map<string, FieldSchema>();
  const merge = (a: FieldSchema, b: FieldSchema): FieldSchema => {
    const { allowedValues: _dropped, ...rest } = a;
    const allowed = a.allowedValues && b.allowedValues ? [...new Set([...a.allowedValues, ...b.allowedValues])] : undefined;
    return { ...rest, ...(a.sensitive || b.sensitive ? { sensitive: true } : {}), ...(allowed ? { allowedValues: allowed } : {}) };
  };
  const add = (f: FieldSchema): void => {
    const seen = out.get(lower(f.name));
    out.set(lower(f.name), seen ? merge(seen, f) : f);
  };
  for (const f of schema.metadata) add(f);
  for (const p of schema.profiles) for (const f of p.metadata) add(f);
  for (const f of schema.runtimeKeys) add(f);
  return out;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The accepted name closest to a misspelt one, if one is close enough to be what was meant. */
export function closestName(name: string, accepted: Iterable<FieldSchema>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const f of accepted) {
    const d = distance(lower(name), lower(f.name));
    if (!best || d < best.d) best = { name: f.name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

const truthy = ["y", "yes", "true", "t", "on", "1"];
const falsy = ["n", "no", "false", "f", "off", "0"];
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;
const quantity = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/**
 * Why a plain value does not parse as the field's type the way daprd decodes it (dapr/kit metadata:
 * booleans by kitstrings.IsTruthy, durations by time.ParseDuration or as whole seconds, byte sizes as
 * Kubernetes quantities); undefined when it does.
 */
export function valueProblem(field: FieldSchema, value: string): string | undefined {
  const v = value.trim();
  switch (field.type ?? "string") {
    case "number":
      return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(v) ? undefined : "a number";
    case "bool":
      return truthy.includes(lower(v)) || falsy.includes(lower(v))
        ? undefined
        : "a boolean (true or false; daprd reads anything but y, yes, true, t, on, 1 as false)";
    case "duration":
      return goDuration.test(v) || /^\d+$/.test(v) ? undefined : 'a duration such as "30s", "5m" or "1h30m" (or whole seconds)';
    case "bytesize":
      return quantity.test(v) ? undefined : 'a byte size such as "1Mi" or "500k"';
    default:
      return undefined;
  }
}
