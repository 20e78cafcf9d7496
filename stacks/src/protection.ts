import type * as pulumi from "@pulumi/pulumi";
import { namespaces } from "@tasks/infra/k8s/names";

/**
 * The destructive-change guard of the program: which resources are stateful, and how each stack guards
 * them. Decided here and applied in one place, a stack transformation registered by the program's
 * entry point (index.ts) before any resource exists, so it reaches every resource, however nested.
 *
 * - `protect`: the engine refuses to delete or replace the resource (`pulumi up` and `destroy` stop
 *   until someone runs `pulumi state unprotect <urn>` on purpose).
 * - `retainOnDelete`: when the resource is deleted anyway, Pulumi only drops it from the state; the
 *   cloud resource and its data stay. Only where losing the resource loses data.
 *
 * By stack name: prod and bootstrap (the state of every stack, the registries, the DNS zone) get both. dev gets neither (a disposable copy of prod; `pulumi destroy` must
 * clean up, and its resource group takes every retained resource with it anyway). local gets neither:
 * scripts/local-down.sh keeps the data services by leaving the data namespace in the state
 * (`--exclude`), and a retained resource would drop out of the state and collide with the next local-up.
 */

export type Environment = "bootstrap" | "dev" | "prod" | "local";

export interface Protection {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

/** How a stack guards its stateful resources. */
export function protectionFor(environment: Environment): Protection {
  return environment === "prod" || environment === "bootstrap"
    ? { protect: true, retainOnDelete: true }
    : { protect: false, retainOnDelete: false };
}

type Props = Readonly<Record<string, unknown>>;

export interface StatefulResource {
  readonly type: string;
  /** Narrows the type to some resources of it (the Kubernetes objects that hold volumes); default: all of them. */
  readonly matches?: (props: Props) => boolean;
  /** Losing the resource loses data (retained on delete where the stack retains). */
  readonly holdsData: boolean;
  /** What it is and what its loss costs. */
  readonly why: string;
}

const metadataName = (props: Props): unknown => (props.metadata as Props | undefined)?.name;
const named =
  (...names: string[]) =>
  (props: Props): boolean =>
    names.includes(String(metadataName(props)));

/** The stateful resources of the stacks (issue 18): deleting or replacing one loses data or the platform. */
export const statefulResources: readonly StatefulResource[] = [
  {
    type: "azure-native:resources:ResourceGroup",
    holdsData: true,
    why: "deleting the resource group deletes every resource in it, retained or not",
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    holdsData: false,
    why: "the AKS cluster and its node pools (agentPoolProfiles); a new cluster means a new API server, identities and every workload redeployed",
  },
  { type: "azure-native:dbforpostgresql:Server", holdsData: true, why: "the Postgres server: every service's data" },
  { type: "azure-native:dbforpostgresql:Database", holdsData: true, why: "a service's database" },
  { type: "azure-native:eventhub:Namespace", holdsData: true, why: "the Event Hubs namespace: retained events of every topic" },
  { type: "azure-native:eventhub:EventHub", holdsData: true, why: "a topic or dead-letter topic and its retained events" },
  { type: "azure-native:keyvault:Vault", holdsData: true, why: "the Key Vault: every secret the services read" },
  { type: "azure-native:keyvault:Secret", holdsData: true, why: "a secret (generated keys cannot be recreated)" },
  { type: "azure-native:keyvault:Key", holdsData: true, why: "a key (what it encrypted or signed depends on it)" },
  { type: "azure-native:containerregistry:Registry", holdsData: true, why: "the registry: the images deployed and rolled back to" },
  {
    type: "azure-native:storage:StorageAccount",
    holdsData: true,
    why: "the state backend: every stack's Pulumi state and its history",
  },
  { type: "azure-native:storage:BlobContainer", holdsData: true, why: "a stack's Pulumi state" },
  { type: "azure-native:dns:Zone", holdsData: true, why: "the public DNS zone: a new zone gets new name servers, to delegate again" },
  {
    type: "kubernetes:helm.sh/v3:Release",
    matches: (props) => props.name === "dapr",
    holdsData: true,
    why: "the Dapr control plane: its scheduler's etcd volumes hold the Jobs API's schedules (reminders)",
  },
  {
    type: "kubernetes:core/v1:Namespace",
    matches: named(namespaces.dapr, namespaces.data),
    holdsData: true,
    why: "deleting the namespace deletes the volume claims in it (Dapr scheduler; local Postgres and Redpanda)",
  },
  {
    type: "kubernetes:apps/v1:StatefulSet",
    matches: named("postgres", "redpanda"),
    holdsData: true,
    why: "a minikube data service (Postgres, Redpanda) and its volume claim template",
  },
  { type: "kafka:index/topic:Topic", holdsData: true, why: "a local topic and its retained events" },
];

/** The table entry a resource falls under, if it is stateful. */
export function statefulResource(type: string, props: Props): StatefulResource | undefined {
  return statefulResources.find((s) => s.type === type && (s.matches?.(props) ?? true));
}

/**
 * The stack transformation: protect / retainOnDelete on the stateful resources. Pulumi would pass a
 * protected parent's protection on to its children (a hub's consumer groups, a server's configuration):
 * every other resource gets an explicit `protect: false`, so only the table's resources are guarded.
 */
export function guardTransformation(protection: Protection): pulumi.ResourceTransformation {
  return (args) => {
    const entry = statefulResource(args.type, args.props as Props);
    const opts = entry
      ? {
          ...args.opts,
          protect: protection.protect,
          // A component that retains a child in every stack (Key Vault secrets under purge protection) keeps that.
          retainOnDelete: (protection.retainOnDelete && entry.holdsData) || args.opts.retainOnDelete === true,
        }
      : { ...args.opts, protect: args.opts.protect ?? false };
    return { props: args.props, opts };
  };
}
