import { daprComponents, secretNames } from "@tasks/catalog";
import { objectMeta, secretAuth, secretRef, value, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprComponent } from "./types.js";

/**
 * The state.postgresql component in the database of the app that uses state (keys are prefixed with the
 * app id). Returns undefined when no service uses state.
 */
export function stateStoreComponent(settings: ResolvedDaprSettings): DaprComponent | undefined {
  const users = settings.services.filter((s) => s.dapr.includes("state"));
  if (users.length === 0) return undefined;
  const [owner, ...others] = users;
  if (others.length > 0) {
    throw new Error(
      `state store: ${users.map((s) => s.name).join(", ")} all use the state building block, but the state store lives in one service's database; give the state store a database of its own first`,
    );
  }
  if (!owner!.database) throw new Error(`state store: service "${owner!.name}" uses state but owns no database in the catalog`);
  return {
    apiVersion: daprApiVersion,
    kind: "Component",
    metadata: objectMeta(settings, daprComponents.stateStore),
    spec: {
      type: "state.postgresql",
      version: "v1",
      metadata: [
        secretRef("connectionString", secretNames.databaseUrl(owner!.name)),
        value("tableName", "dapr_state"),
        value("metadataTableName", "dapr_metadata"),
        value("timeout", "20s"),
        // Expired rows (the realtime replay buffer uses TTLs) are removed every hour.
        value("cleanupInterval", "1h"),
      ],
    },
    ...secretAuth(settings, daprComponents.secretStore),
    scopes: [owner!.name],
  };
}
