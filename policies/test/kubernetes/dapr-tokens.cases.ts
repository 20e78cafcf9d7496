import { daprTokensPolicy } from "../../src/kubernetes/dapr-tokens.js";
import { casesFor, changed } from "../lib/harness.js";
import { ANN, deployment } from "../fixtures/kubernetes.js";

const d = deployment();
const annotations = { "dapr.io/enabled": "true", "dapr.io/app-id": "tasks-api", "dapr.io/app-port": "3000", "dapr.io/config": "c" };
const mounts = "spec.template.spec.containers.0.volumeMounts";
const apiMount = { name: "dapr-api-token", mountPath: "/var/run/secrets/tasks/dapr-api-token", readOnly: true };

export default casesFor(daprTokensPolicy, [
  { n: 1, title: "both annotations, their secret volumes and read-only mounts in the app container", resource: d, expect: [] },
  { n: 2, title: "another catalog service with its own tokens", resource: deployment("audit"), expect: [] },
  {
    n: 3,
    title: "no token annotations",
    resource: changed(d, [ANN, annotations]),
    expect: [
      "annotation dapr.io/app-token-secret is missing: the sidecar sends no app token, so the app cannot tell its sidecar from anyone else on the app port.",
      "annotation dapr.io/api-token-secret is missing: the sidecar's API answers anyone who reaches it, not only its app.",
    ],
  },
  {
    n: 4,
    title: "the app-token annotation names a Secret no volume mounts",
    resource: changed(d, [
      ANN,
      { ...annotations, "dapr.io/app-token-secret": "other-token", "dapr.io/api-token-secret": "tasks-api-dapr-api-token" },
    ]),
    expect: ['no volume mounts Secret "other-token" (named by dapr.io/app-token-secret): the app cannot read the token.'],
  },
  {
    n: 5,
    title: "the app-token volume exists but the app container does not mount it",
    resource: changed(d, [mounts, [{ name: "tmp", mountPath: "/tmp" }, apiMount]]),
    expect: ['the app container does not mount the volume of Secret "tasks-api-dapr-app-token".'],
  },
  {
    n: 6,
    title: "the app token mounted writable",
    resource: changed(d, [
      mounts,
      [{ name: "tmp", mountPath: "/tmp" }, { name: "dapr-app-token", mountPath: "/var/run/secrets/tasks/dapr-app-token" }, apiMount],
    ]),
    expect: ['the app container mounts Secret "tasks-api-dapr-app-token" writable; mount it readOnly: true.'],
  },
  {
    n: 7,
    title: "the API token is not mounted",
    resource: changed(d, [
      mounts,
      [
        { name: "tmp", mountPath: "/tmp" },
        { name: "dapr-app-token", mountPath: "/var/run/secrets/tasks/dapr-app-token", readOnly: true },
      ],
    ]),
    expect: ['the app container does not mount the volume of Secret "tasks-api-dapr-api-token".'],
  },
  {
    n: 8,
    title: "a workload that is not a catalog service",
    resource: changed(
      deployment("tasks-api", "redpanda"),
      ["metadata.name", "redpanda"],
      ["spec.template.metadata.labels", { app: "redpanda" }],
    ),
    notApplicable: true,
  },
  { n: 9, title: "a catalog service without a sidecar (web) needs no Dapr tokens", resource: deployment("web"), notApplicable: true },
]);
