import { chaosExperiments } from "../../src/kubernetes/chaos-experiments.js";
import { casesFor, changed } from "../lib/harness.js";
import type { FixtureResource } from "../lib/harness.js";

const release: FixtureResource = {
  type: "kubernetes:helm.sh/v3:Release",
  name: "chaos-mesh-release",
  props: {
    chart: "chaos-mesh",
    version: "2.8.3",
    namespace: "chaos-mesh",
    repositoryOpts: { repo: "https://charts.chaos-mesh.org" },
    values: { controllerManager: { enableFilterNamespace: true } },
  },
};
const workloadNs: FixtureResource = {
  type: "kubernetes:core/v1:Namespace",
  name: "platform-namespaces-tasks",
  props: { metadata: { name: "tasks", annotations: { "chaos-mesh.org/inject": "enabled" } } },
};
const podKill: FixtureResource = {
  type: "kubernetes:chaos-mesh.org/v1alpha1:Schedule",
  name: "chaos-mesh-pod-kill-audit",
  props: {
    metadata: { name: "pod-kill-audit", namespace: "tasks" },
    spec: {
      schedule: "0 10 * * 3",
      type: "PodChaos",
      podChaos: {
        action: "pod-kill",
        mode: "one",
        selector: { namespaces: ["tasks"], labelSelectors: { "app.kubernetes.io/name": "audit" } },
      },
    },
  },
};
const all = [release, workloadNs, podKill];

export default casesFor(chaosExperiments, [
  {
    n: 1,
    title: "dev: filtered controller, the workload namespace annotated, an experiment in it",
    stack: "dev",
    resources: all,
    expect: [],
  },
  {
    n: 2,
    title: "prod: Chaos Mesh at all",
    stack: "prod",
    resources: all,
    expect: [
      'kubernetes:helm.sh/v3:Release "chaos-mesh-release": Chaos Mesh is not allowed on a production stack (game days run on dev).',
      'kubernetes:chaos-mesh.org/v1alpha1:Schedule "pod-kill-audit": Chaos Mesh is not allowed on a production stack (game days run on dev).',
      'kubernetes:core/v1:Namespace "tasks": Chaos Mesh is not allowed on a production stack (game days run on dev).',
    ],
  },
  {
    n: 3,
    title: "a stack of unknown environment is treated as prod",
    stack: "staging",
    resources: [podKill],
    expect: [
      'kubernetes:chaos-mesh.org/v1alpha1:Schedule "pod-kill-audit": Chaos Mesh is not allowed on a production stack (game days run on dev).',
    ],
  },
  {
    n: 4,
    title: "an experiment selecting pods outside the workload namespace, or by no namespace",
    stack: "dev",
    resources: [
      release,
      changed(podKill, ["spec.podChaos.selector.namespaces", ["tasks", "kube-system"]]),
      changed({ ...podKill, name: "other" }, ["metadata.name", "pod-kill-any"], ["spec.podChaos.selector.namespaces"]),
    ],
    expect: [
      'Schedule "pod-kill-audit" spec.podChaos.selector selects namespaces ["tasks","kube-system"]: experiments may only select pods in ["tasks"].',
      'Schedule "pod-kill-any" spec.podChaos.selector selects namespaces []: experiments may only select pods in ["tasks"].',
    ],
  },
  {
    n: 5,
    title: "a network experiment whose target selector reaches another namespace",
    stack: "dev",
    resources: [
      {
        type: "kubernetes:chaos-mesh.org/v1alpha1:NetworkChaos",
        name: "partition",
        props: {
          metadata: { name: "partition", namespace: "tasks" },
          spec: {
            action: "partition",
            mode: "all",
            selector: { namespaces: ["tasks"] },
            direction: "to",
            target: { mode: "all", selector: { namespaces: ["tasks-data"] } },
          },
        },
      },
    ],
    expect: [
      'NetworkChaos "partition" spec.target.selector selects namespaces ["tasks-data"]: experiments may only select pods in ["tasks"].',
    ],
  },
  {
    n: 6,
    title: "an unfiltered controller, another namespace annotated, an experiment living elsewhere",
    stack: "dev",
    resources: [
      changed(release, ["values.controllerManager.enableFilterNamespace", false]),
      changed(workloadNs, ["metadata.name", "monitoring"]),
      changed(podKill, ["metadata.namespace", "chaos-mesh"]),
    ],
    expect: [
      'Helm release "chaos-mesh-release" of chaos-mesh: set controllerManager.enableFilterNamespace true (chaos only in annotated namespaces).',
      'Namespace "monitoring" is annotated chaos-mesh.org/inject: only the workload namespace "tasks" may be.',
      'Schedule "pod-kill-audit" lives in namespace "chaos-mesh": chaos objects belong in "tasks".',
    ],
  },
  {
    n: 7,
    title: "dev preview before the cluster exists: nothing known of the experiment (the provider is unknown)",
    stack: "dev",
    resources: [release, workloadNs, { ...podKill, props: {} }],
    expect: [],
  },
]);
