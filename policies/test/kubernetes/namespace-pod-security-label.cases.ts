import { namespacePodSecurityLabel } from "../../src/kubernetes/namespace-pod-security-label.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, namespaceObject } from "../fixtures/kubernetes.js";

const ns = namespaceObject();

export default casesFor(namespacePodSecurityLabel, [
  { n: 1, title: "restricted", resource: ns, expect: [] },
  { n: 2, title: "baseline", resource: changed(ns, ["metadata.labels", { "pod-security.kubernetes.io/enforce": "baseline" }]), expect: [] },
  {
    n: 3,
    title: "no label",
    resource: changed(ns, ["metadata.labels"]),
    expect: ['Namespace "tasks" has no pod-security.kubernetes.io/enforce label.'],
  },
  {
    n: 4,
    title: "privileged",
    resource: changed(ns, ["metadata.labels", { "pod-security.kubernetes.io/enforce": "privileged" }]),
    expect: ['Namespace "tasks" enforces the "privileged" pod security profile; use restricted (or baseline).'],
  },
  { n: 5, title: "not a Namespace", resource: deployment(), notApplicable: true },
]);
