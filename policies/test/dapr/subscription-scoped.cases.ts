import { subscriptionScoped } from "../../src/dapr/subscription-scoped.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const sub = subscription();

export default casesFor(subscriptionScoped, [
  { n: 1, title: "scoped to the catalog's subscribers", resource: sub, expect: [] },
  { n: 2, title: "scoped to a subset of subscribers", resource: changed(sub, ["scopes", ["recurrence"]]), expect: [] },
  {
    n: 3,
    title: "no scopes",
    resource: changed(sub, ["scopes"]),
    expect: ['Subscription "sub-task-completed" has no scopes: every Dapr app in the namespace would receive its events.'],
  },
  {
    n: 4,
    title: "scoped to the publisher",
    resource: changed(sub, ["scopes", ["recurrence", "tasks-api"]]),
    expect: [
      'Subscription "sub-task-completed" is scoped to tasks-api, which the catalog does not list as subscribers of "task.completed".',
    ],
  },
  { n: 5, title: "a Component is not a Subscription", resource: kafkaPubsub(), notApplicable: true },
]);
