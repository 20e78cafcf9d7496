import { noHostNetwork } from "../../src/kubernetes/no-host-network.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noHostNetwork, [
  { n: 1, title: "pod network", resource: d, expect: [] },
  { n: 2, title: "hostNetwork: false", resource: changed(d, [`${POD}.hostNetwork`, false]), expect: [] },
  {
    n: 3,
    title: "hostNetwork: true",
    resource: changed(d, [`${POD}.hostNetwork`, true]),
    expect: ["the pod must not share the node's network namespace (spec.hostNetwork: true)."],
  },
]);
