import type { PolicyResource } from "@pulumi/policy";
import { allServices } from "@tasks/catalog";
import { asObject, isRenderedByHelm, serviceSelectorMatches, stringEntry, workloadOf, type Workload } from "./kubernetes.js";

const replicatedKinds = new Set(["Deployment", "StatefulSet"]);
const publicCatalogServices = new Set<string>(allServices.filter((s) => s.publicRoutes.length > 0).map((s) => s.name));

/** Names of the Services an Ingress routes to (rules and default backend). */
export function ingressBackendServices(ingress: PolicyResource): string[] {
  const spec = asObject(ingress.props.spec);
  const names: string[] = [];
  const add = (backend: unknown) => {
    const name = asObject(asObject(backend).service).name;
    if (typeof name === "string") names.push(name);
  };
  add(spec.defaultBackend);
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    for (const path of Array.isArray(asObject(asObject(rule).http).paths) ? (asObject(asObject(rule).http).paths as unknown[]) : [])
      add(asObject(path).backend);
  }
  return names;
}

const namespaceOf = (r: PolicyResource): string | undefined => {
  const ns = asObject(r.props.metadata).namespace;
  return typeof ns === "string" ? ns : undefined;
};

const nameOf = (r: PolicyResource): string => {
  const n = asObject(r.props.metadata).name;
  return typeof n === "string" && n !== "" ? n : r.name;
};

/**
 * The Deployments and StatefulSets (created by the program, not by a Helm chart) that serve public
 * traffic: selected by a Service that an Ingress routes to or that is exposed as LoadBalancer/NodePort,
 * or named after a catalog service with public routes.
 */
export function publicWorkloads(resources: readonly PolicyResource[]): { resource: PolicyResource; workload: Workload }[] {
  const ingresses = resources.filter((r) => /^kubernetes:networking\.k8s\.io\/v1:Ingress$/.test(r.type));
  const services = resources.filter((r) => r.type === "kubernetes:core/v1:Service");
  const exposed = services.filter((svc) => {
    const type = asObject(svc.props.spec).type;
    if (type === "LoadBalancer" || type === "NodePort") return true;
    return ingresses.some((ing) => namespaceOf(ing) === namespaceOf(svc) && ingressBackendServices(ing).includes(nameOf(svc)));
  });
  const result: { resource: PolicyResource; workload: Workload }[] = [];
  for (const r of resources) {
    const w = workloadOf(r.type, r.props, r.name);
    if (!w || !replicatedKinds.has(w.kind) || isRenderedByHelm(r.urn)) continue;
    const appName = stringEntry(w.podMetadata.labels, "app.kubernetes.io/name") ?? w.name;
    const byCatalog = publicCatalogServices.has(w.name) || publicCatalogServices.has(appName);
    const byService = exposed.some(
      (svc) => namespaceOf(svc) === w.namespace && serviceSelectorMatches(asObject(svc.props.spec).selector, w.podMetadata.labels),
    );
    if (byCatalog || byService) result.push({ resource: r, workload: w });
  }
  return result;
}
