import { noHostPid } from "../../src/kubernetes/no-host-pid.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noHostPid, [
  { n: 1, title: "own PID namespace", resource: d, expect: [] },
  {
    n: 2,
    title: "hostPID: true",
    resource: changed(d, [`${POD}.hostPID`, true]),
    expect: ["the pod must not share the node's process ID namespace (spec.hostPID: true)."],
  },
]);
