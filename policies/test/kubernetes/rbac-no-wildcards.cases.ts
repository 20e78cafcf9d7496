import { rbacNoWildcards } from "../../src/kubernetes/rbac-no-wildcards.js";
import { casesFor } from "../lib/harness.js";
import { types } from "../fixtures/kubernetes.js";

const role = (rules: object[], type: string = types.role) => ({
  type,
  name: "reader",
  props: { metadata: { name: "reader", namespace: "tasks" }, rules: rules as never },
});

export default casesFor(rbacNoWildcards, [
  {
    n: 1,
    title: "named verbs on named resources",
    resource: role([{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]),
    expect: [],
  },
  {
    n: 2,
    title: "wildcard verbs",
    resource: role([
      { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["*"] },
    ]),
    expect: ['Role rule 2 uses "*" in verbs.'],
  },
  {
    n: 3,
    title: "a ClusterRole with everything",
    resource: role([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], types.clusterRole),
    expect: ['ClusterRole rule 1 uses "*" in apiGroups, resources, verbs.'],
  },
  { n: 4, title: "bindings are not roles", resource: { type: types.roleBinding, name: "b", props: {} }, notApplicable: true },
]);
