import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { loadBootstrapConfig } from "../src/config/bootstrap.js";
import { offlineEnvVar } from "../src/config/examples.js";
import { loadStackConfig } from "../src/offline/stack-config.js";

function withConfig(edit: (c: Record<string, string>) => void, offline = true): () => unknown {
  return () => {
    const loaded = loadStackConfig("bootstrap");
    const config = { ...loaded.config };
    edit(config);
    pulumi.runtime.setAllConfig(config, loaded.secretKeys);
    if (offline) process.env[offlineEnvVar] = "1";
    else delete process.env[offlineEnvVar];
    try {
      return loadBootstrapConfig();
    } finally {
      process.env[offlineEnvVar] = "1";
    }
  };
}

const editEnv = (c: Record<string, string>, stack: "dev" | "prod", edit: (env: Record<string, unknown>) => void): void => {
  const envs = JSON.parse(c["tasks-platform:environments"]!) as Record<string, Record<string, unknown>>;
  edit(envs[stack]!);
  c["tasks-platform:environments"] = JSON.stringify(envs);
};

describe("bootstrap stack config validation", () => {
  it("accepts Pulumi.bootstrap.yaml offline", () => {
    const cfg = withConfig(() => {})() as ReturnType<typeof loadBootstrapConfig>;
    assert.equal(cfg.environments.prod.githubEnvironment, "production");
    assert.equal(cfg.environments.prod.previewFromPullRequests, false);
  });

  it("names every bad key: an empty admins group, a zone-redundant Standard registry, an unknown environment", () => {
    assert.throws(
      withConfig((c) => {
        editEnv(c, "dev", (e) => {
          e.adminGroupMembers = [];
          e.acr = { sku: "Standard", zoneRedundant: true };
        });
        const envs = JSON.parse(c["tasks-platform:environments"]!) as Record<string, unknown>;
        c["tasks-platform:environments"] = JSON.stringify({ ...envs, staging: envs.dev });
      }),
      {
        message:
          "Invalid stack config: " +
          [
            "tasks-platform:environments.dev.acr.zoneRedundant: expected false unless sku is Premium (got Standard)",
            "tasks-platform:environments.dev.adminGroupMembers: expected at least one Entra object id",
            "tasks-platform:environments.staging: unknown key",
          ].join("; "),
      },
    );
  });

  it("stops a real run on the committed stand-ins, naming each", () => {
    assert.throws(
      withConfig(() => {}, false),
      (e: unknown) => {
        const msg = (e as Error).message;
        assert.match(msg, /tasks-platform:dnsZone: example\.com \(RFC 2606 example domain example\.com\) is a documentation value/);
        assert.match(msg, /tasks-platform:allowedIpRanges\[0\]: 203\.0\.113\.0\/24/);
        assert.match(msg, /tasks-platform:environments\.prod\.adminGroupMembers\[0\]: 00000000-0000-0000-0000-000000000000/);
        return true;
      },
    );
  });
});
