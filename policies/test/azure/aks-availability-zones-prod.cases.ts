import { aksAvailabilityZonesProd } from "../../src/azure/aks-availability-zones-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { agentPool, cluster, vault } from "../fixtures/azure.js";

const c = cluster("prod");

export default casesFor(aksAvailabilityZonesProd, [
  { n: 1, title: "prod: every pool on zones 1-3", stack: "prod", resource: c, expect: [] },
  { n: 2, title: "prod: an AgentPool resource on zones 1-3", stack: "prod", resource: agentPool("prod"), expect: [] },
  {
    n: 3,
    title: "prod: a pool without zones",
    stack: "prod",
    resource: changed(c, ["agentPoolProfiles.1.availabilityZones"]),
    expect: ['node pool "user" must run in zones 1, 2 and 3; it is missing zone 1, 2, 3.'],
  },
  {
    n: 4,
    title: "prod: a pool on two zones",
    stack: "prod",
    resource: changed(c, ["agentPoolProfiles.0.availabilityZones", ["1", "2"]]),
    expect: ['node pool "system" must run in zones 1, 2 and 3; it is missing zone 3.'],
  },
  {
    n: 5,
    title: "prod: an AgentPool on one zone",
    stack: "prod",
    resource: changed(agentPool("prod"), ["availabilityZones", ["1"]]),
    expect: ['node pool "batch" must run in zones 1, 2 and 3; it is missing zone 2, 3.'],
  },
  { n: 6, title: "dev is exempt", stack: "dev", resource: changed(c, ["agentPoolProfiles.1.availabilityZones"]), notApplicable: true },
  { n: 7, title: "not a cluster", stack: "prod", resource: vault(), notApplicable: true },
]);
