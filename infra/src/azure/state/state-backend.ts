import * as pulumi from "@pulumi/pulumi";
import { BlobContainer } from "@pulumi/azure-native/storage/blobContainer.js";
import { BlobServiceProperties } from "@pulumi/azure-native/storage/blobServiceProperties.js";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount.js";
import { childName } from "../../naming.js";
import { KeyVault } from "../keyvault/vault.js";
import type { AzureScope } from "../scope.js";

export interface StateBackendArgs extends AzureScope {
  /** Physical storage account name (see naming.azureName("storageAccount", …)). */
  readonly accountName: pulumi.Input<string>;
  /** Physical name of the vault that holds the secrets-provider keys (see naming.azureName("keyVault", …)). */
  readonly vaultName: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  /** One blob container and one secrets-provider key per stack, e.g. ["bootstrap", "dev", "prod"]. */
  readonly stacks: readonly string[];
  /** CIDRs allowed through the account's and the vault's firewalls (the runners and operators). @default [] */
  readonly allowedIpRanges?: readonly string[];
  /** Days deleted blobs, versions and containers stay recoverable. @default 30 */
  readonly retentionDays?: number;
}

/**
 * Where Pulumi keeps the stacks' state (a DIY `azblob://` backend) and what encrypts their secrets (an
 * `azurekeyvault://` secrets provider). One container and one key per stack, so that each stack's identity
 * gets a role on its own container and key only. Shared keys are off (Entra ID sign-in only), versioning
 * and soft delete keep every overwritten or deleted checkpoint recoverable.
 */
export class StateBackend extends pulumi.ComponentResource {
  readonly accountName: pulumi.Output<string>;
  /** ARM id of each stack's container: the scope of its Storage Blob Data role. */
  readonly containerIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** ARM id of each stack's key: the scope of its Key Vault Crypto User role. */
  readonly keyIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** `pulumi login` URL of each stack's container. */
  readonly backendUrls: Readonly<Record<string, pulumi.Output<string>>>;
  /** `--secrets-provider` of each stack. */
  readonly secretsProviders: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:StateBackend", name, {}, opts);
    const bad = args.stacks.filter((s) => !/^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])?$/.test(s));
    if (args.stacks.length === 0 || bad.length)
      throw new pulumi.ResourceError(
        `StateBackend "${name}": stacks must be 3-63 lower-case letters, digits and hyphens, got [${args.stacks.join(", ")}]`,
        this,
      );
    const retentionDays = args.retentionDays ?? 30;
    const ranges = args.allowedIpRanges ?? [];
    const account = new StorageAccount(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: args.accountName,
        kind: "StorageV2",
        sku: { name: "Standard_ZRS" },
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        publicNetworkAccess: "Enabled",
        networkRuleSet: { defaultAction: "Deny", bypass: "None", ipRules: ranges.map((r) => ({ iPAddressOrRange: r, action: "Allow" })) },
        tags: args.tags,
      },
      { parent: this },
    );
    const blobs = new BlobServiceProperties(
      childName(name, "blob"),
      {
        resourceGroupName: args.resourceGroupName,
        accountName: account.name,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: retentionDays },
        containerDeleteRetentionPolicy: { enabled: true, days: retentionDays },
      },
      { parent: account },
    );
    const vault = new KeyVault(
      childName(name, "kv"),
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        vaultName: args.vaultName,
        tenantId: args.tenantId,
        softDeleteRetentionDays: 90,
        allowedIpRanges: ranges,
        keys: args.stacks.map((s) => `pulumi-${s}`),
      },
      { parent: this },
    );
    const containerIds: Record<string, pulumi.Output<string>> = {};
    const keyIds: Record<string, pulumi.Output<string>> = {};
    const backendUrls: Record<string, pulumi.Output<string>> = {};
    const secretsProviders: Record<string, pulumi.Output<string>> = {};
    for (const stack of args.stacks) {
      const container = new BlobContainer(
        childName(name, stack),
        { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: `state-${stack}`, publicAccess: "None" },
        { parent: account, dependsOn: [blobs] },
      );
      containerIds[stack] = container.id;
      keyIds[stack] = vault.keyIds[`pulumi-${stack}`]!;
      backendUrls[stack] = pulumi.interpolate`azblob://${container.name}?storage_account=${account.name}`;
      secretsProviders[stack] = pulumi.interpolate`azurekeyvault://${vault.vaultName}.vault.azure.net/keys/pulumi-${stack}`;
    }
    this.accountName = account.name;
    this.containerIds = containerIds;
    this.keyIds = keyIds;
    this.backendUrls = backendUrls;
    this.secretsProviders = secretsProviders;
    this.registerOutputs({ backendUrls, secretsProviders });
  }
}
