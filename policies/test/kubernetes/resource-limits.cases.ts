import { resourceLimits } from "../../src/kubernetes/resource-limits.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(resourceLimits, [
  { n: 1, title: "cpu and memory limited", resource: d, expect: [] },
  {
    n: 2,
    title: "no resources at all",
    resource: changed(d, [`${C0}.resources`]),
    expect: ['container "app" must set resources.limits for cpu and memory.'],
  },
  {
    n: 3,
    title: "no memory limit",
    resource: changed(d, [`${C0}.resources.limits.memory`]),
    expect: ['container "app" must set resources.limits for memory.'],
  },
]);
