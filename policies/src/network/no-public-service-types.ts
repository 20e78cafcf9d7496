import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm, objectName, stringEntry, type ObjectMeta } from "../lib/kubernetes.js";
import { helmInstallOf } from "../lib/helm.js";
import { configOf } from "../lib/config.js";

export interface PublicServiceConfig {
  /** Charts that install the ingress controller, whose Service may be a LoadBalancer. */
  readonly ingressControllerCharts: string[];
  /** `app.kubernetes.io/name` labels of program-created ingress controller Services. */
  readonly ingressControllerNames: string[];
}

export const publicServiceDefaults: PublicServiceConfig = {
  ingressControllerCharts: ["traefik"],
  ingressControllerNames: ["traefik"],
};

const exposing = new Set(["LoadBalancer", "NodePort"]);

/** Paths of Helm values that set a Service type of LoadBalancer or NodePort, e.g. `grafana.service.type`. */
export function exposedServiceValues(values: unknown, path: string[] = []): string[] {
  if (values === null || typeof values !== "object") return [];
  if (Array.isArray(values)) return values.flatMap((v, i) => exposedServiceValues(v, [...path, String(i)]));
  const found: string[] = [];
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    const here = [...path, k];
    if (k === "type" && typeof v === "string" && exposing.has(v) && path.some((p) => /service/i.test(p)))
      found.push(`${here.join(".")}=${v}`);
    else found.push(...exposedServiceValues(v, here));
  }
  return found;
}

export const noPublicServiceTypes = resourcePolicy({
  name: "network-no-public-service-types",
  description:
    "No Service is exposed as LoadBalancer or NodePort, neither directly nor through Helm values, except the ingress controller's: all external traffic enters through the TLS ingress.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("aks-baseline", "Network/single ingress point", "Expose workloads only through the ingress controller")],
  remediationSteps: "Use a ClusterIP Service and route to it with an Ingress; only the ingress controller's Service may be a LoadBalancer.",
  tags: ["network", "security"],
  configSchema: {
    properties: {
      ingressControllerCharts: { type: "array", items: { type: "string" }, default: publicServiceDefaults.ingressControllerCharts },
      ingressControllerNames: { type: "array", items: { type: "string" }, default: publicServiceDefaults.ingressControllerNames },
    },
  },
  validateResource: (args, report) => {
    const config = configOf<PublicServiceConfig>(args, publicServiceDefaults);
    const helm = helmInstallOf(args.type, args.props);
    if (helm) {
      if (config.ingressControllerCharts.includes(helm.chart)) return args.notApplicable("the ingress controller chart");
      for (const setting of exposedServiceValues(helm.values)) report(`Helm chart "${helm.chart}" exposes a Service publicly: ${setting}.`);
      return;
    }
    if (args.type !== "kubernetes:core/v1:Service") return args.notApplicable("applies to Services and Helm releases");
    if (isRenderedByHelm(args.urn)) return args.notApplicable("rendered from a Helm chart: the release's values are validated instead");
    const meta = asObject(args.props.metadata) as ObjectMeta;
    const type = asObject(args.props.spec).type;
    if (typeof type !== "string" || !exposing.has(type)) return;
    const app = stringEntry(meta.labels, "app.kubernetes.io/name");
    if (app && config.ingressControllerNames.includes(app)) return;
    report(`Service "${objectName(meta, args.name)}" is of type ${type}; only the ingress controller may be exposed outside the cluster.`);
  },
});
