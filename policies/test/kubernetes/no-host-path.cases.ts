import { noHostPath } from "../../src/kubernetes/no-host-path.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noHostPath, [
  { n: 1, title: "emptyDir only", resource: d, expect: [] },
  {
    n: 2,
    title: "a hostPath volume",
    resource: changed(d, [`${POD}.volumes.1`, { name: "docker", hostPath: { path: "/var/run/docker.sock" } }]),
    expect: ['volume "docker" mounts a hostPath (/var/run/docker.sock); use emptyDir, configMap, secret or a persistentVolumeClaim.'],
  },
]);
