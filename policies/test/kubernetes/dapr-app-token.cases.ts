import { daprAppTokenPolicy } from "../../src/kubernetes/dapr-app-token.js";
import { casesFor, changed } from "../lib/harness.js";
import { ANN, deployment } from "../fixtures/kubernetes.js";

const d = deployment();
const annotations = { "dapr.io/enabled": "true", "dapr.io/app-id": "tasks-api", "dapr.io/app-port": "3000", "dapr.io/config": "c" };
const mounts = "spec.template.spec.containers.0.volumeMounts";

export default casesFor(daprAppTokenPolicy, [
  { n: 1, title: "annotation, secret volume and a read-only mount in the app container", resource: d, expect: [] },
  { n: 2, title: "another catalog service with its own token", resource: deployment("audit"), expect: [] },
  {
    n: 3,
    title: "no app-token annotation",
    resource: changed(d, [ANN, annotations]),
    expect: [
      "annotation dapr.io/app-token-secret is missing: the sidecar sends no app token, so the app cannot tell its sidecar from anyone else on the app port.",
    ],
  },
  {
    n: 4,
    title: "the annotation names a Secret no volume mounts",
    resource: changed(d, [ANN, { ...annotations, "dapr.io/app-token-secret": "other-token" }]),
    expect: ['no volume mounts Secret "other-token" (named by dapr.io/app-token-secret): the app cannot read the token it must check.'],
  },
  {
    n: 5,
    title: "the volume exists but the app container does not mount it",
    resource: changed(d, [mounts, [{ name: "tmp", mountPath: "/tmp" }]]),
    expect: ['the app container does not mount the volume of Secret "tasks-api-dapr-app-token".'],
  },
  {
    n: 6,
    title: "mounted writable",
    resource: changed(d, [
      mounts,
      [
        { name: "tmp", mountPath: "/tmp" },
        { name: "dapr-app-token", mountPath: "/var/run/secrets/tasks/dapr-app-token" },
      ],
    ]),
    expect: ['the app container mounts Secret "tasks-api-dapr-app-token" writable; mount it readOnly: true.'],
  },
  {
    n: 7,
    title: "a workload that is not a catalog service",
    resource: changed(
      deployment("tasks-api", "redpanda"),
      ["metadata.name", "redpanda"],
      ["spec.template.metadata.labels", { app: "redpanda" }],
    ),
    notApplicable: true,
  },
]);
