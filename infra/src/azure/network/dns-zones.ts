/** Private DNS zones that resolve the private endpoints (learn.microsoft.com private-endpoint-dns). */
export const privateLinkZones = {
  keyVault: "privatelink.vaultcore.azure.net",
  eventHubs: "privatelink.servicebus.windows.net",
  containerRegistry: "privatelink.azurecr.io",
} as const;

export type PrivateLinkZone = keyof typeof privateLinkZones;

/** Postgres Flexible Server with VNet integration needs a zone ending in `.postgres.database.azure.com`. */
export const postgresZoneName = (prefix: string): string => `${prefix}.private.postgres.database.azure.com`;
