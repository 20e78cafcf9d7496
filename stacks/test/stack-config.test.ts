import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadStackConfig, repoRoot, stackNames } from "../src/offline/stack-config.js";

/** How the offline harness hands a stack file to the program, secrets included. */

function stackDir(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "stack-config-"));
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), yaml);
  return dir;
}

describe("loadStackConfig", () => {
  it("gives an unset operator secret a placeholder, marks it secret and lists it", () => {
    const loaded = loadStackConfig("dev", stackDir("config:\n  tasks-platform:owner: team\n"));
    const operatorSecrets = ["tasks-platform:smtpPassword", "tasks-platform:alertChatWebhookUrl", "tasks-platform:alertHeartbeatToken"];
    assert.deepEqual(loaded.unsetSecrets, operatorSecrets);
    for (const key of operatorSecrets) assert.ok(loaded.secretKeys.includes(key), key);
    assert.equal(loaded.config["tasks-platform:smtpPassword"], "offline-placeholder-for-tasks-platform-smtpPassword");
    assert.equal(loaded.config["tasks-platform:owner"], "team");
  });

  it("uses a placeholder for an encrypted value it cannot decrypt, without listing it as unset", () => {
    const loaded = loadStackConfig(
      "dev",
      stackDir(
        "config:\n  tasks-platform:smtpPassword:\n    secure: AAABAKx0c2VjcmV0\n" +
          "  tasks-platform:alertChatWebhookUrl:\n    secure: AAABAKx0c2VjcmV1\n  tasks-platform:alertHeartbeatToken:\n    secure: AAABAKx0c2VjcmV2\n",
      ),
    );
    assert.deepEqual(loaded.unsetSecrets, []);
    assert.deepEqual(loaded.secretKeys, [
      "tasks-platform:smtpPassword",
      "tasks-platform:alertChatWebhookUrl",
      "tasks-platform:alertHeartbeatToken",
    ]);
    assert.equal(loaded.config["tasks-platform:smtpPassword"], "offline-placeholder-for-tasks-platform-smtpPassword");
  });

  it("hands objects over as JSON strings, as the CLI does", () => {
    const loaded = loadStackConfig(
      "dev",
      stackDir("config:\n  network:\n    addressSpace: 10.40.0.0/16\n  azure-native:location: westeurope\n"),
    );
    assert.equal(loaded.config["tasks-platform:network"], '{"addressSpace":"10.40.0.0/16"}');
    assert.equal(loaded.config["azure-native:location"], "westeurope");
  });

  it("the committed stack files hold no placeholder and no secret in plain text", () => {
    const isSecure = (v: unknown): v is { secure: unknown } => v !== null && typeof v === "object" && "secure" in v;
    for (const stack of stackNames) {
      const doc = parse(readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
      for (const [key, value] of Object.entries(doc.config)) {
        if (isSecure(value)) assert.doesNotMatch(String(value.secure), /replace|placeholder|changeme/i, `${stack} ${key}`);
        else assert.doesNotMatch(key, /password|secret|token/i, `Pulumi.${stack}.yaml: ${key} is a secret in plain text`);
      }
    }
  });
});
