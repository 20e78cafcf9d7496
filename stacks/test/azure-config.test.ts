import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { loadAzureConfig } from "../src/config/azure.js";
import { StackConfigError } from "../src/config/common.js";
import { ingressRateLimits } from "../src/config/ingress-rate-limit.js";
import { chaosSettings } from "../src/config/chaos.js";
import { defaultIngressRateLimits } from "@tasks/infra/k8s/rate-limit";
import { offlineEnvVar } from "../src/config/examples.js";
import { loadStackConfig } from "../src/offline/stack-config.js";

/**
 * Config validation at program start: one message naming every bad key and the form it expects. The stack
 * files hold documentation stand-ins, which only the offline tools accept: these tests run as they do.
 */
process.env[offlineEnvVar] = "1";

type Edit = (config: Record<string, string>) => void;

function withConfig(stack: "dev" | "prod", edit: Edit, secretKeys?: string[]): () => unknown {
  return () => {
    const loaded = loadStackConfig(stack);
    const config = { ...loaded.config };
    edit(config);
    pulumi.runtime.setAllConfig(config, secretKeys ?? loaded.secretKeys);
    return loadAzureConfig(stack);
  };
}

const setIn = (config: Record<string, string>, key: string, path: string[], value: unknown): void => {
  const obj = JSON.parse(config[`tasks-platform:${key}`]!) as Record<string, unknown>;
  let at = obj;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string, unknown>;
  if (value === undefined) delete at[path[path.length - 1]!];
  else at[path[path.length - 1]!] = value;
  config[`tasks-platform:${key}`] = JSON.stringify(obj);
};

describe("Azure stack config validation", () => {
  it("accepts Pulumi.dev.yaml and Pulumi.prod.yaml, and keeps the SMTP password secret", async () => {
    for (const stack of ["dev", "prod"] as const) {
      const cfg = withConfig(stack, () => {})() as ReturnType<typeof loadAzureConfig>;
      assert.equal(cfg.environment, stack);
      assert.equal(cfg.location, "westeurope");
      assert.equal(await (cfg.smtpPassword as unknown as { isSecret: Promise<boolean> }).isSecret, true);
    }
  });

  it("ingressRateLimit: optional, defaults key by key, each bad key named, an address ceiling below one token's refused", () => {
    const dev = withConfig("dev", () => {})() as ReturnType<typeof loadAzureConfig>;
    assert.equal(dev.ingressRateLimit, undefined);
    assert.deepEqual(ingressRateLimits(dev.ingressRateLimit), defaultIngressRateLimits);
    const partial = withConfig("dev", (c) => {
      c["tasks-platform:ingressRateLimit"] = JSON.stringify({ perToken: { burst: 10 } });
    })() as ReturnType<typeof loadAzureConfig>;
    assert.deepEqual(ingressRateLimits(partial.ingressRateLimit), {
      perToken: { requestsPerMinute: 600, burst: 10 },
      perAddress: defaultIngressRateLimits.perAddress,
    });
    assert.throws(
      withConfig("dev", (c) => {
        c["tasks-platform:ingressRateLimit"] = JSON.stringify({ perToken: { requestsPerMinute: 0, brust: 5 }, perAddress: { burst: 1.5 } });
      }),
      {
        name: "StackConfigError",
        message:
          "Invalid stack config: tasks-platform:ingressRateLimit.perToken.requestsPerMinute: expected an integer 1..1000000; " +
          "tasks-platform:ingressRateLimit.perToken.brust: unknown key; " +
          "tasks-platform:ingressRateLimit.perAddress.burst: expected an integer 1..100000",
      },
    );
    assert.throws(
      withConfig("prod", (c) => setIn(c, "ingressRateLimit", ["perAddress", "requestsPerMinute"], 100)),
      {
        name: "StackConfigError",
        message:
          "Invalid stack config: tasks-platform:ingressRateLimit.perAddress.requestsPerMinute: expected at least perToken.requestsPerMinute (600): one address must fit one user's requests",
      },
    );
  });

  it("chaos: opt-in game days on dev, refused on prod naming the key; bad window named", () => {
    const dev = withConfig("dev", () => {})() as ReturnType<typeof loadAzureConfig>;
    assert.equal(dev.chaos?.enabled, true);
    assert.deepEqual(chaosSettings(dev.chaos, "westeurope"), {
      zone: "westeurope-1",
      window: { dayOfWeek: "Wednesday", hourUtc: 10 },
      paused: true,
    });
    assert.equal(chaosSettings({ enabled: false }, "westeurope"), undefined);
    assert.deepEqual(chaosSettings({ enabled: true, zone: 3 }, "northeurope"), {
      zone: "northeurope-3",
      window: { dayOfWeek: "Wednesday", hourUtc: 10 },
      paused: true,
    });
    assert.throws(
      withConfig("prod", (c) => {
        c["tasks-platform:chaos"] = JSON.stringify({ enabled: true });
      }),
      {
        name: "StackConfigError",
        message:
          "Invalid stack config: tasks-platform:chaos.enabled: expected false or unset on prod (game days run on dev: docs/OPERATIONS.md, Game day)",
      },
    );
    assert.doesNotThrow(
      withConfig("prod", (c) => {
        c["tasks-platform:chaos"] = JSON.stringify({ enabled: false });
      }),
    );
    assert.throws(
      withConfig("dev", (c) => setIn(c, "chaos", ["window"], { dayOfWeek: "Wed", hourUtc: 24 })),
      {
        name: "StackConfigError",
        message:
          "Invalid stack config: tasks-platform:chaos.window.dayOfWeek: expected one of: Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday; " +
          "tasks-platform:chaos.window.hourUtc: expected an integer 0..23",
      },
    );
  });

  it("names a wrong nested key and its expected form", () => {
    assert.throws(
      withConfig("dev", (c) => setIn(c, "aks", ["systemNodeCount"], 0)),
      {
        name: "StackConfigError",
        message: "Invalid stack config: tasks-platform:aks.systemNodeCount: expected an integer 1..10",
      },
    );
  });

  it("names every bad key in one message: missing, wrong type, bad list item, unknown, cross-field", () => {
    const fn = withConfig("dev", (c) => {
      delete c["tasks-platform:owner"];
      c["tasks-platform:allowedIpRanges"] = JSON.stringify(["203.0.113.0/24", "not-a-cidr"]);
      setIn(c, "aks", ["tier"], undefined);
      setIn(c, "aks", ["userNodeMaxCount"], 0);
      setIn(c, "bootstrap", ["registry", "sku"], "Gold");
      setIn(c, "network", ["adressSpace"], "10.0.0.0/16");
      c["tasks-platform:replicas"] = "3";
      delete c["azure-native:location"];
    });
    assert.throws(fn, {
      message:
        "Invalid stack config: " +
        [
          "tasks-platform:owner: missing, expected a non-empty team name",
          "tasks-platform:bootstrap.registry.sku: expected one of: Basic, Standard, Premium",
          "tasks-platform:allowedIpRanges[1]: expected an IPv4 CIDR such as 203.0.113.0/24",
          "tasks-platform:network.adressSpace: unknown key",
          "tasks-platform:aks.tier: missing, expected one of: Standard, Premium",
          "tasks-platform:aks.userNodeMaxCount: expected an integer 1..100",
          "tasks-platform:replicas: unknown key",
          "azure-native:location: missing, expected an Azure region such as westeurope",
        ].join("; "),
    });
  });

  it("identity: names every bad key (algorithm none/HS256, origin with a path, keys that provider entra derives)", () => {
    const fn = withConfig("dev", (c) => {
      setIn(c, "identity", ["algorithms"], ["RS256", "none", "HS256"]);
      setIn(c, "identity", ["allowedOrigins"], ["https://tasks.dev.example.com/app"]);
      setIn(c, "identity", ["issuer"], "https://login.example.com/");
      setIn(c, "identity", ["userIdClaim"], undefined);
      setIn(c, "identity", ["clockSkewSeconds"], 900);
    });
    const algs = "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA";
    assert.throws(fn, {
      message:
        "Invalid stack config: " +
        [
          "tasks-platform:identity.userIdClaim: missing, expected a claim name such as oid",
          `tasks-platform:identity.allowedOrigins[0]: expected an origin such as https://tasks.example.com (scheme, host, optional port; no path)`,
          `tasks-platform:identity.algorithms[1]: expected one of: ${algs} (never none or HS256)`,
          `tasks-platform:identity.algorithms[2]: expected one of: ${algs} (never none or HS256)`,
          "tasks-platform:identity.clockSkewSeconds: expected an integer 0..300",
        ].join("; "),
    });
    assert.throws(
      withConfig("dev", (c) => setIn(c, "identity", ["issuer"], "https://login.example.com/")),
      { message: "Invalid stack config: tasks-platform:identity.issuer: expected unset with provider entra (the program derives it)" },
    );
  });

  it("identity: the MCP registration's keys (entra only): domainVerified a boolean, mcpRedirectUris URIs", () => {
    assert.throws(
      withConfig("dev", (c) => {
        setIn(c, "identity", ["domainVerified"], "yes");
        setIn(c, "identity", ["mcpRedirectUris"], ["http://127.0.0.1/cb", "no scheme"]);
      }),
      {
        message:
          "Invalid stack config: " +
          [
            "tasks-platform:identity.domainVerified: expected true or false",
            "tasks-platform:identity.mcpRedirectUris[1]: expected a redirect URI such as http://127.0.0.1/auth/callback",
          ].join("; "),
      },
    );
    const cfg = withConfig("dev", (c) => setIn(c, "identity", ["mcpRedirectUris"], ["vscode://mcp/callback"]))() as ReturnType<
      typeof loadAzureConfig
    >;
    assert.deepEqual(cfg.identity.mcpRedirectUris, ["vscode://mcp/callback"]);
  });

  it("identity: bring your own provider by config alone (provider oidc needs issuer, audience and jwksUrl)", () => {
    assert.throws(
      withConfig("dev", (c) => setIn(c, "identity", ["provider"], "oidc")),
      {
        message:
          "Invalid stack config: " +
          [
            "tasks-platform:identity.issuer: missing, expected with provider oidc",
            "tasks-platform:identity.audience: missing, expected with provider oidc",
            "tasks-platform:identity.jwksUrl: missing, expected with provider oidc",
            "tasks-platform:identity.assignmentRequired: expected unset unless provider is entra",
            "tasks-platform:identity.domainVerified: expected unset unless provider is entra",
          ].join("; "),
      },
    );
    assert.throws(
      withConfig("dev", (c) => setIn(c, "identity", ["provider"], "local")),
      {
        message: "Invalid stack config: tasks-platform:identity.provider: expected one of: entra, oidc",
      },
    );
    const cfg = withConfig("dev", (c) => {
      setIn(c, "identity", ["provider"], "oidc");
      setIn(c, "identity", ["assignmentRequired"], undefined);
      setIn(c, "identity", ["domainVerified"], undefined);
      setIn(c, "identity", ["userIdClaim"], "sub");
      setIn(c, "identity", ["issuer"], "https://idp.example.com/realms/tasks");
      setIn(c, "identity", ["audience"], "tasks-api");
      setIn(c, "identity", ["jwksUrl"], "https://idp.example.com/realms/tasks/protocol/openid-connect/certs");
    })() as ReturnType<typeof loadAzureConfig>;
    assert.deepEqual(
      [cfg.identity.provider, cfg.identity.issuer, cfg.identity.audience],
      ["oidc", "https://idp.example.com/realms/tasks", "tasks-api"],
    );
  });

  it("checks bounds between keys: node counts, Premium capacities, Postgres HA on Burstable", () => {
    assert.throws(
      withConfig("prod", (c) => setIn(c, "aks", ["systemNodeMaxCount"], 2)),
      {
        message: "Invalid stack config: tasks-platform:aks.systemNodeMaxCount: expected an integer >= aks.systemNodeCount (3)",
      },
    );
    assert.throws(
      withConfig("prod", (c) => setIn(c, "eventHubs", ["capacity"], 3)),
      {
        message: "Invalid stack config: tasks-platform:eventHubs.capacity: expected 1, 2, 4, 8 or 16 processing units for Premium",
      },
    );
    assert.throws(
      withConfig("dev", (c) => setIn(c, "postgres", ["highAvailability"], "ZoneRedundant")),
      {
        message:
          "Invalid stack config: tasks-platform:postgres.highAvailability: expected Disabled with postgres.skuTier Burstable (HA needs GeneralPurpose or MemoryOptimized)",
      },
    );
    assert.throws(
      withConfig("dev", (c) => setIn(c, "network", ["addressSpace"], "10.40.0.0/24")),
      {
        message:
          "Invalid stack config: tasks-platform:network.addressSpace: expected an IPv4 CIDR with a prefix of /19 or shorter, such as 10.40.0.0/16",
      },
    );
  });

  it("checks what involves two keys: the API server's ranges against a private cluster, the host against the DNS zone", () => {
    assert.throws(
      withConfig("dev", (c) => {
        c["tasks-platform:allowedIpRanges"] = "[]";
        c["tasks-platform:domain"] = "tasks.dev.example.org";
      }),
      {
        message:
          "Invalid stack config: tasks-platform:allowedIpRanges: expected at least one CIDR (the deployers' egress) unless aks.privateCluster is true; " +
          "tasks-platform:domain: expected a name in the DNS zone bootstrap.dnsZone.name (example.com), got tasks.dev.example.org",
      },
    );
    // A private cluster is reached from inside the VNet (self-hosted runners): no public ranges needed.
    const cfg = withConfig("dev", (c) => {
      c["tasks-platform:allowedIpRanges"] = "[]";
      setIn(c, "aks", ["privateCluster"], true);
    })() as ReturnType<typeof loadAzureConfig>;
    assert.equal(cfg.aks.privateCluster, true);
  });

  it("stops a real run on documentation values, naming each; the offline tools run with them (issue 24, item 3)", () => {
    delete process.env[offlineEnvVar];
    try {
      assert.throws(
        withConfig("dev", () => {}),
        (e: unknown) => {
          const problems = (e as StackConfigError).problems;
          assert.deepEqual(
            problems.map((p) => p.split(" is a documentation value")[0]),
            [
              "tasks-platform:domain: tasks.dev.example.com (RFC 2606 example domain example.com)",
              "tasks-platform:acmeEmail: platform@example.com (RFC 2606 example domain example.com)",
              "tasks-platform:bootstrap.aksAdminsGroup.objectId: 00000000-0000-0000-0000-000000000000 (the all-zero GUID, a placeholder)",
              "tasks-platform:bootstrap.dnsZone.name: example.com (RFC 2606 example domain example.com)",
              "tasks-platform:allowedIpRanges[0]: 203.0.113.0/24 (RFC 5737 TEST-NET-3 documentation range 203.0.113.0/24)",
              "tasks-platform:identity.allowedOrigins[0]: https://tasks.dev.example.com (RFC 2606 example domain example.com)",
              "tasks-platform:smtp.host: smtp.example.com (RFC 2606 example domain example.com)",
              "tasks-platform:smtp.from: tasks-dev@example.com (RFC 2606 example domain example.com)",
              "tasks-platform:smtp.egressCidrs[0]: 198.51.100.0/24 (RFC 5737 TEST-NET-2 documentation range 198.51.100.0/24)",
              "tasks-platform:alerting.email[0]: platform-oncall@example.com (RFC 2606 example domain example.com)",
            ],
          );
          assert.match(problems[0]!, /set the real one \(the offline plan runs with it and says so; a real run cannot\)$/);
          return true;
        },
      );
      // Real values pass.
      const real = withConfig("dev", (c) => {
        c["tasks-platform:domain"] = "tasks.dev.contoso.io";
        c["tasks-platform:acmeEmail"] = "platform@contoso.io";
        setIn(c, "bootstrap", ["aksAdminsGroup", "objectId"], "5c1d5e2a-0b8e-4c65-9a59-8f3a8d2b1e47");
        setIn(c, "bootstrap", ["dnsZone", "name"], "contoso.io");
        c["tasks-platform:allowedIpRanges"] = JSON.stringify(["20.61.12.0/28"]);
        setIn(c, "smtp", ["host"], "smtp.contoso.io");
        setIn(c, "smtp", ["from"], "tasks-dev@contoso.io");
        setIn(c, "smtp", ["egressCidrs"], ["20.61.13.0/28"]);
        setIn(c, "alerting", ["email"], ["platform-oncall@contoso.io"]);
        setIn(c, "identity", ["allowedOrigins"], ["https://tasks.dev.contoso.io"]);
      })() as ReturnType<typeof loadAzureConfig>;
      assert.equal(real.domain, "tasks.dev.contoso.io");
    } finally {
      process.env[offlineEnvVar] = "1";
    }
  });

  it("takes image digests by catalog service and names a bad digest or an unknown service", () => {
    const digest = `sha256:${"c".repeat(64)}`;
    const cfg = withConfig("dev", (c) => {
      c["tasks-platform:imageDigests"] = JSON.stringify({ "tasks-api": digest, audit: digest });
    })() as ReturnType<typeof loadAzureConfig>;
    assert.deepEqual(cfg.imageDigests, { "tasks-api": digest, audit: digest });
    assert.throws(
      withConfig("dev", (c) => {
        c["tasks-platform:imageDigests"] = JSON.stringify({ audit: "sha256:abc", billing: digest });
      }),
      (e: unknown) => {
        const problems = (e as StackConfigError).problems.join("\n");
        assert.match(
          problems,
          /tasks-platform:imageDigests\.audit: expected an image digest sha256:<64 hex digits>, optionally after its content tag/,
        );
        assert.match(problems, /tasks-platform:imageDigests.*billing/);
        return true;
      },
    );
  });

  it("reads Prometheus' retention and volume and the Dapr tracing rate, so dev and prod differ only by config", () => {
    const dev = withConfig("dev", () => {})() as ReturnType<typeof loadAzureConfig>;
    const prod = withConfig("prod", () => {})() as ReturnType<typeof loadAzureConfig>;
    assert.deepEqual([dev.monitoring, dev.dapr], [{ retention: "7d", storageSize: "20Gi" }, { tracingSamplingRate: "1" }]);
    assert.deepEqual([prod.monitoring, prod.dapr], [{ retention: "30d", storageSize: "100Gi" }, { tracingSamplingRate: "0.1" }]);
    // An unquoted YAML number is a rate too.
    const unquoted = withConfig("dev", (c) => setIn(c, "dapr", ["tracingSamplingRate"], 0.25))() as ReturnType<typeof loadAzureConfig>;
    assert.equal(unquoted.dapr.tracingSamplingRate, "0.25");
    assert.throws(
      withConfig("prod", (c) => {
        setIn(c, "dapr", ["tracingSamplingRate"], "1.5");
        setIn(c, "monitoring", ["retention"], "30 days");
        setIn(c, "monitoring", ["storageSize"], "100GB");
      }),
      {
        message:
          "Invalid stack config: " +
          [
            'tasks-platform:dapr.tracingSamplingRate: expected a number from 0 to 1 such as "0.1"',
            "tasks-platform:monitoring.retention: expected a duration such as 30d",
            "tasks-platform:monitoring.storageSize: expected a size such as 100Gi",
          ].join("; "),
      },
    );
    assert.throws(
      withConfig("dev", (c) => {
        delete c["tasks-platform:monitoring"];
        delete c["tasks-platform:dapr"];
      }),
      {
        message:
          "Invalid stack config: tasks-platform:dapr: missing, expected an object; tasks-platform:monitoring: missing, expected an object",
      },
    );
  });

  it("stops a real run whose stack file lacks the SMTP password, naming the command that sets it", () => {
    assert.throws(
      withConfig("prod", (c) => delete c["tasks-platform:smtpPassword"]),
      {
        message:
          "Invalid stack config: tasks-platform:smtpPassword: missing, set it with pulumi config set --secret tasks-platform:smtpPassword <value>",
      },
    );
  });

  it("refuses an SMTP password committed in plain text", () => {
    assert.throws(
      withConfig("dev", () => {}, ["tasks-platform:alertChatWebhookUrl", "tasks-platform:alertHeartbeatToken"]),
      {
        message:
          "Invalid stack config: tasks-platform:smtpPassword: expected a secret value (pulumi config set --secret tasks-platform:smtpPassword <value>)",
      },
    );
  });

  it("refuses the alert webhook URL and heartbeat token committed in plain text, naming both", () => {
    assert.throws(
      withConfig("dev", () => {}, ["tasks-platform:smtpPassword"]),
      {
        message:
          "Invalid stack config: tasks-platform:alertChatWebhookUrl: expected a secret value (pulumi config set --secret tasks-platform:alertChatWebhookUrl <value>); " +
          "tasks-platform:alertHeartbeatToken: expected a secret value (pulumi config set --secret tasks-platform:alertHeartbeatToken <value>)",
      },
    );
  });

  it("is a RunError, so Pulumi prints the message without a stack trace", () => {
    try {
      withConfig("dev", (c) => delete c["tasks-platform:domain"])();
      assert.fail("expected a StackConfigError");
    } catch (e) {
      assert.ok(e instanceof StackConfigError);
      assert.ok(pulumi.RunError.isInstance(e));
      assert.deepEqual(e.problems, ["tasks-platform:domain: missing, expected a lower-case DNS name such as tasks.example.com"]);
    }
  });
});
