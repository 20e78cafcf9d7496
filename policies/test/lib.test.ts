/** The helpers policies share: stack/environment from URN and tags, image references, selectors. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { environmentFromName, parseUrn, resourceEnvironment, stackEnvironment } from "../src/lib/environment.js";
import { fullRepository, imageAllowed, mutableImageReason, parseImage } from "../src/lib/images.js";
import { isRenderedByHelm, labelSelectorMatches, serviceSelectorMatches } from "../src/lib/kubernetes.js";
import { valueAt } from "../src/lib/helm.js";

describe("environment", () => {
  test("parses URNs, including parent types and names with ::", () => {
    assert.deepEqual(parseUrn("urn:pulumi:prod::tasks-platform::tasks:workload:ServiceWorkload$kubernetes:apps/v1:Deployment::a::b"), {
      stack: "prod",
      project: "tasks-platform",
      typeChain: ["tasks:workload:ServiceWorkload", "kubernetes:apps/v1:Deployment"],
      name: "a::b",
    });
    assert.equal(parseUrn("not-a-urn"), undefined);
  });

  test("maps stack names, with the environment stack tag taking precedence", () => {
    assert.equal(environmentFromName("Production"), "prod");
    assert.equal(environmentFromName("feature-x"), "unknown");
    const urn = "urn:pulumi:local::p::t::n";
    assert.equal(resourceEnvironment({ urn, stackTags: new Map() }), "local");
    assert.equal(resourceEnvironment({ urn, stackTags: new Map([["environment", "prod"]]) }), "prod");
    assert.equal(stackEnvironment({ stackTags: new Map(), resources: [{ urn: "urn:pulumi:dev::p::t::n" }] }), "dev");
    assert.equal(stackEnvironment({ stackTags: new Map(), resources: [] }), "unknown");
  });

  test("recognises objects rendered from Helm charts by their ancestors", () => {
    assert.equal(isRenderedByHelm("urn:pulumi:dev::p::kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::x"), true);
    assert.equal(isRenderedByHelm("urn:pulumi:dev::p::kubernetes:helm.sh/v4:Chart::x"), false);
    assert.equal(isRenderedByHelm("urn:pulumi:dev::p::tasks:x:Y$kubernetes:apps/v1:Deployment::x"), false);
  });
});

describe("images", () => {
  test("splits registry, repository, tag and digest", () => {
    assert.deepEqual(parseImage("localhost:5000/a/b:1.0@sha256:abc"), {
      registry: "localhost:5000",
      repository: "a/b",
      tag: "1.0",
      digest: "sha256:abc",
    });
    assert.deepEqual(parseImage("redpandadata/redpanda:v24"), {
      registry: undefined,
      repository: "redpandadata/redpanda",
      tag: "v24",
      digest: undefined,
    });
    assert.equal(fullRepository(parseImage("postgres:16")), "docker.io/library/postgres");
  });

  test("pinned or not", () => {
    assert.equal(mutableImageReason(`x.azurecr.io/a@sha256:${"0".repeat(64)}`), undefined);
    assert.equal(mutableImageReason("x.azurecr.io/a@sha256:short"), 'digest "sha256:short" is not a sha256 digest');
    assert.equal(mutableImageReason("a:MAIN"), 'tag "MAIN" moves between builds');
  });

  test("allow-list patterns", () => {
    const ok = (ref: string, p: string[]) => imageAllowed(parseImage(ref), p);
    assert.equal(ok("a.azurecr.io/x:1", ["*.azurecr.io"]), true);
    assert.equal(ok("azurecr.io.evil.com/x:1", ["*.azurecr.io"]), false);
    assert.equal(ok("localhost:5000/x:1", ["localhost:*"]), true);
    assert.equal(ok("localhost/x:1", ["localhost:*"]), true);
    assert.equal(ok("postgres:16", ["docker.io/library/postgres"]), true);
    assert.equal(ok("postgres-evil:16", ["docker.io/library/postgres"]), false);
    assert.equal(ok("bitnami/redis:7", ["docker.io/bitnami/*"]), true);
  });
});

describe("selectors and values", () => {
  test("label selectors with expressions; service selectors never match when empty", () => {
    const labels = { app: "a", tier: "web" };
    assert.equal(
      labelSelectorMatches({ matchLabels: { app: "a" }, matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }, labels),
      true,
    );
    assert.equal(labelSelectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, labels), false);
    assert.equal(labelSelectorMatches({}, labels), true);
    assert.equal(serviceSelectorMatches({}, labels), false);
    assert.equal(serviceSelectorMatches({ app: "a" }, labels), true);
  });

  test("Helm values by dotted path", () => {
    assert.equal(valueAt({ global: { mtls: { enabled: true } } }, "global.mtls.enabled"), true);
    assert.equal(valueAt({ global: "x" }, "global.mtls.enabled"), undefined);
  });
});
