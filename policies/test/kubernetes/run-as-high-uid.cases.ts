import { runAsHighUid } from "../../src/kubernetes/run-as-high-uid.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(runAsHighUid, [
  { n: 1, title: "uid 10001 on the pod", resource: d, expect: [] },
  {
    n: 2,
    title: "no uid",
    resource: changed(d, [`${POD}.securityContext.runAsUser`]),
    expect: ['container "app" does not set securityContext.runAsUser; set a user id of at least 10000.'],
  },
  {
    n: 3,
    title: "uid 1000 on the container",
    resource: changed(d, [`${C0}.securityContext.runAsUser`, 1000]),
    expect: ['container "app" runs as user 1000; use a user id of at least 10000.'],
  },
]);
