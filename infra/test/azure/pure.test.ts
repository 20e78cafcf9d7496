import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentPoolProfile, allZones, nodePoolProblems, systemPoolTaint } from "../../src/azure/aks/pools.js";
import { maintenanceWindowProblems } from "../../src/azure/aks/maintenance.js";
import { githubSubjects } from "../../src/azure/entra/github-deployer.js";
import { serviceAccountSubject } from "../../src/azure/identity/workload-identity.js";
import { postgresUrl } from "../../src/azure/postgres/connection.js";
import { builtInRoles, onlyAssignRoles } from "../../src/azure/roles.js";
import * as pulumi from "@pulumi/pulumi";

const placement = { vnetSubnetId: "subnet-id", kubernetesVersion: "1.34", tags: { environment: "dev" } };

describe("AKS node pools", () => {
  it("puts every pool on zones 1-3 with the autoscaler; taints only the system pool", () => {
    const sys = agentPoolProfile({ name: "system", mode: "System", vmSize: "Standard_D4ds_v5", minCount: 3, maxCount: 5 }, placement);
    const user = agentPoolProfile({ name: "user", mode: "User", vmSize: "Standard_D8ds_v5", minCount: 3, maxCount: 12 }, placement);
    for (const p of [sys, user]) {
      assert.deepEqual(p.availabilityZones, ["1", "2", "3"]);
      assert.equal(p.enableAutoScaling, true);
      assert.equal(p.vnetSubnetID, "subnet-id");
    }
    assert.deepEqual(sys.nodeTaints, [systemPoolTaint]);
    assert.equal(systemPoolTaint, "CriticalAddonsOnly=true:NoSchedule");
    assert.deepEqual(user.nodeTaints, []);
    assert.deepEqual([sys.minCount, sys.maxCount, sys.count], [3, 5, 3]);
    assert.deepEqual(allZones, ["1", "2", "3"]);
  });

  it("reports bad pool specs and maintenance windows, naming the option", () => {
    assert.deepEqual(nodePoolProblems({ name: "System", mode: "System", vmSize: "x", minCount: 0, maxCount: 0, zones: ["4"] }), [
      'node pool "System": name must be 1-12 lower-case letters and digits, starting with a letter',
      'node pool "System": minCount must be an integer >= 1',
      'node pool "System": maxCount must be an integer >= minCount and >= 1',
      'node pool "System": zones must be a non-empty subset of 1, 2, 3',
    ]);
    assert.deepEqual(maintenanceWindowProblems({ dayOfWeek: "Sunday", startTime: "25:00", durationHours: 2 }), [
      'maintenanceWindow.startTime must be HH:MM, got "25:00"',
      "maintenanceWindow.durationHours must be an integer 4..24, got 2",
    ]);
  });
});

describe("identities and roles", () => {
  it("binds workload identities to the service accounts of the tasks namespace", () => {
    assert.equal(serviceAccountSubject("tasks-api"), "system:serviceaccount:tasks:tasks-api");
  });

  it("federates GitHub Actions for exactly the trusted branches, pull requests and environments", () => {
    assert.deepEqual(
      githubSubjects("example-org/tasks-platform", { branches: ["main"], pullRequests: true, environments: ["production"] }),
      {
        "branch-main": "repo:example-org/tasks-platform:ref:refs/heads/main",
        "pull-requests": "repo:example-org/tasks-platform:pull_request",
        "env-production": "repo:example-org/tasks-platform:environment:production",
      },
    );
    // A production deployer trusts its environment only: no branch, no pull request (issue 24, item 17).
    assert.deepEqual(githubSubjects("example-org/tasks-platform", { environments: ["production"] }), {
      "env-production": "repo:example-org/tasks-platform:environment:production",
    });
    assert.throws(() => githubSubjects("tasks-platform", { branches: ["main"] }), {
      message: 'repository must be owner/name, got "tasks-platform"',
    });
    assert.throws(() => githubSubjects("o/r", {}), {
      message: "trust: names no branch, pull requests or environment: nothing could sign in",
    });
  });

  it("constrains role-assignment rights to the listed roles, for writes and deletes", () => {
    const c = onlyAssignRoles(["acrPull", "keyVaultSecretsUser"]);
    const guids = `{${builtInRoles.acrPull}, ${builtInRoles.keyVaultSecretsUser}}`;
    assert.equal(
      c,
      "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
        `(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${guids})) AND ` +
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR " +
        `(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${guids}))`,
    );
  });
});

describe("Postgres connection URL", () => {
  it("escapes the credentials, requires TLS and is a secret", async () => {
    const url = postgresUrl({ host: "pg.example", user: "admin", password: "p@ss/word" }, "tasks");
    const [value, secret] = await Promise.all([
      new Promise((resolve) => url.apply(resolve)),
      (url as unknown as { isSecret: Promise<boolean> }).isSecret,
    ]);
    assert.equal(value, "postgres://admin:p%40ss%2Fword@pg.example:5432/tasks?sslmode=require");
    assert.equal(secret, true);
    assert.ok(pulumi.Output.isInstance(url));
  });
});
