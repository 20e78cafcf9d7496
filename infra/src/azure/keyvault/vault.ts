import * as pulumi from "@pulumi/pulumi";
import { Key } from "@pulumi/azure-native/keyvault/key.js";
import { Secret } from "@pulumi/azure-native/keyvault/secret.js";
import { Vault } from "@pulumi/azure-native/keyvault/vault.js";
import { childName } from "../../naming.js";
import { createPrivateEndpoint } from "../network/private-endpoint.js";
import type { AzureScope, PrivateEndpointTarget } from "../scope.js";

export interface KeyVaultArgs extends AzureScope {
  /** Physical name, 3-24 characters (see naming.azureName("keyVault", …)). */
  readonly vaultName: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  /** @default "standard" */
  readonly sku?: "standard" | "premium";
  /** Days a deleted vault or secret can be recovered (7..90); fixed once the vault exists. @default 90 */
  readonly softDeleteRetentionDays?: number;
  /** CIDRs allowed through the firewall; empty means no public access at all. @default [] */
  readonly allowedIpRanges?: readonly string[];
  readonly privateEndpoint?: PrivateEndpointTarget;
  /** Secrets to store, by Key Vault secret name (from the catalog's secretNames); values are kept secret. @default {} */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * RSA keys to create, by name (e.g. one Pulumi secrets provider key per stack: encrypt and decrypt only).
   * Written through ARM like the secrets. @default []
   */
  readonly keys?: readonly string[];
}

const secretNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

/**
 * Key Vault with RBAC authorization (no access policies), soft delete and purge protection, public
 * network access denied except the configured ranges, an optional private endpoint, and the secrets.
 */
export class KeyVault extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  readonly vaultUri: pulumi.Output<string>;
  readonly secretNames: readonly string[];
  /** ARM id of each key (the scope of a role on that key alone), by name. */
  readonly keyIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Data-plane URI of each key, `https://<vault>.vault.azure.net/keys/<name>`, by name. */
  readonly keyUris: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:KeyVault", name, {}, opts);
    const a = { sku: "standard" as const, softDeleteRetentionDays: 90, allowedIpRanges: [] as readonly string[], secrets: {}, ...args };
    const problems = keyVaultProblems(a.softDeleteRetentionDays, [...Object.keys(a.secrets), ...(a.keys ?? [])]);
    if (problems.length) throw new pulumi.ResourceError(`KeyVault "${name}": ${problems.join("; ")}`, this);

    const open = a.allowedIpRanges.length > 0;
    const vault = new Vault(
      name,
      {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        vaultName: a.vaultName,
        properties: {
          tenantId: a.tenantId,
          sku: { family: "A", name: a.sku },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: a.softDeleteRetentionDays,
          enablePurgeProtection: true,
          publicNetworkAccess: open ? "Enabled" : "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: a.allowedIpRanges.map((value) => ({ value })) },
        },
        tags: a.tags,
      },
      { parent: this },
    );

    // Secrets are written through ARM (management plane), which the vault firewall does not block. A secret the
    // program stops declaring is left in the vault (retainOnDelete): deleting it would soft-delete it, and with
    // purge protection its name could not be created again for softDeleteRetentionDays (409 "deleted but
    // recoverable"); left in place, declaring it again is an ordinary update. Removing one for good is an
    // operator's `az keyvault secret delete` (docs/OPERATIONS.md "Rotate a Key Vault secret").
    for (const [secretName, value] of Object.entries(a.secrets)) {
      new Secret(
        childName(name, secretName),
        {
          resourceGroupName: a.resourceGroupName,
          vaultName: vault.name,
          secretName,
          properties: { value: pulumi.secret(value), contentType: "text/plain" },
          tags: a.tags,
        },
        { parent: vault, retainOnDelete: true },
      );
    }
    const keyIds: Record<string, pulumi.Output<string>> = {};
    const keyUris: Record<string, pulumi.Output<string>> = {};
    for (const keyName of a.keys ?? []) {
      const key = new Key(
        childName(name, `key-${keyName}`),
        {
          resourceGroupName: a.resourceGroupName,
          vaultName: vault.name,
          keyName,
          properties: { kty: "RSA", keySize: 3072, keyOps: ["encrypt", "decrypt"] },
          tags: a.tags,
        },
        { parent: vault },
      );
      keyIds[keyName] = key.id;
      keyUris[keyName] = key.keyUri;
    }
    this.keyIds = keyIds;
    this.keyUris = keyUris;
    if (a.privateEndpoint) {
      createPrivateEndpoint(
        name,
        {
          ...a.privateEndpoint,
          targetId: vault.id,
          groupId: "vault",
          resourceGroupName: a.resourceGroupName,
          location: a.location,
          tags: a.tags,
        },
        vault,
      );
    }
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultUri = vault.properties.apply((p) => p.vaultUri ?? "");
    this.secretNames = Object.keys(a.secrets);
    this.registerOutputs({ vaultUri: this.vaultUri });
  }
}

/** Problems with the args, each naming the option; empty when valid. */
function keyVaultProblems(softDeleteRetentionDays: number, secretNames: readonly string[]): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(softDeleteRetentionDays) || softDeleteRetentionDays < 7 || softDeleteRetentionDays > 90) {
    problems.push(`softDeleteRetentionDays must be an integer 7..90, got ${softDeleteRetentionDays}`);
  }
  const badNames = secretNames.filter((n) => !secretNamePattern.test(n));
  if (badNames.length) problems.push(`secret and key names must be 1-127 letters, digits and hyphens: ${badNames.join(", ")}`);
  return problems;
}
