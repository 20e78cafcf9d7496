import { minReplicasProd } from "../../src/kubernetes/min-replicas-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, hpa, ingress, service } from "../fixtures/kubernetes.js";

const api = deployment("tasks-api");
const recurrence = deployment("recurrence");

export default casesFor(minReplicasProd, [
  { n: 1, title: "prod: 2 replicas", stack: "prod", resources: [api, service("tasks-api"), ingress(["tasks-api"])], expect: [] },
  {
    n: 2,
    title: "prod: HPA minReplicas 2 governs over spec.replicas",
    stack: "prod",
    resources: [changed(api, ["spec.replicas"]), hpa("tasks-api", 2)],
    expect: [],
  },
  {
    n: 3,
    title: "prod: one replica of a catalog public service",
    stack: "prod",
    resources: [changed(api, ["spec.replicas", 1])],
    expect: [
      'Deployment "tasks/tasks-api" serves public traffic and must run at least 2 replicas in prod (spec.replicas or its HorizontalPodAutoscaler\'s minReplicas), found 1.',
    ],
  },
  {
    n: 4,
    title: "prod: HPA with minReplicas 1",
    stack: "prod",
    resources: [api, hpa("tasks-api", 1)],
    expect: [
      'Deployment "tasks/tasks-api" serves public traffic and must run at least 2 replicas in prod (spec.replicas or its HorizontalPodAutoscaler\'s minReplicas), found 1.',
    ],
  },
  {
    n: 5,
    title: "prod: a non-catalog workload behind the Ingress is public",
    stack: "prod",
    resources: [
      changed(
        deployment("tasks-api", "web"),
        ["metadata.name", "web"],
        ["spec.replicas"],
        ["spec.template.metadata.labels", { "app.kubernetes.io/name": "web" }],
      ),
      changed(service("web"), ["spec.selector", { "app.kubernetes.io/name": "web" }]),
      ingress(["web"]),
    ],
    expect: [
      'Deployment "tasks/web" serves public traffic and must run at least 2 replicas in prod (spec.replicas or its HorizontalPodAutoscaler\'s minReplicas), found 1.',
    ],
  },
  {
    n: 6,
    title: "prod: internal services may run one replica",
    stack: "prod",
    resources: [changed(recurrence, ["spec.replicas", 1])],
    expect: [],
  },
  { n: 7, title: "dev is exempt", stack: "dev", resources: [changed(api, ["spec.replicas", 1])], notApplicable: true },
  {
    n: 8,
    title: "an unknown stack is treated as prod",
    stack: "staging",
    resources: [changed(api, ["spec.replicas", 1])],
    expect: [
      'Deployment "tasks/tasks-api" serves public traffic and must run at least 2 replicas in prod (spec.replicas or its HorizontalPodAutoscaler\'s minReplicas), found 1.',
    ],
  },
  {
    n: 9,
    title: "the environment stack tag wins over the stack name",
    stack: "staging",
    stackTags: { environment: "dev" },
    resources: [changed(api, ["spec.replicas", 1])],
    notApplicable: true,
  },
]);
