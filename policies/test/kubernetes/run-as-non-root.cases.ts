import { runAsNonRoot } from "../../src/kubernetes/run-as-non-root.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, POD, deployment, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(runAsNonRoot, [
  { n: 1, title: "pod-level runAsNonRoot covers the container", resource: d, expect: [] },
  {
    n: 2,
    title: "container-level runAsNonRoot without a pod setting",
    resource: changed(d, [`${POD}.securityContext.runAsNonRoot`], [`${C0}.securityContext.runAsNonRoot`, true]),
    expect: [],
  },
  {
    n: 3,
    title: "no runAsNonRoot anywhere",
    resource: changed(d, [`${POD}.securityContext.runAsNonRoot`]),
    expect: ['container "app" must set securityContext.runAsNonRoot: true (on the container or the pod).'],
  },
  {
    n: 4,
    title: "container overrides the pod with runAsNonRoot: false",
    resource: changed(d, [`${C0}.securityContext.runAsNonRoot`, false]),
    expect: ['container "app" must set securityContext.runAsNonRoot: true (on the container or the pod).'],
  },
  {
    n: 5,
    title: "container runs as uid 0",
    resource: changed(d, [`${C0}.securityContext.runAsUser`, 0]),
    expect: ['container "app" runs as root: securityContext.runAsUser is 0.'],
  },
  {
    n: 6,
    title: "an init container is checked too",
    resource: changed(d, [`${POD}.initContainers`, [{ name: "migrate", image: "x", securityContext: { runAsNonRoot: false } }]]),
    expect: ['init container "migrate" must set securityContext.runAsNonRoot: true (on the container or the pod).'],
  },
  {
    n: 7,
    title: "a CronJob's job template is checked",
    resource: {
      type: types.cronJob,
      name: "archive",
      props: {
        metadata: { namespace: "tasks" },
        spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: { containers: [{ name: "job", image: "x" }] } } } } },
      },
    },
    expect: ['container "job" must set securityContext.runAsNonRoot: true (on the container or the pod).'],
  },
  {
    n: 8,
    title: "a bare Pod is checked",
    resource: {
      type: types.pod,
      name: "debug",
      props: { metadata: { namespace: "tasks" }, spec: { containers: [{ name: "sh", image: "x" }] } },
    },
    expect: ['container "sh" must set securityContext.runAsNonRoot: true (on the container or the pod).'],
  },
  {
    n: 9,
    title: "objects rendered from a Helm chart are left to the chart's values",
    resource: { ...changed(d, [`${POD}.securityContext`]), parentTypes: [types.helmChart] },
    notApplicable: true,
  },
  { n: 10, title: "a Service is not a workload", resource: { type: types.service, name: "svc", props: { spec: {} } }, notApplicable: true },
]);
