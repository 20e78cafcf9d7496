import { livenessProbe } from "../../src/kubernetes/liveness-probe.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, POD, deployment, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(livenessProbe, [
  { n: 1, title: "liveness probe present", resource: d, expect: [] },
  {
    n: 2,
    title: "init containers need none",
    resource: changed(d, [`${POD}.initContainers`, [{ name: "migrate", image: "x" }]]),
    expect: [],
  },
  {
    n: 3,
    title: "no liveness probe",
    resource: changed(d, [`${C0}.livenessProbe`]),
    expect: ['container "app" must define a livenessProbe.'],
  },
  {
    n: 4,
    title: "Jobs run to completion",
    resource: { type: types.job, name: "migrate", props: { spec: { template: { spec: { containers: [{ name: "m", image: "x" }] } } } } },
    notApplicable: true,
  },
]);
