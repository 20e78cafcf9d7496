import { podDisruptionBudgetProd } from "../../src/kubernetes/pod-disruption-budget-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, pdb } from "../fixtures/kubernetes.js";

const api = deployment("tasks-api");

export default casesFor(podDisruptionBudgetProd, [
  { n: 1, title: "prod: a matching budget", stack: "prod", resources: [api, pdb("tasks-api")], expect: [] },
  {
    n: 2,
    title: "prod: maxUnavailable 1",
    stack: "prod",
    resources: [api, changed(pdb("tasks-api"), ["spec.minAvailable"], ["spec.maxUnavailable", 1])],
    expect: [],
  },
  {
    n: 3,
    title: "prod: no budget",
    stack: "prod",
    resources: [api],
    expect: ['Deployment "tasks/tasks-api" serves public traffic and has no PodDisruptionBudget in prod.'],
  },
  {
    n: 4,
    title: "prod: a budget for other pods",
    stack: "prod",
    resources: [api, pdb("audit")],
    expect: ['Deployment "tasks/tasks-api" serves public traffic and has no PodDisruptionBudget in prod.'],
  },
  {
    n: 5,
    title: "prod: a budget in another namespace",
    stack: "prod",
    resources: [api, changed(pdb("tasks-api"), ["metadata.namespace", "other"])],
    expect: ['Deployment "tasks/tasks-api" serves public traffic and has no PodDisruptionBudget in prod.'],
  },
  {
    n: 6,
    title: "prod: minAvailable 0 protects nothing",
    stack: "prod",
    resources: [api, changed(pdb("tasks-api"), ["spec.minAvailable", 0])],
    expect: [
      'Deployment "tasks/tasks-api": its PodDisruptionBudget lets every pod be evicted at once; set minAvailable >= 1 or maxUnavailable below 100%.',
    ],
  },
  { n: 7, title: "dev is exempt", stack: "dev", resources: [api], notApplicable: true },
]);
