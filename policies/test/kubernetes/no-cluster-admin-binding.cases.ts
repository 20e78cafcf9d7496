import { noClusterAdminBinding } from "../../src/kubernetes/no-cluster-admin-binding.js";
import { casesFor } from "../lib/harness.js";
import { types } from "../fixtures/kubernetes.js";

const binding = (type: string, roleRef: { kind: string; name: string }) => ({
  type,
  name: "binding",
  props: {
    metadata: { name: "binding" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects: [{ kind: "ServiceAccount", name: "x", namespace: "tasks" }],
  },
});

export default casesFor(noClusterAdminBinding, [
  {
    n: 1,
    title: "a least-privilege ClusterRole",
    resource: binding(types.clusterRoleBinding, { kind: "ClusterRole", name: "secret-reader" }),
    expect: [],
  },
  {
    n: 2,
    title: "cluster-admin cluster-wide",
    resource: binding(types.clusterRoleBinding, { kind: "ClusterRole", name: "cluster-admin" }),
    expect: ["ClusterRoleBinding grants the cluster-admin ClusterRole."],
  },
  {
    n: 3,
    title: "cluster-admin in a namespace",
    resource: binding(types.roleBinding, { kind: "ClusterRole", name: "cluster-admin" }),
    expect: ["RoleBinding grants the cluster-admin ClusterRole."],
  },
  { n: 4, title: "roles are not bindings", resource: { type: types.clusterRole, name: "r", props: {} }, notApplicable: true },
]);
