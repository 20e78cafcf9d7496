import { resourceRequests } from "../../src/kubernetes/resource-requests.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(resourceRequests, [
  { n: 1, title: "cpu and memory requested", resource: d, expect: [] },
  {
    n: 2,
    title: "no requests",
    resource: changed(d, [`${C0}.resources.requests`]),
    expect: ['container "app" must set resources.requests for cpu and memory.'],
  },
  {
    n: 3,
    title: "memory only",
    resource: changed(d, [`${C0}.resources.requests.cpu`]),
    expect: ['container "app" must set resources.requests for cpu.'],
  },
]);
