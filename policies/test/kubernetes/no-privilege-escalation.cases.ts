import { noPrivilegeEscalation } from "../../src/kubernetes/no-privilege-escalation.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noPrivilegeEscalation, [
  { n: 1, title: "allowPrivilegeEscalation: false", resource: d, expect: [] },
  {
    n: 2,
    title: "unset (Kubernetes defaults to true)",
    resource: changed(d, [`${C0}.securityContext.allowPrivilegeEscalation`]),
    expect: ['container "app" must set securityContext.allowPrivilegeEscalation: false.'],
  },
  {
    n: 3,
    title: "true",
    resource: changed(d, [`${C0}.securityContext.allowPrivilegeEscalation`, true]),
    expect: ['container "app" must set securityContext.allowPrivilegeEscalation: false.'],
  },
]);
