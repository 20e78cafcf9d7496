/**
 * Pack-wide checks: every policy has mirrored, numbered pass and fail fixtures; metadata is complete;
 * the compliant baseline stack passes everything; unknown values never crash a policy.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { evaluatePack, runResourcePolicy, type ResourceSnapshot } from "../src/evaluate/invoke.js";
import { policies, policyGroups } from "../src/index.js";
import { catalogues, sourcesOf } from "../src/lib/metadata.js";
import { compliantStack } from "./fixtures/stack.js";
import { deployment } from "./fixtures/kubernetes.js";
import { runCase, stackTagsFor, urnOf, type Case, type FixtureResource } from "./lib/harness.js";
import type { Json, JsonObject } from "./lib/json.js";
import { loadCases } from "./lib/run-cases.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const areas = Object.keys(policyGroups);
const allCases = (await Promise.all(areas.map(loadCases))).flat();

describe("fixtures", () => {
  test("there are at least 40 policies, with unique names", () => {
    assert.ok(policies.length >= 40, `only ${policies.length} policies`);
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
  });

  test("every policy source file has a fixture file at the mirrored path", () => {
    for (const area of areas) {
      const sources = readdirSync(path.join(root, "src", area)).filter(
        (f) => f.endsWith(".ts") && f !== "index.ts" && f !== "taggable-types.ts",
      );
      for (const f of sources)
        assert.ok(
          existsSync(path.join(root, "test", area, f.replace(/\.ts$/, ".cases.ts"))),
          `missing test/${area}/${f.replace(/\.ts$/, ".cases.ts")}`,
        );
    }
  });

  test("every policy has numbered fixtures with at least one pass and one fail", () => {
    for (const p of policies) {
      const found = allCases.filter((c) => c.cases.policy === p);
      assert.equal(found.length, 1, `${p.name}: expected exactly one fixture file, found ${found.length}`);
      const cases = found[0]?.cases.cases ?? [];
      assert.deepEqual(
        cases.map((c) => c.n),
        cases.map((_, i) => i + 1),
        `${p.name}: fixtures must be numbered 1..n`,
      );
      assert.ok(
        cases.some((c) => !c.notApplicable && (c.expect ?? []).length === 0),
        `${p.name}: no passing fixture`,
      );
      assert.ok(
        cases.some((c) => (c.expect ?? []).length > 0),
        `${p.name}: no failing fixture`,
      );
    }
  });

  test("fixture files sit in the folder of their policy", () => {
    for (const { file, cases } of allCases) {
      const area = file.split("/")[0] as keyof typeof policyGroups;
      assert.ok(policyGroups[area].includes(cases.policy), `${file} tests ${cases.policy.name}, which is not in src/${area}`);
    }
  });
});

describe("metadata", () => {
  for (const p of policies) {
    test(p.name, () => {
      assert.match(p.name, /^(kubernetes|helm|network|dapr|azure|suppression)-[a-z0-9-]+$/);
      assert.ok(p.description.length > 20);
      assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory");
      assert.ok(p.severity && ["low", "medium", "high", "critical"].includes(p.severity));
      assert.ok((p.remediationSteps ?? "").length > 10);
      assert.match(p.url ?? "", /^https:\/\//);
      const sources = sourcesOf(p);
      assert.ok(sources.length >= 1);
      for (const s of sources) assert.ok(s.kind in catalogues, `unknown source kind ${s.kind}`);
      assert.equal(p.framework?.reference, sources[0]?.id);
      assert.equal(p.framework?.name, catalogues[sources[0]!.kind].name);
      // Security and availability controls block a deployment; only a stack-dependent concern is advisory.
      if (p.severity === "critical" || p.severity === "high") assert.equal(p.enforcementLevel, "mandatory");
    });
  }
});

function snapshots(resources: readonly FixtureResource[], stack: string): ResourceSnapshot[] {
  const urn = (r: FixtureResource) => urnOf(stack, r.type, r.name, r.parentTypes);
  const byName = new Map(resources.map((r) => [r.name, urn(r)]));
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: urn(r),
    props: r.props,
    dependencies: (r.dependsOn ?? []).map((n) => byName.get(n) as string),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([k, ns]) => [k, ns.map((n) => byName.get(n) as string)]),
    ),
  }));
}

describe("compliant baseline stack", () => {
  for (const env of ["dev", "prod"] as const) {
    test(`${env}: no policy reports anything`, async () => {
      const out = await evaluatePack(policies, snapshots(compliantStack(env), env), { stackTags: stackTagsFor() });
      assert.deepEqual(
        out.violations.map((v) => `${v.policy}: ${v.message}`),
        [],
      );
    });
  }

  test("every policy applies to some resource of the dev or prod baseline", async () => {
    const applied = new Set<string>();
    for (const env of ["dev", "prod"] as const) {
      const snaps = snapshots(compliantStack(env), env);
      const out = await evaluatePack(policies, snaps, { stackTags: stackTagsFor() });
      for (const p of policies) {
        const skipped = out.notApplicable.filter((n) => n.policy === p.name).length;
        const runs = "validateStack" in p ? 1 : snaps.length;
        if (skipped < runs) applied.add(p.name);
      }
    }
    assert.deepEqual(
      policies.map((p) => p.name).filter((n) => !applied.has(n)),
      [],
    );
  });
});

// The SDK's sentinels for unknown values (proxy.js exports them; its typings do not).
const sentinels = createRequire(import.meta.url)("@pulumi/policy/proxy.js") as Record<string, string>;
const unknownFor = (v: Json): string =>
  Array.isArray(v)
    ? sentinels.unknownArrayValue!
    : v !== null && typeof v === "object"
      ? sentinels.unknownObjectValue!
      : typeof v === "number"
        ? sentinels.unknownNumberValue!
        : typeof v === "boolean"
          ? sentinels.unknownBooleanValue!
          : sentinels.unknownStringValue!;

/** Every path of an object (containers and leaves), with the props where that value is unknown. */
function* withOneUnknown(props: JsonObject): Generator<{ path: string; props: JsonObject }> {
  function* walk(v: Json, p: string[]): Generator<string[]> {
    if (p.length > 0) yield p;
    if (v !== null && typeof v === "object") for (const [k, c] of Object.entries(v)) yield* walk(c as Json, [...p, k]);
  }
  for (const p of walk(props, [])) {
    const copy = structuredClone(props);
    let parent: Record<string, Json> = copy;
    for (const k of p.slice(0, -1)) parent = parent[k] as Record<string, Json>;
    const key = p[p.length - 1] as string;
    parent[key] = unknownFor(parent[key] as Json);
    yield { path: p.join("."), props: copy };
  }
}

describe("unknown values during preview", () => {
  test("an unknown field is reported as \"can't run during preview\" (advisory), like the SDK's analyzer", async () => {
    const d = deployment();
    const props = structuredClone(d.props) as { spec: { template: { spec: { containers: { securityContext: Json }[] } } } };
    props.spec.template.spec.containers[0]!.securityContext = sentinels.unknownObjectValue!;
    const policy = policies.find((p) => p.name === "kubernetes-run-as-non-root");
    assert.ok(policy && !("validateStack" in policy));
    const out = await runResourcePolicy(
      policy,
      { type: d.type, name: d.name, urn: urnOf("dev", d.type, d.name), props: props as unknown as JsonObject },
      { stackTags: stackTagsFor() },
    );
    assert.deepEqual(
      out.violations.map((v) => [v.level, v.message]),
      [
        [
          "advisory",
          "can't run policy 'kubernetes-run-as-non-root' from policy pack 'tasks-platform@v0.1.0' during preview: Object value at .spec.template.spec.containers.0.securityContext can't be known during preview",
        ],
      ],
    );
  });

  test("no policy throws anything but UnknownValueError when any one value of any fixture is unknown", async () => {
    let runs = 0;
    for (const { cases } of allCases) {
      for (const c of cases.cases as Case[]) {
        const targets = c.resource ? [c.resource] : (c.resources ?? []);
        for (const [i, target] of targets.entries()) {
          for (const variant of withOneUnknown(target.props)) {
            const changed = { ...target, props: variant.props };
            const input: Case = c.resource
              ? { ...c, resource: changed }
              : { ...c, resources: targets.map((t, j) => (j === i ? changed : t)) };
            // runCase rethrows anything that is neither UnknownValueError nor notApplicable.
            await assert.doesNotReject(
              runCase(cases.policy, input),
              `${cases.policy.name} #${c.n} with ${target.name}.${variant.path} unknown`,
            );
            runs++;
          }
        }
      }
    }
    assert.ok(runs > 5000, `only ${runs} unknown-value runs`);
  });
});
