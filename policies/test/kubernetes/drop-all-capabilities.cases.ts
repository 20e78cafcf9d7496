import { dropAllCapabilities } from "../../src/kubernetes/drop-all-capabilities.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(dropAllCapabilities, [
  { n: 1, title: "drops ALL", resource: d, expect: [] },
  {
    n: 2,
    title: "drops ALL and adds back NET_BIND_SERVICE",
    resource: changed(d, [`${C0}.securityContext.capabilities.add`, ["NET_BIND_SERVICE"]]),
    expect: [],
  },
  {
    n: 3,
    title: "drops nothing",
    resource: changed(d, [`${C0}.securityContext.capabilities`]),
    expect: ['container "app" must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).'],
  },
  {
    n: 4,
    title: "drops only NET_RAW",
    resource: changed(d, [`${C0}.securityContext.capabilities.drop`, ["NET_RAW"]]),
    expect: ['container "app" must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).'],
  },
  {
    n: 5,
    title: "adds SYS_ADMIN and NET_RAW",
    resource: changed(d, [`${C0}.securityContext.capabilities.add`, ["SYS_ADMIN", "NET_RAW"]]),
    expect: ['container "app" adds capabilities SYS_ADMIN, NET_RAW; only NET_BIND_SERVICE may be added.'],
  },
]);
