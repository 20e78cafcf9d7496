import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { runsDaprSidecar } from "@tasks/catalog";
import { allDaprResources, daprResources } from "./resources.js";
import { resolveSettings } from "./settings.js";
import { daprApiVersion, type DaprResource, type DaprSettings } from "./types.js";

export interface SelfhostedFiles {
  /** Directory for `daprd --resources-path`: components, subscriptions and the resiliency policy. */
  readonly resourcesDir: string;
  /** Per app id, the file for `daprd --config`. */
  readonly configFiles: Readonly<Record<string, string>>;
  /** The control plane's `daprsystem` Configuration (mTLS certificate lifetimes), for `sentry --config`. */
  readonly controlPlaneConfigFile: string;
  readonly written: readonly string[];
}

/** Fails on values that only exist inside a Pulumi program (Outputs): selfhosted files need plain strings. */
function assertPlain(resource: DaprResource, value: unknown, at: string): void {
  if (value === null || ["string", "number", "boolean", "undefined"].includes(typeof value)) return;
  if (Array.isArray(value)) return value.forEach((v, i) => assertPlain(resource, v, `${at}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new Error(
      `${resource.kind} "${resource.metadata.name}": ${at} is not a plain value; the selfhosted target needs literal strings`,
    );
  }
  for (const [k, v] of Object.entries(value as object)) assertPlain(resource, v, at ? `${at}.${k}` : k);
}

/**
 * Writes the same Dapr resources the Kubernetes stacks deploy, for the selfhosted target, as YAML files:
 * one per resource under `resourcesDir`, and one Configuration per app under `configDir` (daprd loads a
 * Configuration with `--config`, not from the resources path).
 */
export function writeSelfhostedResources(settings: DaprSettings, resourcesDir: string, configDir: string): SelfhostedFiles {
  if (settings.target !== "selfhosted")
    throw new Error(`settings.target: writeSelfhostedResources needs "selfhosted", got "${settings.target}"`);
  const set = daprResources(settings);
  // One Configuration per app that runs a sidecar, in the services' order (configurations()).
  const apps = resolveSettings(settings)
    .services.filter(runsDaprSidecar)
    .map((s) => s.name);
  mkdirSync(resourcesDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  const written: string[] = [];
  const configFiles: Record<string, string> = {};
  const write = (file: string, resource: DaprResource) => {
    assertPlain(resource, resource, "");
    writeFileSync(file, stringify(resource, { lineWidth: 0 }));
    written.push(file);
  };
  for (const r of allDaprResources({ ...set, configurations: [] })) {
    write(path.join(resourcesDir, `${r.kind.toLowerCase()}-${r.metadata.name}.yaml`), r);
  }
  for (const [i, c] of set.configurations.entries()) {
    const app = apps[i]!;
    const file = path.join(configDir, `${c.metadata.name}.yaml`);
    write(file, c);
    configFiles[app] = file;
  }
  const controlPlaneConfigFile = path.join(configDir, "daprsystem.yaml");
  const controlPlane = {
    apiVersion: daprApiVersion,
    kind: "Configuration" as const,
    metadata: { name: "daprsystem" },
    spec: { mtls: { enabled: true, workloadCertTTL: "24h", allowedClockSkew: "15m" } },
  };
  writeFileSync(controlPlaneConfigFile, stringify(controlPlane, { lineWidth: 0 }));
  written.push(controlPlaneConfigFile);
  return { resourcesDir, configFiles, controlPlaneConfigFile, written };
}
