import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { services, type ServiceSpec } from "@tasks/catalog";

import {
  catalogSecretNames,
  contentTag,
  daprAnnotations,
  databaseRolesNetworkPolicy,
  databaseRolesPodLabels,
  databaseRolesProblems,
  imageSourcePaths,
  podTemplate,
} from "../../src/workload/index.js";

/** Today's five services as a fixture: a service added to the catalog does not change these expectations. */
const fixture: readonly ServiceSpec[] = [
  services["tasks-api"],
  services.recurrence,
  services.notifications,
  services.audit,
  services.realtime,
];

type Obj = Record<string, unknown>;

describe("content-derived image tags", () => {
  it("are stable for the same sources, change with any source, and ignore node_modules and tests", () => {
    const root = mkdtempSync(path.join(tmpdir(), "tag-"));
    try {
      mkdirSync(path.join(root, "apps/audit/src"), { recursive: true });
      mkdirSync(path.join(root, "apps/audit/node_modules/x"), { recursive: true });
      writeFileSync(path.join(root, "apps/audit/package.json"), "{}\n");
      writeFileSync(path.join(root, "apps/audit/src/index.ts"), "export {};\n");
      const paths = ["apps/audit", "missing-dir"];
      const first = contentTag(root, paths);
      assert.match(first, /^src-[0-9a-f]{20}$/);
      assert.equal(contentTag(root, paths), first);
      writeFileSync(path.join(root, "apps/audit/node_modules/x/index.js"), "changed");
      mkdirSync(path.join(root, "apps/audit/test"));
      writeFileSync(path.join(root, "apps/audit/test/a.test.ts"), "test");
      assert.equal(contentTag(root, paths), first);
      writeFileSync(path.join(root, "apps/audit/src/index.ts"), "export const x = 1;\n");
      const second = contentTag(root, paths);
      assert.notEqual(second, first);
      // A renamed file is a different build input even with the same bytes.
      rmSync(path.join(root, "apps/audit/src/index.ts"));
      writeFileSync(path.join(root, "apps/audit/src/main.ts"), "export const x = 1;\n");
      assert.notEqual(contentTag(root, paths), second);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("of a service change with the shared apps/Dockerfile, apps/verify-install.ts and .dockerignore, not with another service", () => {
    const root = mkdtempSync(path.join(tmpdir(), "tag-"));
    try {
      for (const svc of ["audit", "realtime"]) {
        mkdirSync(path.join(root, `apps/${svc}/src`), { recursive: true });
        writeFileSync(path.join(root, `apps/${svc}/src/main.ts`), "export {};\n");
      }
      writeFileSync(path.join(root, "apps/Dockerfile"), "FROM node:20.20.2-bookworm-slim\n");
      writeFileSync(path.join(root, ".dockerignore"), "**/test\n");
      const tag = () => contentTag(root, imageSourcePaths("audit"));
      const first = tag();
      writeFileSync(path.join(root, "apps/realtime/src/main.ts"), "export const x = 1;\n");
      assert.equal(tag(), first, "another service's sources");
      writeFileSync(path.join(root, "apps/Dockerfile"), "FROM node:20.20.3-bookworm-slim\n");
      const second = tag();
      assert.notEqual(second, first, "apps/Dockerfile");
      writeFileSync(path.join(root, ".dockerignore"), "**/test\n**/*.md\n");
      const third = tag();
      assert.notEqual(third, second, ".dockerignore");
      writeFileSync(path.join(root, "apps/verify-install.ts"), "// the image's install check\n");
      assert.notEqual(tag(), third, "apps/verify-install.ts");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("service pod template", () => {
  const base = {
    image: "acr.example.com/audit:src-0123456789abcdef0123",
    daprConfig: "tasks-dapr-config-audit",
    workloadIdentity: true,
    strictZoneSpread: true,
  };

  it("meets Pod Security restricted with a writable /tmp only", () => {
    const t = podTemplate(services.audit, base) as Obj;
    const spec = t.spec as Obj;
    assert.deepEqual(spec.securityContext, {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const c = (spec.containers as Obj[])[0]!;
    assert.deepEqual(c.securityContext, {
      runAsNonRoot: true,
      runAsUser: 10001,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(spec.volumes, [
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
      {
        name: "dapr-app-token",
        secret: { secretName: "audit-dapr-app-token", items: [{ key: "token", path: "token" }], defaultMode: 0o440 },
      },
      {
        name: "dapr-api-token",
        secret: { secretName: "audit-dapr-api-token", items: [{ key: "token", path: "token" }], defaultMode: 0o440 },
      },
    ]);
    assert.deepEqual(c.volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "dapr-app-token", mountPath: "/var/run/secrets/tasks/dapr-app-token", readOnly: true },
      { name: "dapr-api-token", mountPath: "/var/run/secrets/tasks/dapr-api-token", readOnly: true },
    ]);
    assert.equal(((t.metadata as Obj).annotations as Obj)["dapr.io/app-token-secret"], "audit-dapr-app-token");
    assert.equal(((t.metadata as Obj).annotations as Obj)["dapr.io/api-token-secret"], "audit-dapr-api-token");
    assert.equal(spec.automountServiceAccountToken, false);
    assert.equal((t.metadata as Obj).labels && ((t.metadata as Obj).labels as Obj)["azure.workload.identity/use"], "true");
  });

  it("refuses environment variables that look like secrets", () => {
    assert.throws(() => podTemplate(services.audit, { ...base, env: { SMTP_PASSWORD: "x", DATABASE_URL: "y" } }), {
      message: "env: SMTP_PASSWORD, DATABASE_URL look like secrets; read secrets through the Dapr secret store instead",
    });
  });

  it("annotates the sidecar with the catalog's app id, port and the app's configuration", () => {
    const a = daprAnnotations(services.recurrence, { daprConfig: "tasks-dapr-config-recurrence" });
    assert.equal(a["dapr.io/app-id"], "recurrence");
    assert.equal(a["dapr.io/app-port"], "3001");
    assert.equal(a["dapr.io/config"], "tasks-dapr-config-recurrence");
    assert.equal(a["dapr.io/log-level"], "info");
    assert.equal(a["dapr.io/metrics-port"], "9090");
  });

  it("gives a service without Dapr building blocks (web) no sidecar: no dapr.io annotations, no token volumes or mounts", () => {
    const t = podTemplate(services.web, { ...base, image: "acr.example.com/web:src-0123456789abcdef0123" }) as Obj;
    const annotations = ((t.metadata as Obj).annotations ?? {}) as Obj;
    assert.deepEqual(
      Object.keys(annotations).filter((k) => k.startsWith("dapr.io/")),
      [],
    );
    const spec = t.spec as Obj;
    assert.deepEqual(spec.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    assert.deepEqual((spec.containers as Obj[])[0]!.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
    // Everything else stays restricted as for any service.
    assert.equal(spec.automountServiceAccountToken, false);
    assert.equal((spec.securityContext as Obj).runAsNonRoot, true);
  });

  it("lists every catalog secret, with a database URL per service that owns data", () => {
    // Fixture services: one with a database, one without.
    const ledger = { ...services.audit, name: "ledger", database: "ledger" } as unknown as ServiceSpec;
    assert.deepEqual(catalogSecretNames([ledger, services.recurrence]), [
      "eventhubs-connection-string",
      "ledger-database-url",
      "smtp-password",
      "smtp-username",
      "vapid-private-key",
      "vapid-public-key",
    ]);
    assert.deepEqual(catalogSecretNames(fixture), [
      "audit-database-url",
      "eventhubs-connection-string",
      "notifications-database-url",
      "realtime-database-url",
      "smtp-password",
      "smtp-username",
      "tasks-api-database-url",
      "vapid-private-key",
      "vapid-public-key",
    ]);
  });
});

describe("database roles", () => {
  it("needs a password for exactly the catalog's services with a database", () => {
    assert.deepEqual(databaseRolesProblems({ "tasks-api": "p", audit: "p", notifications: "p", realtime: "p" }, fixture), []);
    assert.deepEqual(databaseRolesProblems({ "tasks-api": "p", recurrence: "p" }, fixture), [
      "passwords.notifications: missing (the CLI ensures every catalog service with a database)",
      "passwords.audit: missing (the CLI ensures every catalog service with a database)",
      "passwords.realtime: missing (the CLI ensures every catalog service with a database)",
      "passwords.recurrence: not a catalog service with a database",
    ]);
  });

  it("lets the Job's pod reach Postgres only, and refuses a destination without peers", () => {
    assert.deepEqual(databaseRolesNetworkPolicy("tasks", { port: 5432, cidrs: ["10.0.1.0/24"] }).spec, {
      podSelector: { matchLabels: { ...databaseRolesPodLabels } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.1.0/24" } }], ports: [{ protocol: "TCP", port: 5432 }] }],
    });
    assert.throws(() => databaseRolesNetworkPolicy("tasks", { port: 5432 }), /neither CIDRs nor pods/);
  });
});
