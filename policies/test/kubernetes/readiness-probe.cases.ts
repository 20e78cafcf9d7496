import { readinessProbe } from "../../src/kubernetes/readiness-probe.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(readinessProbe, [
  { n: 1, title: "readiness probe present", resource: d, expect: [] },
  {
    n: 2,
    title: "no readiness probe",
    resource: changed(d, [`${C0}.readinessProbe`]),
    expect: ['container "app" must define a readinessProbe.'],
  },
  {
    n: 3,
    title: "CronJobs run to completion",
    resource: {
      type: types.cronJob,
      name: "c",
      props: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } } } } },
    },
    notApplicable: true,
  },
]);
