import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { partOfLabels } from "./names.js";

/**
 * Chaos Mesh (chaos-mesh.org, Apache-2.0) for game days on a dev cluster: the chart, and the experiments as
 * chaos-mesh.org/v1alpha1 `Schedule`s that run in a weekly window. The controller only touches namespaces
 * annotated `chaos-mesh.org/inject: enabled` (enableFilterNamespace): the stack annotates the workload
 * namespace only, and every experiment selects pods of that namespace only. Experiments start paused.
 */

/** The chart's namespace: chaos-daemon is privileged (it enters pods' network namespaces), so it has its own. */
export const chaosMeshNamespace = "chaos-mesh";

/** The annotation that puts a namespace within Chaos Mesh's reach (controllerManager.enableFilterNamespace). */
export const chaosTargetAnnotation = { "chaos-mesh.org/inject": "enabled" } as const;

/** The annotation that pauses a Schedule (and the experiment it runs). */
export const chaosPauseAnnotation = "experiment.chaos-mesh.org/pause";

/** Port of the controller's admission webhooks (the chart's WEBHOOK_PORT), which the API server calls. */
export const chaosMeshWebhookPort = 10250;

export const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export type Weekday = (typeof weekdays)[number];

/** When the experiments run: one hour a week, in UTC. */
export interface ChaosWindow {
  readonly dayOfWeek: Weekday;
  readonly hourUtc: number;
}

export interface ChaosExperimentsInput {
  /** The namespace of the workloads: the only one the experiments select pods in. */
  readonly namespace: string;
  /** Apps (their `app.kubernetes.io/name`) that consume events: one pod of each is killed. */
  readonly consumers: readonly string[];
  /** The broker as the pods reach it (host names or CIDRs): delayed, then cut off. */
  readonly brokerTargets: readonly pulumi.Input<string>[];
  /** The zone whose workload pods are all killed (the node label topology.kubernetes.io/zone, e.g. westeurope-1). */
  readonly zone: string;
  readonly window: ChaosWindow;
  /** Create the Schedules paused (`experiment.chaos-mesh.org/pause`). @default true */
  readonly paused?: boolean;
}

/** Chaos Mesh's experiment durations and the network delay, stated once (the runbook quotes them). */
export const chaosExperimentSettings = {
  networkDelay: { latency: "200ms", jitter: "50ms", correlation: "25", duration: "5m" },
  partitionDuration: "2m",
} as const;

/** Minute of the window each experiment starts at: one at a time, each with time to recover before the next. */
const slot = (i: number) => i * 8;

/** The hour's cron for an experiment's slot, e.g. `16 10 * * 3`. */
export const windowCron = (w: ChaosWindow, minute: number): string => `${minute} ${w.hourUtc} * * ${weekdays.indexOf(w.dayOfWeek)}`;

type Obj = Record<string, unknown>;

function schedule(input: ChaosExperimentsInput, name: string, minute: number, type: "PodChaos" | "NetworkChaos", spec: Obj) {
  const paused = input.paused ?? true;
  return {
    apiVersion: "chaos-mesh.org/v1alpha1",
    kind: "Schedule",
    metadata: {
      name,
      namespace: input.namespace,
      labels: { ...partOfLabels, "app.kubernetes.io/component": "chaos-experiment" },
      ...(paused ? { annotations: { [chaosPauseAnnotation]: "true" } } : {}),
    },
    spec: {
      schedule: windowCron(input.window, minute),
      // A run that starts late (controller down) is skipped rather than fired outside the window.
      startingDeadlineSeconds: 300,
      concurrencyPolicy: "Forbid",
      historyLimit: 5,
      type,
      [type === "PodChaos" ? "podChaos" : "networkChaos"]: spec,
    },
  };
}

/**
 * The experiments: a pod of each consumer killed (each in its own slot), the apps' traffic to the broker
 * delayed, then cut off, then every workload pod of one zone killed.
 */
export function chaosExperimentManifests(input: ChaosExperimentsInput) {
  const inNamespace = (labels: Record<string, string>) => ({ namespaces: [input.namespace], labelSelectors: labels });
  const apps = inNamespace({ ...partOfLabels });
  const consumerKills = input.consumers.map((c, i) =>
    schedule(input, `pod-kill-${c}`, slot(i), "PodChaos", {
      action: "pod-kill",
      mode: "one",
      gracePeriod: 0,
      selector: inNamespace({ "app.kubernetes.io/name": c }),
    }),
  );
  const n = input.consumers.length;
  const { networkDelay, partitionDuration } = chaosExperimentSettings;
  return [
    ...consumerKills,
    schedule(input, "broker-delay", slot(n), "NetworkChaos", {
      action: "delay",
      mode: "all",
      selector: apps,
      direction: "to",
      externalTargets: [...input.brokerTargets],
      delay: { latency: networkDelay.latency, jitter: networkDelay.jitter, correlation: networkDelay.correlation },
      duration: networkDelay.duration,
    }),
    schedule(input, "broker-partition", slot(n + 1), "NetworkChaos", {
      action: "partition",
      mode: "all",
      selector: apps,
      direction: "to",
      externalTargets: [...input.brokerTargets],
      duration: partitionDuration,
    }),
    schedule(input, "zone-pod-kill", slot(n + 2), "PodChaos", {
      action: "pod-kill",
      mode: "all",
      gracePeriod: 0,
      selector: { ...apps, nodeSelectors: { "topology.kubernetes.io/zone": input.zone } },
    }),
  ];
}

/**
 * Helm values: chaos only in annotated namespaces, containerd (AKS), no dashboard (nothing exposed), no DNS
 * server (no DNSChaos here), one controller replica, metrics for Prometheus.
 */
export function chaosMeshValues(): Record<string, unknown> {
  return {
    clusterScoped: true,
    controllerManager: {
      replicaCount: 1,
      enableFilterNamespace: true,
      env: { WEBHOOK_PORT: chaosMeshWebhookPort },
      leaderElection: { enabled: false },
    },
    chaosDaemon: { runtime: "containerd", socketPath: "/run/containerd/containerd.sock", privileged: true },
    dashboard: { create: false },
    dnsServer: { create: false },
    prometheus: { create: false },
  };
}

export interface ChaosMeshArgs {
  readonly experiments: ChaosExperimentsInput;
  /** The namespaces (Chaos Mesh's, and the workload one annotated for chaos) and the network policies. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The chart in its own privileged namespace (PlatformNamespaces withChaosMesh, with the workload namespace
 * annotated), then the experiments in the workload namespace.
 */
export class ChaosMesh extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly schedules: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: ChaosMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:ChaosMesh", name, {}, opts);
    const { window, zone, consumers } = args.experiments;
    if (!Number.isInteger(window.hourUtc) || window.hourUtc < 0 || window.hourUtc > 23)
      throw new pulumi.ResourceError(`experiments.window.hourUtc: expected an integer 0..23, got ${window.hourUtc}`, this);
    if (!/^[a-z0-9]+-[1-3]$/.test(zone))
      throw new pulumi.ResourceError(`experiments.zone: expected an availability zone label such as westeurope-1, got "${zone}"`, this);
    if (consumers.length === 0) throw new pulumi.ResourceError("experiments.consumers: expected at least one consumer", this);
    if (args.experiments.brokerTargets.length === 0)
      throw new pulumi.ResourceError("experiments.brokerTargets: expected the broker's host name or CIDR", this);
    this.release = helmRelease(
      `${name}-release`,
      { chart: charts.chaosMesh, releaseName: "chaos-mesh", namespace: chaosMeshNamespace, values: chaosMeshValues() },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.schedules = chaosExperimentManifests(args.experiments).map(
      (m) =>
        new k8s.apiextensions.CustomResource(`${name}-${m.metadata.name}`, m as never, {
          parent: this,
          dependsOn: [this.release, ...(args.dependsOn ?? [])],
        }),
    );
    this.registerOutputs({});
  }
}
