import { postgresBackupRetention } from "../../src/azure/postgres-backup-retention.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

export default casesFor(postgresBackupRetention, [
  { n: 1, title: "14 days", resource: postgres(), expect: [] },
  {
    n: 2,
    title: "not stated",
    resource: changed(postgres(), ["backup"]),
    expect: ["the server must set backup.backupRetentionDays (at least 7)."],
  },
  {
    n: 3,
    title: "1 day",
    resource: changed(postgres(), ["backup.backupRetentionDays", 1]),
    expect: ["the server keeps backups 1 days; set backup.backupRetentionDays to at least 7."],
  },
  {
    n: 4,
    title: "a stricter minimum in the policy config",
    config: { "azure-postgres-backup-retention": { minimumDays: 30 } },
    resource: postgres(),
    expect: ["the server keeps backups 14 days; set backup.backupRetentionDays to at least 30."],
  },
  { n: 5, title: "not a server", resource: vault(), notApplicable: true },
]);
