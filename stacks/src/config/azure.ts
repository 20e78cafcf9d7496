import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { allServices, type ServiceName } from "@tasks/catalog";
import {
  boolean,
  cidr,
  cidrList,
  commonShape,
  dnsName,
  email,
  emailList,
  expect,
  integer,
  nonEmptyString,
  oneOf,
  pattern,
  prometheusDuration,
  section,
  storageSize,
  StackConfigError,
  throwIfInvalid,
  uuid,
  validateConfig,
} from "./common.js";
import { chaosProblems, chaosSection } from "./chaos.js";
import { identitySection } from "./identity.js";
import { ingressRateLimitSection } from "./ingress-rate-limit.js";

/**
 * Config of the Azure stacks (dev, prod). dev and prod run the same program; everything that differs
 * between them is here, set in Pulumi.<stack>.yaml and validated at start.
 */

const weekDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** Adds a problem at `path` (relative to the section) when `bad` holds. */
const check = (ctx: z.core.$RefinementCtx, bad: boolean, path: string[], message: string): void => {
  if (bad) ctx.addIssue({ code: "custom", path, message, input: undefined });
};

const aksShape = section({
  kubernetesVersion: pattern(/^1\.\d{2}(\.\d+)?$/, 'a Kubernetes version such as "1.33"'),
  tier: oneOf(["Standard", "Premium"]),
  systemVmSize: nonEmptyString("a VM size such as Standard_D4ds_v5"),
  systemNodeCount: integer(1, 10),
  systemNodeMaxCount: integer(1, 100),
  userVmSize: nonEmptyString("a VM size such as Standard_D4ds_v5"),
  userNodeMinCount: integer(0, 100),
  userNodeMaxCount: integer(1, 100),
  upgradeChannel: oneOf(["patch", "stable", "rapid"]),
  nodeOsUpgradeChannel: oneOf(["NodeImage", "SecurityPatch"]),
  maintenanceWindow: section({
    dayOfWeek: oneOf(weekDays),
    startTime: pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time "HH:MM"'),
    durationHours: integer(4, 24),
    utcOffset: pattern(/^[+-]\d{2}:\d{2}$/, 'an offset such as "+00:00"').optional(),
  }),
  /**
   * How kubelogin signs in where `pulumi up` runs: workloadidentity in CI (a GitHub OIDC token file the
   * deploy refreshes), azurecli at a workstation (`az login`).
   */
  kubeloginMode: oneOf(["azurecli", "workloadidentity"]),
  /**
   * No public API server: deployers reach it from inside the VNet (a self-hosted runner in a peered network;
   * docs/OPERATIONS.md "Runner egress"). Then allowedIpRanges may be empty. @default false
   */
  privateCluster: boolean().optional(),
}).superRefine((v, ctx) => {
  check(
    ctx,
    v.systemNodeMaxCount < v.systemNodeCount,
    ["systemNodeMaxCount"],
    `expected an integer >= aks.systemNodeCount (${v.systemNodeCount})`,
  );
  check(
    ctx,
    v.userNodeMaxCount < v.userNodeMinCount,
    ["userNodeMaxCount"],
    `expected an integer >= aks.userNodeMinCount (${v.userNodeMinCount})`,
  );
});

/** What the bootstrap stack made for this stack (its output `stackConfig.<stack>`; docs/OPERATIONS.md "First deploy"). */
const bootstrapShape = section({
  /** The stack's resource group: the deployer's roles are scoped to it. */
  resourceGroupName: pattern(/^[-\w._()]{1,90}$/, "a resource group name such as rg-tasks-dev"),
  /** The container registry CI pushes the images to before `pulumi up` (in the stack's resource group). */
  registry: section({
    name: pattern(/^[a-zA-Z0-9]{5,50}$/, "a registry name of 5-50 letters and digits"),
    sku: oneOf(["Basic", "Standard", "Premium"]),
  }),
  /** The Entra group that administers the cluster and Postgres. */
  aksAdminsGroup: section({ objectId: uuid(), displayName: nonEmptyString("the group's display name") }),
  /** The Azure DNS zone the public host is in; the stack manages its record. */
  dnsZone: section({
    name: dnsName("example.com"),
    resourceGroupName: pattern(/^[-\w._()]{1,90}$/, "a resource group name such as rg-tasks-bootstrap"),
  }),
});

const eventHubsShape = section({
  sku: oneOf(["Standard", "Premium"]),
  capacity: integer(1, 40),
  maxThroughputUnits: integer(0, 40).optional(),
}).superRefine((v, ctx) => {
  check(
    ctx,
    v.sku === "Premium" && ![1, 2, 4, 8, 16].includes(v.capacity),
    ["capacity"],
    "expected 1, 2, 4, 8 or 16 processing units for Premium",
  );
  check(
    ctx,
    v.sku === "Premium" && (v.maxThroughputUnits ?? 0) > 0,
    ["maxThroughputUnits"],
    "expected 0 or unset for Premium (auto-inflate is Standard only)",
  );
});

const postgresShape = section({
  version: oneOf(["16", "17"]),
  skuName: nonEmptyString("a Flexible Server SKU such as Standard_D2ds_v5"),
  skuTier: oneOf(["Burstable", "GeneralPurpose", "MemoryOptimized"]),
  storageSizeGb: integer(32, 16384),
  highAvailability: oneOf(["Disabled", "ZoneRedundant", "SameZone"]),
  backupRetentionDays: integer(7, 35),
  geoRedundantBackup: boolean(),
}).superRefine((v, ctx) => {
  check(
    ctx,
    v.highAvailability !== "Disabled" && v.skuTier === "Burstable",
    ["highAvailability"],
    "expected Disabled with postgres.skuTier Burstable (HA needs GeneralPurpose or MemoryOptimized)",
  );
});

export const azureShape = {
  ...commonShape,
  /** ACME account email for Let's Encrypt. */
  acmeEmail: email(),
  tlsIssuer: oneOf(["letsencrypt-staging", "letsencrypt-prod"]),
  /** HA control planes, PDBs and zone spread in the Kubernetes layer. */
  highAvailability: boolean(),
  /** What the bootstrap stack created for this stack. */
  bootstrap: bootstrapShape,
  /**
   * CIDRs allowed to the AKS API server and the Key Vault firewall: the deployers' egress (self-hosted
   * runners or a larger runner with static addresses). May be empty only with aks.privateCluster.
   */
  allowedIpRanges: cidrList(0),
  network: section({ addressSpace: cidr(19, "10.40.0.0/16") }),
  logAnalytics: section({ retentionDays: integer(30, 730) }),
  aks: aksShape,
  eventHubs: eventHubsShape,
  keyVault: section({ sku: oneOf(["standard", "premium"]), softDeleteRetentionDays: integer(7, 90) }),
  postgres: postgresShape,
  /** End-user sign-in: Entra ID registered by the program, or your own OpenID provider (config/identity.ts). */
  identity: identitySection(["entra", "oidc"]),
  /** Traefik's rate limits per token and per client address, before the services (config/ingress-rate-limit.ts). */
  ingressRateLimit: ingressRateLimitSection,
  /** Game days: Chaos Mesh and its experiments, dev only (config/chaos.ts). */
  chaos: chaosSection,
  /** Prometheus (kube-prometheus-stack): how long it keeps samples and the size of its volume. */
  monitoring: section({ retention: prometheusDuration("30d"), storageSize: storageSize("100Gi") }),
  smtp: section({
    host: dnsName("smtp.example.com"),
    port: integer(1, 65535),
    from: email(),
    username: nonEmptyString(),
    /** CIDRs of the SMTP relay, for the egress network policy. */
    egressCidrs: cidrList(1, "198.51.100.0/24"),
  }),
  /** The SMTP relay password; a secret (pulumi config set --secret). */
  smtpPassword: nonEmptyString(),
  /**
   * Alertmanager: who gets email, and the dead-man's switch: an external heartbeat monitor (its ping URL, and the
   * Authorization scheme its token is sent with) that pages when the always-firing Watchdog stops arriving.
   */
  alerting: section({
    email: emailList(),
    heartbeatUrl: pattern(/^https:\/\/\S+$/, "an https:// URL such as https://api.opsgenie.com/v2/heartbeats/tasks-prod/ping"),
    heartbeatAuthorization: pattern(/^[A-Za-z][A-Za-z0-9-]*$/, "an Authorization scheme such as GenieKey or Bearer"),
  }),
  /** URL of the Slack-format chat webhook critical and warning alerts go to; a secret, stored in Key Vault. */
  alertChatWebhookUrl: nonEmptyString("an https:// webhook URL"),
  /** The heartbeat monitor's token; a secret, stored in Key Vault. */
  alertHeartbeatToken: nonEmptyString(),
  /**
   * Digests of the images CI built, scanned, signed and pushed for this commit, by service
   * ({"tasks-api": "sha256:…"}); deploy.yml sets them after verifying each signature. The program deploys
   * `<registry>/<service>:<content tag>@<digest>` and builds nothing. A digest may name the content tag it
   * belongs to (`src-…@sha256:…`, as the stack output deployedImages gives it): it then applies only while the
   * service's sources still have that tag (previews and drift checks pass the deployed ones this way).
   * `pulumi up` stops when a service has no digest for its tag; previews show its tag without one.
   */
  imageDigests: z
    .partialRecord(
      z.enum(
        allServices.map((s) => s.name) as [ServiceName, ...ServiceName[]],
        expect(`a catalog service: ${allServices.map((s) => s.name).join(", ")}`),
      ),
      pattern(
        /^(src-[0-9a-f]{20}@)?sha256:[0-9a-f]{64}$/,
        "an image digest sha256:<64 hex digits>, optionally after its content tag src-<20 hex>@",
      ),
      expect('an object such as {"tasks-api": "sha256:…"}'),
    )
    .optional(),
};

export const azureSecretKeys = ["smtpPassword", "alertChatWebhookUrl", "alertHeartbeatToken"] as const;

const providerShape = {
  location: pattern(/^[a-z0-9]+$/, "an Azure region such as westeurope"),
};

/** Problems that involve two keys, each naming one of them. */
export function azureCrossKeyProblems(
  v: Pick<z.infer<z.ZodObject<typeof azureShape>>, "allowedIpRanges" | "aks" | "domain" | "bootstrap">,
): string[] {
  const problems: string[] = [];
  if (!v.aks.privateCluster && v.allowedIpRanges.length === 0)
    problems.push("tasks-platform:allowedIpRanges: expected at least one CIDR (the deployers' egress) unless aks.privateCluster is true");
  const zone = v.bootstrap.dnsZone.name;
  if (v.domain !== zone && !v.domain.endsWith(`.${zone}`))
    problems.push(`tasks-platform:domain: expected a name in the DNS zone bootstrap.dnsZone.name (${zone}), got ${v.domain}`);
  return problems;
}

export type AzureStackConfig = Omit<z.infer<z.ZodObject<typeof azureShape>>, (typeof azureSecretKeys)[number]> & {
  readonly environment: "dev" | "prod";
  readonly location: string;
  /** Wrapped as a secret as soon as it is read. */
  readonly smtpPassword: pulumi.Output<string>;
  readonly alertChatWebhookUrl: pulumi.Output<string>;
  readonly alertHeartbeatToken: pulumi.Output<string>;
};

/** Reads and validates the config of an Azure stack; throws one StackConfigError naming every bad key. */
export function loadAzureConfig(environment: "dev" | "prod"): AzureStackConfig {
  const project = validateConfig(azureShape, { secretKeys: azureSecretKeys, rejectExampleValues: true });
  const provider = validateConfig(providerShape, { namespace: "azure-native", allowUnknownKeys: true });
  throwIfInvalid(project, provider);
  if (!project.ok || !provider.ok) throw new Error("unreachable: invalid config passed validation");
  const v = project.value;
  const crossKey = [...azureCrossKeyProblems(v), ...chaosProblems(environment, v.chaos)];
  if (crossKey.length) throw new StackConfigError(crossKey);
  return {
    ...v,
    environment,
    location: provider.value.location,
    smtpPassword: pulumi.secret(v.smtpPassword),
    alertChatWebhookUrl: pulumi.secret(v.alertChatWebhookUrl),
    alertHeartbeatToken: pulumi.secret(v.alertHeartbeatToken),
  };
}
