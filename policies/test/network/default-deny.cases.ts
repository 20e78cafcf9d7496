import { defaultDeny } from "../../src/network/default-deny.js";
import { casesFor, changed } from "../lib/harness.js";
import { defaultDenyPolicy, deployment, helmRelease, namespaceObject, types } from "../fixtures/kubernetes.js";

const api = deployment();
const deny = defaultDenyPolicy();

export default casesFor(defaultDeny, [
  { n: 1, title: "the workload namespace denies both directions", resources: [namespaceObject(), api, deny], expect: [] },
  {
    n: 2,
    title: "two policies, one per direction",
    resources: [
      api,
      changed(deny, ["spec.policyTypes", ["Ingress"]]),
      changed(defaultDenyPolicy(), ["metadata.name", "deny-egress"], ["spec.policyTypes", ["Egress"]]),
    ],
    expect: [],
  },
  {
    n: 3,
    title: "no policy at all",
    resources: [api],
    expect: ['namespace "tasks" runs Deployment tasks-api but has no default-deny NetworkPolicy for Ingress and Egress.'],
  },
  {
    n: 4,
    title: "ingress only (policyTypes default)",
    resources: [api, changed(deny, ["spec.policyTypes"])],
    expect: ['namespace "tasks" runs Deployment tasks-api but has no default-deny NetworkPolicy for Egress.'],
  },
  {
    n: 5,
    title: "a policy that selects some pods is not a default",
    resources: [api, changed(deny, ["spec.podSelector", { matchLabels: { app: "x" } }])],
    expect: ['namespace "tasks" runs Deployment tasks-api but has no default-deny NetworkPolicy for Ingress and Egress.'],
  },
  {
    n: 6,
    title: "a policy with allow rules is not a deny",
    resources: [api, changed(deny, ["spec.egress", [{ to: [{ podSelector: {} }] }]])],
    expect: ['namespace "tasks" runs Deployment tasks-api but has no default-deny NetworkPolicy for Egress.'],
  },
  {
    n: 7,
    title: "Helm releases run workloads too",
    resources: [helmRelease("dapr", "dapr-system"), api, deny],
    expect: ['namespace "dapr-system" runs Helm chart dapr but has no default-deny NetworkPolicy for Ingress and Egress.'],
  },
  {
    n: 8,
    title: "a policy in another namespace does not count",
    resources: [api, defaultDenyPolicy("other")],
    expect: ['namespace "tasks" runs Deployment tasks-api but has no default-deny NetworkPolicy for Ingress and Egress.'],
  },
  {
    n: 9,
    title: "chart-rendered objects follow their release",
    resources: [{ ...changed(api, ["metadata.namespace", "monitoring"]), parentTypes: [types.helmChart] }],
    expect: [],
  },
]);
