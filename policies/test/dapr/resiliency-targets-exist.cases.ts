import { resiliencyTargetsExist } from "../../src/dapr/resiliency-targets-exist.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, resiliency } from "../fixtures/dapr.js";
import { deployment } from "../fixtures/kubernetes.js";

const withApp = changed(resiliency(), ["spec.targets.apps", { "tasks-api": { retry: "invokeRetry", timeout: "general" } }]);

export default casesFor(resiliencyTargetsExist, [
  {
    n: 1,
    title: "component and app targets exist, their policies are defined",
    resources: [kafkaPubsub(), deployment("tasks-api"), withApp],
    expect: [],
  },
  {
    n: 2,
    title: "a component the stack does not create, an app no workload runs as",
    resources: [deployment("tasks-api"), changed(withApp, ["spec.targets.apps", { "task-api": { retry: "invokeRetry" } }])],
    expect: [
      'Resiliency "tasks-resiliency" targets app "task-api", which no Dapr-enabled workload of the stack runs as.',
      'Resiliency "tasks-resiliency" targets component "pubsub", which the stack does not create in namespace "tasks".',
    ],
  },
  {
    n: 3,
    title: "a target naming a policy that is not defined",
    resources: [kafkaPubsub(), changed(resiliency(), ["spec.targets.components.pubsub.inbound.retry", "pubsubRetries"])],
    expect: [
      'Resiliency "tasks-resiliency" target components.pubsub.inbound uses retry "pubsubRetries", which spec.policies does not define.',
    ],
  },
]);
