import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject } from "../lib/kubernetes.js";

const bindingTypes = /^kubernetes:rbac\.authorization\.k8s\.io\/v1:(RoleBinding|ClusterRoleBinding)$/;

export const noClusterAdminBinding = resourcePolicy({
  name: "kubernetes-no-cluster-admin-binding",
  description:
    "The program binds nobody to the cluster-admin ClusterRole; cluster administrators get access through Entra ID groups and Azure RBAC.",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    source("cis-aks", "4.1.1", "Ensure that the cluster-admin role is only used where required"),
    source("aks-baseline", "Identity/Azure RBAC", "Cluster admin access through a Microsoft Entra group and Azure RBAC"),
  ],
  remediationSteps:
    "Bind a Role or ClusterRole with only the permissions needed; grant administrators the Azure Kubernetes Service RBAC Cluster Admin role on the cluster instead.",
  tags: ["kubernetes", "security", "rbac"],
  validateResource: (args, report) => {
    const m = bindingTypes.exec(args.type);
    if (!m) return args.notApplicable("applies to RoleBindings and ClusterRoleBindings");
    const roleRef = asObject(args.props.roleRef);
    if (roleRef.kind === "ClusterRole" && roleRef.name === "cluster-admin") report(`${m[1]} grants the cluster-admin ClusterRole.`);
  },
});
