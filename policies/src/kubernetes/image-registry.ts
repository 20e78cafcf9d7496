import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { containersOf, describeObject, isRenderedByHelm, workloadOf } from "../lib/kubernetes.js";
import { stackEnvironment } from "../lib/environment.js";
import { fullRepository, imageAllowed, parseImage, registryHost } from "../lib/images.js";
import { configOf } from "../lib/config.js";
import { knownOr } from "../lib/unknown.js";

export interface ImageRegistryConfig {
  /** Registries or repositories every stack may pull from, besides its own (see the README for the pattern syntax). */
  readonly allowedRegistries: string[];
  /**
   * What the local stack may pull from: a local registry, and images built into the minikube node
   * under a `.local` pseudo-registry (e.g. `tasks.local/tasks-api:<tag>`), which no one can pull from outside.
   */
  readonly localRegistries: string[];
}

export const imageRegistryDefaults: ImageRegistryConfig = {
  allowedRegistries: [],
  localRegistries: ["localhost:*", "127.0.0.1:*", "registry.minikube", "*.local"],
};

const registryScope = /\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)$/i;

/**
 * Login servers of the stack's container registries: those it creates, and those it grants a role on (the
 * bootstrap stack's registry, on which the app stack grants its kubelet AcrPull).
 */
function stackRegistries(resources: readonly PolicyResource[]): string[] {
  const created = resources
    .filter((r) => r.type === "azure-native:containerregistry:Registry")
    .map((r) => {
      const fallback = typeof r.props.registryName === "string" ? `${r.props.registryName.toLowerCase()}.azurecr.io` : undefined;
      return knownOr(() => (typeof r.props.loginServer === "string" ? r.props.loginServer : fallback), fallback);
    });
  const granted = resources
    .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
    .map((r) => {
      const scope = knownOr(() => r.props.scope, undefined);
      const m = typeof scope === "string" ? registryScope.exec(scope) : null;
      return m ? `${m[1]!.toLowerCase()}.azurecr.io` : undefined;
    });
  return [...created, ...granted].filter((s): s is string => !!s);
}

/** Repositories (`host/name`, no tag) of the images the program builds with @pulumi/docker-build. */
function builtRepositories(resources: readonly PolicyResource[]): Set<string> {
  const repos = new Set<string>();
  for (const r of resources.filter((x) => x.type === "docker-build:index:Image")) {
    const refs = [...(Array.isArray(r.props.tags) ? (r.props.tags as unknown[]) : []), knownOr(() => r.props.ref, undefined)];
    for (const ref of refs) {
      if (typeof ref !== "string" || ref === "") continue;
      repos.add(fullRepository(parseImage(ref)));
    }
  }
  return repos;
}

export const imageRegistry = stackPolicy({
  name: "kubernetes-image-registry",
  description:
    "Workloads pull images only from the stack's own registry: the ACR the stack creates or grants a role on (or the images it builds) on dev and prod, images built into minikube (a `.local` pseudo-registry) or a local registry on local, plus registries or repositories allowed in the policy config. A name without a registry host is a Docker Hub image.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.1.4", "Minimize Container Registries to only those approved"),
    source("aks-baseline", "Supply chain/ACR only", "Pull images only from the cluster's container registry"),
  ],
  remediationSteps:
    "Build or import the image into the stack's registry (ACR on Azure, minikube on local) and reference it there; add a registry to allowedRegistries only with review.",
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
        if (built.has(fullRepository(p)) || imageAllowed(p, allowed)) continue;
        report(
          `${describeObject(w.kind, w.name, w.namespace)} ${label} pulls "${container.image}" from registry "${registryHost(p)}", which is not the stack's registry (allowed: ${allowed.length ? allowed.join(", ") : "none"}).`,
          r.urn,
        );
      }
    }
  },
});
