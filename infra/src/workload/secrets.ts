import { allServices, secretNames, type ServiceSpec } from "@tasks/catalog";

/** Every secret name the catalog defines, with one database URL per service that owns data. */
export function catalogSecretNames(services: readonly ServiceSpec[] = allServices): string[] {
  const fixed = Object.values(secretNames).flatMap((v) => (typeof v === "string" ? [v] : []));
  return [...fixed, ...services.filter((s) => s.database).map((s) => secretNames.databaseUrl(s.name))].sort();
}
