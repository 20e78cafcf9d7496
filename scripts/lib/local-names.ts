/**
 * The names the local shell scripts need, from the catalog and the infra code (never hand-copied),
 * printed as shell assignments: `eval "$(npx --no-install tsx scripts/lib/local-names.ts)"`.
 * Lists are space-separated. IMAGES holds `<service>=<image>` pairs with the content-derived tags the
 * program computes, for the registry given as the first argument (the stack's imageRegistry).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allBrokerTopics, allServices, daprComponents, runsDaprSidecar } from "@tasks/catalog";
import { namespaces, publicTlsSecret } from "@tasks/infra/k8s/names";
import { grafanaAdminSecretName } from "@tasks/infra/k8s/monitoring/component";
import { localIdp } from "@tasks/infra/local/index";
import { contentTag, imageSourcePaths, repoRoot } from "@tasks/infra/workload/index";

const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

export function localNames(registry: string, root = repoRoot): Record<string, string> {
  return {
    WORKLOAD_NS: namespaces.workloads,
    DATA_NS: namespaces.data,
    MONITORING_NS: namespaces.monitoring,
    INGRESS_NS: namespaces.ingress,
    DAPR_NS: namespaces.dapr,
    CERT_MANAGER_NS: namespaces.certManager,
    SERVICES: allServices.map((s) => s.name).join(" "),
    // The services whose pods run a Dapr sidecar (the others, like web, use no building block and have none).
    DAPR_SERVICES: allServices
      .filter(runsDaprSidecar)
      .map((s) => s.name)
      .join(" "),
    PUBLIC_ROUTES: allServices.flatMap((s) => s.publicRoutes.map((r) => r.path)).join(" "),
    BROKER_TOPICS: allBrokerTopics()
      .map((t) => t.name)
      .join(" "),
    DAPR_COMPONENTS: Object.values(daprComponents).join(" "),
    IDP_NAME: localIdp.name,
    IDP_PORT: String(localIdp.port),
    IDP_PATH: localIdp.path,
    IDP_AUDIENCE: localIdp.audience,
    IDP_CLIENT: localIdp.clientId,
    IDP_USERS_SECRET: localIdp.usersSecret,
    IDP_USERS_KEY: localIdp.usersKey,
    GRAFANA_SECRET: grafanaAdminSecretName,
    PUBLIC_TLS_SECRET: publicTlsSecret,
    // Every service's image and the local OpenID Provider's (apps/local-idp, built from the same Dockerfile).
    IMAGES: [...allServices.map((s) => s.name), localIdp.name]
      .map((name) => `${name}=${registry}/${name}:${contentTag(root, imageSourcePaths(name))}`)
      .join(" "),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const registry = process.argv[2] ?? "tasks.local";
  for (const [k, v] of Object.entries(localNames(registry))) process.stdout.write(`${k}=${quote(v)}\n`);
}
