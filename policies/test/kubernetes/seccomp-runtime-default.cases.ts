import { seccompRuntimeDefault } from "../../src/kubernetes/seccomp-runtime-default.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(seccompRuntimeDefault, [
  { n: 1, title: "RuntimeDefault on the pod", resource: d, expect: [] },
  {
    n: 2,
    title: "Localhost on the container",
    resource: changed(
      d,
      [`${POD}.securityContext.seccompProfile`],
      [`${C0}.securityContext.seccompProfile`, { type: "Localhost", localhostProfile: "p.json" }],
    ),
    expect: [],
  },
  {
    n: 3,
    title: "no profile",
    resource: changed(d, [`${POD}.securityContext.seccompProfile`]),
    expect: ['container "app" must run with seccompProfile.type RuntimeDefault or Localhost (on the pod or the container), found none.'],
  },
  {
    n: 4,
    title: "container overrides with Unconfined",
    resource: changed(d, [`${C0}.securityContext.seccompProfile`, { type: "Unconfined" }]),
    expect: [
      'container "app" must run with seccompProfile.type RuntimeDefault or Localhost (on the pod or the container), found Unconfined.',
    ],
  },
]);
