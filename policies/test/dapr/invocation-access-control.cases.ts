import { invocationAccessControl } from "../../src/dapr/invocation-access-control.js";
import { casesFor, changed } from "../lib/harness.js";
import { configuration } from "../fixtures/dapr.js";
import { ANN, deployment } from "../fixtures/kubernetes.js";

const api = deployment("tasks-api");
const config = configuration("tasks-api");

export default casesFor(invocationAccessControl, [
  { n: 1, title: "the annotated Configuration exists and denies by default", resources: [api, config], expect: [] },
  { n: 2, title: "workloads without Dapr are not concerned", resources: [changed(api, [ANN, {}])], expect: [] },
  {
    n: 3,
    title: "no dapr.io/config annotation",
    resources: [changed(api, [ANN, { "dapr.io/enabled": "true", "dapr.io/app-id": "tasks-api" }]), config],
    expect: [
      'Deployment "tasks/tasks-api" runs a Dapr sidecar without a Dapr Configuration (dapr.io/config), so service invocation is not access-controlled.',
    ],
  },
  {
    n: 4,
    title: "the Configuration is missing",
    resources: [api],
    expect: [
      'Deployment "tasks/tasks-api" names Dapr Configuration "tasks-dapr-config-tasks-api", which the stack does not create in namespace "tasks".',
    ],
  },
  {
    n: 5,
    title: "the Configuration allows by default",
    resources: [api, changed(config, ["spec.accessControl.defaultAction", "allow"])],
    expect: [
      'Dapr Configuration "tasks-dapr-config-tasks-api" used by Deployment "tasks/tasks-api" must set accessControl.defaultAction: deny (found "allow").',
    ],
  },
  {
    n: 6,
    title: "the Configuration has no access control",
    resources: [api, changed(config, ["spec.accessControl"])],
    expect: [
      'Dapr Configuration "tasks-dapr-config-tasks-api" used by Deployment "tasks/tasks-api" must set accessControl.defaultAction: deny (found no accessControl).',
    ],
  },
]);
