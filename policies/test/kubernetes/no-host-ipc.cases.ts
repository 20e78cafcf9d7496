import { noHostIpc } from "../../src/kubernetes/no-host-ipc.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noHostIpc, [
  { n: 1, title: "own IPC namespace", resource: d, expect: [] },
  {
    n: 2,
    title: "hostIPC: true",
    resource: changed(d, [`${POD}.hostIPC`, true]),
    expect: ["the pod must not share the node's IPC namespace (spec.hostIPC: true)."],
  },
]);
