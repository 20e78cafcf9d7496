import { secretNames, servicesWithDatabase } from "@tasks/catalog";

/** Every secret name the catalog defines, with one database URL per service that owns data. */
export function catalogSecretNames(): string[] {
  const fixed = Object.values(secretNames).flatMap((v) => (typeof v === "string" ? [v] : []));
  return [...fixed, ...servicesWithDatabase().map((s) => secretNames.databaseUrl(s.name))].sort();
}
