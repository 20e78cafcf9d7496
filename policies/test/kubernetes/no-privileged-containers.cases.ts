import { noPrivilegedContainers } from "../../src/kubernetes/no-privileged-containers.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noPrivilegedContainers, [
  { n: 1, title: "not privileged", resource: d, expect: [] },
  { n: 2, title: "privileged: false", resource: changed(d, [`${C0}.securityContext.privileged`, false]), expect: [] },
  {
    n: 3,
    title: "privileged: true",
    resource: changed(d, [`${C0}.securityContext.privileged`, true]),
    expect: ['container "app" must not run privileged (securityContext.privileged: true).'],
  },
]);
