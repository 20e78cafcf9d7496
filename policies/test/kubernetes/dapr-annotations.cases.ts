import { daprAnnotations } from "../../src/kubernetes/dapr-annotations.js";
import { casesFor, changed } from "../lib/harness.js";
import { ANN, deployment } from "../fixtures/kubernetes.js";

const d = deployment();
const plain = changed(
  deployment("tasks-api", "redpanda"),
  ["metadata.name", "redpanda"],
  ["spec.template.metadata.labels", { app: "redpanda" }],
  [ANN],
);

export default casesFor(daprAnnotations, [
  { n: 1, title: "catalog service with the catalog's app id and port", resource: d, expect: [] },
  { n: 2, title: "another catalog service with its own port", resource: deployment("audit"), expect: [] },
  {
    n: 3,
    title: "sidecar disabled",
    resource: changed(d, [ANN, { "dapr.io/enabled": "false" }]),
    expect: ['catalog service "tasks-api" must run a Dapr sidecar: annotate the pod template with dapr.io/enabled: "true".'],
  },
  {
    n: 4,
    title: "wrong app id and port",
    resource: changed(d, [
      ANN,
      { "dapr.io/enabled": "true", "dapr.io/app-id": "tasks", "dapr.io/app-port": "8080", "dapr.io/config": "c" },
    ]),
    expect: [
      'annotation dapr.io/app-id is "tasks"; it must be the service name "tasks-api".',
      'annotation dapr.io/app-port is "8080"; it must be the catalog port "3000".',
    ],
  },
  {
    n: 5,
    title: "app id, port and config missing",
    resource: changed(d, [ANN, { "dapr.io/enabled": "true" }]),
    expect: [
      'annotation dapr.io/app-id is missing; it must be the service name "tasks-api".',
      'annotation dapr.io/app-port is missing; it must be the catalog port "3000".',
      "annotation dapr.io/config is missing; name the Dapr Configuration that carries the app's access control and tracing.",
    ],
  },
  { n: 6, title: "a non-catalog workload without Dapr", resource: plain, notApplicable: true },
  {
    n: 7,
    title: "a non-catalog Dapr workload must name its app id",
    resource: changed(plain, [ANN, { "dapr.io/enabled": "true" }]),
    expect: ["the pod template enables Dapr but does not set the annotation dapr.io/app-id."],
  },
  {
    n: 8,
    title: "recognised by its app.kubernetes.io/name label",
    resource: changed(
      d,
      ["metadata.name", "audit-v2"],
      ["spec.template.metadata.labels", { "app.kubernetes.io/name": "audit" }],
      [`${ANN}`, { "dapr.io/enabled": "true", "dapr.io/app-id": "audit", "dapr.io/app-port": "3003", "dapr.io/config": "c" }],
    ),
    expect: [],
  },
  { n: 9, title: "a catalog service without Dapr building blocks (web) runs no sidecar", resource: deployment("web"), notApplicable: true },
  {
    n: 10,
    title: "a catalog service without Dapr building blocks must not run a sidecar",
    resource: changed(deployment("web"), [
      ANN,
      { "dapr.io/enabled": "true", "dapr.io/app-id": "web", "dapr.io/app-port": "5173", "dapr.io/config": "c" },
    ]),
    expect: [
      'catalog service "web" uses no Dapr building block (catalog dapr: []) but runs a Dapr sidecar: remove dapr.io/enabled, or declare the building block in the catalog.',
    ],
  },
  {
    n: 11,
    title: "a catalog service with building blocks and no dapr.io annotations at all",
    resource: changed(deployment("mcp"), [ANN, {}]),
    expect: ['catalog service "mcp" must run a Dapr sidecar: annotate the pod template with dapr.io/enabled: "true".'],
  },
]);
