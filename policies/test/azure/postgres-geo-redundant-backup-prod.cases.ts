import { postgresGeoRedundantBackupProd } from "../../src/azure/postgres-geo-redundant-backup-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

export default casesFor(postgresGeoRedundantBackupProd, [
  { n: 1, title: "prod: geo-redundant", stack: "prod", resource: postgres("prod"), expect: [] },
  {
    n: 2,
    title: "prod: local backups",
    stack: "prod",
    resource: changed(postgres("prod"), ["backup.geoRedundantBackup", "Disabled"]),
    expect: ['prod backups are not geo-redundant (backup.geoRedundantBackup: "Enabled").'],
  },
  { n: 3, title: "dev is exempt", stack: "dev", resource: postgres("dev"), notApplicable: true },
  { n: 4, title: "not a server", stack: "prod", resource: vault(), notApplicable: true },
]);
