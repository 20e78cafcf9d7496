import { Ajv, type ValidateFunction } from "ajv";
import type { Manifest } from "../src/offline/render-manifests.js";
import { secretProviderClassSchema } from "./platform-csi-schemas.js";
import { daprSchemas } from "./platform-dapr-schemas.js";

/**
 * Validates a Kubernetes object against its schema: built-in kinds with kubernetes-models, cert-manager,
 * Prometheus operator and KEDA kinds with their @kubernetes-models packages, Dapr kinds with the schemas in
 * platform-dapr-schemas.ts, the CSI driver's SecretProviderClass with platform-csi-schemas.ts. Returns the
 * problems (empty when valid); an unknown kind is a problem.
 * Gateway API kinds (gateway.networking.k8s.io) are not checked here: no @kubernetes-models package fits this
 * repo (2.0.0 needs Node 22, 0.5.1 predates Gateway API v1); the kubernetes tier checks them against the
 * real CRDs of sigs.k8s.io/gateway-api, CEL rules included (tools/kubernetes/src/crd-sources.ts). Traefik's
 * traefik.io kinds (the rate-limit Middlewares) likewise, against Traefik's own CRDs, and Chaos Mesh's
 * chaos-mesh.org kinds against its CRDs.
 */
interface ModelClass {
  new (data: unknown): { validate(): void };
}

const ajv = new Ajv({ allErrors: true, strict: true });
const daprValidators = new Map<string, ValidateFunction>(
  Object.entries({ ...daprSchemas, "secrets-store.csi.x-k8s.io/v1/SecretProviderClass": secretProviderClassSchema }).map(([k, s]) => [
    k,
    ajv.compile(s),
  ]),
);

function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "cert-manager.io" || group === "acme.cert-manager.io") return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  if (group === "keda.sh") return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === "") return `kubernetes-models/${version}/${kind}`;
  if (group!.endsWith(".k8s.io") || ["apps", "batch", "autoscaling", "policy"].includes(group!))
    return `kubernetes-models/${group}/${version}/${kind}`;
  return undefined;
}

/** The API groups whose objects only the kubernetes tier validates (see above). */
export const kubernetesTierOnlyGroups = ["gateway.networking.k8s.io", "traefik.io", "chaos-mesh.org"] as const;

export async function schemaProblems(m: Manifest): Promise<string[]> {
  if (kubernetesTierOnlyGroups.some((g) => m.apiVersion.startsWith(`${g}/`))) return [];
  const where = `${m.apiVersion}/${m.kind} ${m.metadata.namespace ?? "-"}/${m.metadata.name ?? "?"}`;
  const dapr = daprValidators.get(`${m.apiVersion}/${m.kind}`);
  if (dapr)
    return dapr(m)
      ? []
      : (dapr.errors ?? []).map(
          (e) =>
            `${where}: ${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
        );
  const mod = modelModule(m.apiVersion, m.kind);
  if (!mod) return [`${where}: no schema known for this kind`];
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(mod)) as Record<string, ModelClass>)[m.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return [`${where}: no schema known for this kind (${mod})`];
  try {
    new Model(m).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}

export async function allSchemaProblems(manifests: readonly Manifest[]): Promise<string[]> {
  return (await Promise.all(manifests.map(schemaProblems))).flat();
}
