import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm } from "../lib/kubernetes.js";
import { helmInstallOf } from "../lib/helm.js";

/** Kinds that are not namespaced (built-in, plus the cluster-scoped CRDs this platform installs). */
const clusterScoped = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PriorityClass",
  "IngressClass",
  "RuntimeClass",
  "CSIDriver",
  "CSINode",
  "VolumeAttachment",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "APIService",
  "CertificateSigningRequest",
  "FlowSchema",
  "PriorityLevelConfiguration",
  "ClusterIssuer",
  "GatewayClass",
]);

/** Parses `kubernetes:<apiVersion>:<Kind>` for Kubernetes objects (not Helm, YAML or kustomize components). */
function kubernetesObjectKind(type: string): string | undefined {
  const m = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
  if (!m) return undefined;
  const [, apiVersion = "", kind = ""] = m;
  if (/^(helm\.sh|yaml|kustomize)(\/|$)/.test(apiVersion) || kind.endsWith("Patch") || kind.endsWith("List")) return undefined;
  return kind;
}

export const noDefaultNamespace = resourcePolicy({
  name: "kubernetes-no-default-namespace",
  description: 'Namespaced objects and Helm releases name their namespace explicitly, and it is not "default".',
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("cis-aks", "4.6.4", "The default namespace should not be used"),
    source("checkov", "CKV_K8S_21", "The default namespace should not be used"),
  ],
  remediationSteps:
    "Set metadata.namespace (or the Helm release's namespace) to the namespace of the component, for example the catalog's service namespace.",
  tags: ["kubernetes", "security", "tenancy"],
  validateResource: (args, report) => {
    const helm = helmInstallOf(args.type, args.props);
    if (helm) {
      if (!helm.namespace || helm.namespace === "default")
        report(`Helm chart "${helm.chart}" must be installed into a namespace other than "default" (set namespace).`);
      return;
    }
    const kind = kubernetesObjectKind(args.type);
    if (!kind || clusterScoped.has(kind)) return args.notApplicable("applies to namespaced Kubernetes objects and Helm releases");
    if (isRenderedByHelm(args.urn)) return args.notApplicable("rendered from a Helm chart: the release's namespace is validated instead");
    const namespace = asObject(args.props.metadata).namespace;
    const providerNamespace = args.provider ? asObject(args.provider.props).namespace : undefined;
    const effective =
      typeof namespace === "string" && namespace !== "" ? namespace : typeof providerNamespace === "string" ? providerNamespace : undefined;
    if (effective === undefined) report(`${kind} must set metadata.namespace; without it the object lands in "default".`);
    else if (effective === "default") report(`${kind} must not be created in the "default" namespace.`);
  },
});
