import { schedulerZoneRedundant } from "../../src/dapr/scheduler-zone-redundant.js";
import { casesFor, changed } from "../lib/harness.js";
import { edit, type JsonObject } from "../lib/json.js";
import { daprValues, zrsStorageClass } from "../fixtures/dapr.js";
import { helmRelease } from "../fixtures/kubernetes.js";

const values = (policy = "requiredDuringSchedulingIgnoredDuringExecution") =>
  edit(daprValues(true), ["global.ha.podAntiAffinityPolicy", policy]) as JsonObject;
const dapr = helmRelease("dapr", "dapr-system", values());
const zrs = zrsStorageClass;

export default casesFor(schedulerZoneRedundant, [
  { n: 1, title: "prod: one replica per zone, a PDB, ZRS disks", stack: "prod", resources: [dapr, zrs()], expect: [] },
  {
    n: 2,
    title: "dev may prefer the zone spread",
    stack: "dev",
    resources: [helmRelease("dapr", "dapr-system", values("preferredDuringSchedulingIgnoredDuringExecution")), zrs()],
    expect: [],
  },
  {
    n: 3,
    title: "prod: preferred spread, locally redundant disks",
    stack: "prod",
    resources: [
      changed(dapr, ["values.global.ha.podAntiAffinityPolicy", "preferredDuringSchedulingIgnoredDuringExecution"]),
      zrs("Premium_LRS"),
    ],
    expect: [
      'the Dapr scheduler is not zone-redundant: global.ha.podAntiAffinityPolicy must be requiredDuringSchedulingIgnoredDuringExecution in prod; StorageClass "managed-csi-premium-zrs" has skuName "Premium_LRS", not a zone-redundant *_ZRS disk.',
    ],
  },
  {
    n: 4,
    title: "the chart's defaults: hostname spread, 25% unavailable, the default class",
    stack: "dev",
    resources: [
      changed(
        dapr,
        ["values.global.ha.topologyKey", "kubernetes.io/hostname"],
        ["values.global.ha.disruption.maximumUnavailable", "25%"],
        ["values.dapr_scheduler.cluster.storageClassName"],
      ),
    ],
    expect: [
      "the Dapr scheduler is not zone-redundant: global.ha.topologyKey must be topology.kubernetes.io/zone; global.ha.disruption must keep two of three replicas (maximumUnavailable: 1 or minimumAvailable: 2); dapr_scheduler.cluster.storageClassName is not set.",
    ],
  },
  { n: 5, title: "local has one zone", stack: "local", resources: [dapr], notApplicable: true },
]);
