import { aksSystemPoolCriticalOnly } from "../../src/azure/aks-system-pool-critical-only.js";
import { casesFor, changed } from "../lib/harness.js";
import { agentPool, cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksSystemPoolCriticalOnly, [
  { n: 1, title: "system pool tainted; user pool untainted", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "system pool without taint",
    resource: changed(cluster(), ["agentPoolProfiles.0.nodeTaints"]),
    expect: ['system node pool "system" must carry the taint CriticalAddonsOnly=true:NoSchedule.'],
  },
  {
    n: 3,
    title: "a System AgentPool resource without taint",
    resource: changed(agentPool(), ["mode", "System"]),
    expect: ['system node pool "batch" must carry the taint CriticalAddonsOnly=true:NoSchedule.'],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
