/**
 * The generated Dapr component metadata (src/lib/dapr-metadata.generated.json) against its source: the
 * components-contrib and dapr modules at the versions tools/dapr/go.mod pins, from the Go module cache
 * (the integration tier's daprd build fills it). A missing module skips the drift check on a
 * workstation and fails it in CI. The extraction itself is also tested on a small module tree.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import {
  cachedModuleDir,
  contribModule,
  daprModule,
  extractDaprMetadata,
  generatedFile,
  generatedTypes,
  pinnedVersions,
  renderDaprMetadata,
} from "../src/generate/dapr-metadata.js";
import { acceptedFields, closestName, daprMetadata, valueProblem } from "../src/lib/dapr-metadata.js";

describe("the generated Dapr component metadata", () => {
  test("names the module versions tools/dapr/go.mod pins (the ones daprd is built from)", () => {
    const pins = pinnedVersions();
    assert.equal(daprMetadata.source.componentsContrib, `${contribModule} ${pins.contrib}`);
    assert.equal(daprMetadata.source.dapr, `${daprModule} ${pins.dapr}`);
    assert.equal(daprMetadata.generatedBy, "npm run policy -- --write-dapr-metadata");
  });

  test("matches the modules in the Go module cache (regenerate: npm run policy -- --write-dapr-metadata)", (t) => {
    const pins = pinnedVersions();
    const dirs = { contrib: cachedModuleDir(contribModule, pins.contrib), dapr: cachedModuleDir(daprModule, pins.dapr) };
    if (!dirs.contrib || !dirs.dapr) {
      const missing = [!dirs.contrib && `${contribModule}@${pins.contrib}`, !dirs.dapr && `${daprModule}@${pins.dapr}`]
        .filter(Boolean)
        .join(" and ");
      if (process.env.CI === "true")
        assert.fail(
          `${missing} not in the Go module cache: the drift check cannot run (.ci/run downloads them: cd tools/dapr && go mod download github.com/dapr/components-contrib github.com/dapr/dapr)`,
        );
      t.skip(`${missing} not in the Go module cache (CI fails here)`);
      return;
    }
    const expected = renderDaprMetadata(extractDaprMetadata(generatedTypes(), { contrib: dirs.contrib, dapr: dirs.dapr }, pins));
    assert.equal(readFileSync(generatedFile, "utf8"), expected, "src/lib/dapr-metadata.generated.json is stale");
  });
});

describe("extractDaprMetadata on a small module tree", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "dapr-metadata-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write(
    "contrib/pubsub/demo/metadata.yaml",
    [
      "type: pubsub",
      "name: demo",
      "version: v1",
      "status: alpha",
      "builtinAuthenticationProfiles:",
      "  - name: azuread",
      "authenticationProfiles:",
      "  - title: Password",
      "    metadata:",
      "      - name: password",
      "        required: true",
      "        sensitive: true",
      "metadata:",
      "  - name: hosts",
      "    required: true",
      "  - name: retryAfter",
      "    type: duration",
      "  - name: mode",
      "    allowedValues: [fast, safe]",
      "  - name: oldName",
      "    deprecated: true",
    ].join("\n"),
  );
  write(
    "contrib/pubsub/demo/metadata.go",
    'type md struct {\n\tHosts string `mapstructure:"hosts"`\n\tQueue int `mapstructure:"queueSize" mapstructurealiases:"queue"`\n}\n',
  );
  write(
    "contrib/common/authentication/azure/metadata-properties.go",
    'var MetadataKeys = map[string][]string{\n\t"ClientID": {"azureClientId", "clientId"},\n\t"StorageAccountName": {"accountName"},\n}\n',
  );
  write("contrib/metadata/utils.go", 'return []string{"actorStateStore", "keyPrefix"}\n');
  write("dapr/pkg/runtime/processor/pubsub/pubsub.go", 'properties["consumerID"]\n');
  write(
    "dapr/pkg/scopes/scopes.go",
    'AllowedTopics = "allowedTopics"\nProtectedTopics = "protectedTopics"\nPublishingScopes = "publishingScopes"\nSubscriptionScopes = "subscriptionScopes"\n',
  );
  const dirs = { contrib: path.join(root, "contrib"), dapr: path.join(root, "dapr") };
  const versions = { contrib: "v9.9.9", dapr: "v8.8.8" };

  test("reads metadata.yaml, the built-in profile's keys, the Go fields it omits and the runtime's keys", () => {
    const data = extractDaprMetadata(["pubsub.demo@v1"], dirs, versions);
    assert.equal(data.source.componentsContrib, "github.com/dapr/components-contrib v9.9.9");
    const demo = data.components["pubsub.demo@v1"]!;
    assert.equal(demo.file, "pubsub/demo/metadata.yaml");
    assert.deepEqual(demo.metadata, [
      { name: "hosts", required: true },
      { name: "retryAfter", type: "duration" },
      { name: "mode", allowedValues: ["fast", "safe"] },
      { name: "oldName", deprecated: true },
      { name: "queueSize", type: "number", source: "pubsub/demo/metadata.go (mapstructure tag)" },
      { name: "queue", type: "number", deprecated: true, aliasOf: "queueSize", source: "pubsub/demo/metadata.go (mapstructurealiases)" },
    ]);
    assert.deepEqual(
      demo.profiles.map((p) => [p.title, p.metadata.map((f) => f.name)]),
      [
        ["Password", ["password"]],
        ["azuread (built-in)", ["azureClientId", "clientId"]],
      ],
    );
    assert.equal(demo.profiles[1]!.metadata[1]!.aliasOf, "azureClientId");
    assert.deepEqual(
      demo.runtimeKeys.map((k) => k.name),
      ["consumerID", "allowedTopics", "protectedTopics", "publishingScopes", "subscriptionScopes"],
    );
    assert.equal(demo.runtimeKeys[0]!.source, "github.com/dapr/dapr@v8.8.8/pkg/runtime/processor/pubsub/pubsub.go");
  });

  test("fails, naming what to fix, when a type is missing or the runtime no longer reads a key", () => {
    assert.throws(() => extractDaprMetadata(["pubsub.nope@v1"], dirs, versions), {
      message: "github.com/dapr/components-contrib@v9.9.9 has no metadata.yaml for pubsub.nope@v1",
    });
    write("dapr/pkg/scopes/scopes.go", 'AllowedTopics = "allowedTopics"\n');
    assert.throws(() => extractDaprMetadata(["pubsub.demo@v1"], dirs, versions), {
      message: 'dapr pkg/scopes/scopes.go no longer names "protectedTopics": review runtimeKeySources',
    });
  });
});

describe("reading the schema", () => {
  const kafka = daprMetadata.components["pubsub.kafka@v1"]!;

  test("accepts every name of the component, its profiles and the runtime, without case", () => {
    const accepted = acceptedFields(kafka);
    for (const name of ["brokers", "initialoffset", "saslpassword", "consumerid", "region"]) assert.ok(accepted.has(name), name);
    assert.equal(accepted.get("saslpassword")?.sensitive, true);
    assert.deepEqual(accepted.get("authtype")?.allowedValues, ["oidc", "oidc_private_key_jwt", "password", "mtls", "none", "awsiam"]);
  });

  test("suggests the closest name for a misspelling, and nothing for a stranger", () => {
    const accepted = [...acceptedFields(kafka).values()];
    assert.equal(closestName("intialOffset", accepted), "initialOffset");
    assert.equal(closestName("Brokers", accepted), "brokers");
    assert.equal(closestName("replicationMode", accepted), undefined);
  });

  test("parses values the way daprd's kit/metadata decodes them", () => {
    assert.equal(valueProblem({ name: "d", type: "duration" }, "1h30m"), undefined);
    assert.equal(valueProblem({ name: "d", type: "duration" }, "90"), undefined);
    assert.match(valueProblem({ name: "d", type: "duration" }, "90 s") ?? "", /^a duration/);
    assert.equal(valueProblem({ name: "b", type: "bool" }, "Yes"), undefined);
    assert.match(valueProblem({ name: "b", type: "bool" }, "enabled") ?? "", /^a boolean/);
    assert.equal(valueProblem({ name: "n", type: "number" }, "1e3"), undefined);
    assert.equal(valueProblem({ name: "s", type: "bytesize" }, "1Mi"), undefined);
    assert.match(valueProblem({ name: "s", type: "bytesize" }, "1 MB") ?? "", /^a byte size/);
  });
});
