import { componentScopes } from "../../src/dapr/component-scopes.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();

export default casesFor(componentScopes, [
  { n: 1, title: "scoped to catalog apps", resource: pubsub, expect: [] },
  {
    n: 2,
    title: "no scopes",
    resource: changed(pubsub, ["scopes"]),
    expect: ['Component "pubsub" has no scopes: every Dapr app in the namespace can load it.'],
  },
  {
    n: 3,
    title: "empty scopes",
    resource: changed(pubsub, ["scopes", []]),
    expect: ['Component "pubsub" has no scopes: every Dapr app in the namespace can load it.'],
  },
  {
    n: 4,
    title: "scoped to an unknown app",
    resource: changed(pubsub, ["scopes", ["tasks-api", "debugger"]]),
    expect: ['Component "pubsub" is scoped to debugger, which is not a catalog service.'],
  },
  { n: 5, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
