import { configurationAclAppIds } from "../../src/dapr/configuration-acl-app-ids.js";
import { casesFor, changed } from "../lib/harness.js";
import { configuration, kafkaPubsub } from "../fixtures/dapr.js";

export default casesFor(configurationAclAppIds, [
  { n: 1, title: "callers are catalog services", resource: configuration(), expect: [] },
  {
    n: 2,
    title: "a caller renamed in the catalog but not here",
    resource: changed(configuration(), ["spec.accessControl.policies.0.appId", "recurrence-worker"]),
    expect: [
      'Configuration "tasks-dapr-config-tasks-api" has an access-control policy for app id "recurrence-worker", which is not a catalog service.',
    ],
  },
  { n: 3, title: "a Component is not a Configuration", resource: kafkaPubsub(), notApplicable: true },
]);
