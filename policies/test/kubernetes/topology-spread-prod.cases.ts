import { topologySpreadProd } from "../../src/kubernetes/topology-spread-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(topologySpreadProd, [
  { n: 1, title: "prod: spread over zones", stack: "prod", resource: d, expect: [] },
  {
    n: 2,
    title: "prod: no constraint",
    stack: "prod",
    resource: changed(d, [`${POD}.topologySpreadConstraints`]),
    expect: ["the pod template must spread pods across zones: add a topologySpreadConstraint on topology.kubernetes.io/zone."],
  },
  {
    n: 3,
    title: "prod: spread over hosts only",
    stack: "prod",
    resource: changed(d, [`${POD}.topologySpreadConstraints.0.topologyKey`, "kubernetes.io/hostname"]),
    expect: ["the pod template must spread pods across zones: add a topologySpreadConstraint on topology.kubernetes.io/zone."],
  },
  {
    n: 4,
    title: "prod: no label selector",
    stack: "prod",
    resource: changed(d, [`${POD}.topologySpreadConstraints.0.labelSelector`]),
    expect: ["the topologySpreadConstraint on topology.kubernetes.io/zone must have a labelSelector matching the pods."],
  },
  { n: 5, title: "dev is exempt", stack: "dev", resource: changed(d, [`${POD}.topologySpreadConstraints`]), notApplicable: true },
  {
    n: 6,
    title: "DaemonSets run on every node anyway",
    stack: "prod",
    resource: { type: types.daemonSet, name: "agent", props: { spec: { template: { spec: { containers: [] } } } } },
    notApplicable: true,
  },
]);
