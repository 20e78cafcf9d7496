import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { containersOf, describeObject, isRenderedByHelm, workloadOf } from "../lib/kubernetes.js";
import { stackEnvironment } from "../lib/environment.js";
import { parseImage, registryAllowed } from "../lib/images.js";
import { configOf } from "../lib/config.js";
import { knownOr } from "../lib/unknown.js";

export interface ImageRegistryConfig {
  /** Registries every stack may pull from, besides its own (see the README for the pattern syntax). */
  readonly allowedRegistries: string[];
  /** Registries the local stack may pull from: images built into minikube (bare names) and a local registry. */
  readonly localRegistries: string[];
}

export const imageRegistryDefaults: ImageRegistryConfig = {
  allowedRegistries: [],
  localRegistries: ["", "localhost:*", "127.0.0.1:*", "registry.minikube"],
};

/** Login servers of the container registries the stack creates. */
function stackRegistries(resources: readonly PolicyResource[]): string[] {
  return resources
    .filter((r) => r.type === "azure-native:containerregistry:Registry")
    .map((r) => {
      const fallback = typeof r.props.registryName === "string" ? `${r.props.registryName.toLowerCase()}.azurecr.io` : undefined;
      return knownOr(() => (typeof r.props.loginServer === "string" ? r.props.loginServer : fallback), fallback);
    })
    .filter((s): s is string => !!s);
}

/** Repositories (registry/name, no tag) of the images the program builds with @pulumi/docker-build. */
function builtRepositories(resources: readonly PolicyResource[]): Set<string> {
  const repos = new Set<string>();
  for (const r of resources.filter((x) => x.type === "docker-build:index:Image")) {
    const refs = [...(Array.isArray(r.props.tags) ? (r.props.tags as unknown[]) : []), knownOr(() => r.props.ref, undefined)];
    for (const ref of refs) {
      if (typeof ref !== "string" || ref === "") continue;
      const p = parseImage(ref);
      repos.add(`${p.registry ?? ""}/${p.repository}`);
    }
  }
  return repos;
}

export const imageRegistry = stackPolicy({
  name: "kubernetes-image-registry",
  description: "Workloads pull images only from the stack's own registry: the ACR the stack creates (or the images it builds) on dev and prod, images built into minikube or a local registry on local, plus registries allowed in the policy config.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.1.4", "Minimize Container Registries to only those approved"),
    source("aks-baseline", "Supply chain/ACR only", "Pull images only from the cluster's container registry"),
  ],
  remediationSteps: "Build or import the image into the stack's registry (ACR on Azure, minikube on local) and reference it there; add a registry to allowedRegistries only with review.",
  tags: ["kubernetes", "security", "supply-chain", "images"],
  configSchema: {
    properties: {
      allowedRegistries: { type: "array", items: { type: "string" }, default: imageRegistryDefaults.allowedRegistries },
      localRegistries: { type: "array", items: { type: "string" }, default: imageRegistryDefaults.localRegistries },
    },
  },
  validateStack: (args, report) => {
    const config = configOf<ImageRegistryConfig>(args, imageRegistryDefaults);
    const env = stackEnvironment(args);
    const allowed = [...config.allowedRegistries, ...stackRegistries(args.resources), ...(env === "local" ? config.localRegistries : [])];
    const built = builtRepositories(args.resources);
    for (const r of args.resources) {
      const w = workloadOf(r.type, r.props, r.name);
      if (!w || isRenderedByHelm(r.urn)) continue;
      for (const { container, label } of containersOf(w.podSpec)) {
        if (typeof container.image !== "string" || container.image === "") continue;
        const p = parseImage(container.image);
        if (built.has(`${p.registry ?? ""}/${p.repository}`) || registryAllowed(p.registry, allowed)) continue;
        const from = p.registry ? `registry "${p.registry}"` : "Docker Hub (no registry host)";
        report(`${describeObject(w.kind, w.name, w.namespace)} ${label} pulls "${container.image}" from ${from}, which is not the stack's registry (allowed: ${allowed.length ? allowed.map((a) => (a === "" ? "<node-local>" : a)).join(", ") : "none"}).`, r.urn);
      }
    }
  },
});
