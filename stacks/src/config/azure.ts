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
  throwIfInvalid,
  uuid,
  validateConfig,
} from "./common.js";
import { identitySection } from "./identity.js";

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
  podSecurityEffect: oneOf(["Audit", "Deny"]),
  kubeloginMode: oneOf(["azurecli", "workloadidentity"]),
  adminGroupMembers: z.array(uuid(), { error: "expected a list of Entra object ids" }).optional(),
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

const acrShape = section({
  sku: oneOf(["Basic", "Standard", "Premium"]),
  zoneRedundant: boolean(),
}).superRefine((v, ctx) => {
  check(ctx, v.zoneRedundant && v.sku !== "Premium", ["zoneRedundant"], `expected false unless acr.sku is Premium (got ${v.sku})`);
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
  /** owner/name of the GitHub repository whose workflows deploy. */
  githubRepository: pattern(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub repository "owner/name"'),
  /** GitHub environments whose deploy jobs sign in as the deployer (prod: production). */
  githubEnvironments: z
    .array(pattern(/^[A-Za-z0-9_.-]+$/, "a GitHub environment name"), {
      error: 'expected a list of GitHub environment names such as ["production"]',
    })
    .optional(),
  /** CIDRs allowed to the AKS API server, the Key Vault firewall and the Premium ACR firewall. */
  allowedIpRanges: cidrList(1),
  network: section({ addressSpace: cidr(19, "10.40.0.0/16") }),
  logAnalytics: section({ retentionDays: integer(30, 730) }),
  aks: aksShape,
  acr: acrShape,
  eventHubs: eventHubsShape,
  keyVault: section({ sku: oneOf(["standard", "premium"]), softDeleteRetentionDays: integer(7, 90) }),
  postgres: postgresShape,
  /** End-user sign-in: Entra ID registered by the program, or your own OpenID provider (config/identity.ts). */
  identity: identitySection(["entra", "oidc"]),
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
   * ({"tasks-api": "sha256:…"}); deploy.yml sets them after verifying each signature. A service listed is
   * deployed by digest and not built by the program; unset, the program builds and pushes every image.
   */
  imageDigests: z
    .partialRecord(
      z.enum(
        allServices.map((s) => s.name) as [ServiceName, ...ServiceName[]],
        expect(`a catalog service: ${allServices.map((s) => s.name).join(", ")}`),
      ),
      pattern(/^sha256:[0-9a-f]{64}$/, "an image digest sha256:<64 hex digits>"),
      expect('an object such as {"tasks-api": "sha256:…"}'),
    )
    .optional(),
};

export const azureSecretKeys = ["smtpPassword", "alertChatWebhookUrl", "alertHeartbeatToken"] as const;

const providerShape = {
  location: pattern(/^[a-z0-9]+$/, "an Azure region such as westeurope"),
};

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
  const project = validateConfig(azureShape, { secretKeys: azureSecretKeys });
  const provider = validateConfig(providerShape, { namespace: "azure-native", allowUnknownKeys: true });
  throwIfInvalid(project, provider);
  if (!project.ok || !provider.ok) throw new Error("unreachable: invalid config passed validation");
  const v = project.value;
  return {
    ...v,
    environment,
    location: provider.value.location,
    smtpPassword: pulumi.secret(v.smtpPassword),
    alertChatWebhookUrl: pulumi.secret(v.alertChatWebhookUrl),
    alertHeartbeatToken: pulumi.secret(v.alertHeartbeatToken),
  };
}
