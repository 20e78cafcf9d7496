/**
 * The docs name only things that exist: files and folders, npm scripts, stack outputs, config keys,
 * and the catalog and infra names (namespaces, secrets, metrics) they mention.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { allBrokerTopics, allServices, daprComponents, secretNames, serviceMetrics } from "@tasks/catalog";
import { namespaces, publicTlsSecret } from "@tasks/infra/k8s/names";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const docsDir = path.join(root, "docs");
const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith(".md"))
  .map((f) => ({ name: f, text: readFileSync(path.join(docsDir, f), "utf8") }));
const read = (rel: string): string => readFileSync(path.join(root, rel), "utf8");
const matches = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1] ?? m[0]);

describe("docs/*.md", () => {
  it("exist: ARCHITECTURE, OPERATIONS, TROUBLESHOOTING, LOCAL", () => {
    assert.deepEqual(
      docs
        .map((d) => d.name)
        .filter((n) => ["ARCHITECTURE.md", "OPERATIONS.md", "TROUBLESHOOTING.md", "LOCAL.md"].includes(n))
        .sort(),
      ["ARCHITECTURE.md", "LOCAL.md", "OPERATIONS.md", "TROUBLESHOOTING.md"],
    );
  });

  it("mention only repository paths that exist", () => {
    const missing: string[] = [];
    for (const d of docs) {
      const paths = matches(
        d.text,
        /(?<![\w./-])((?:scripts|stacks|infra|catalog|apps|policies|tools|docs|\.github|\.ci)\/[A-Za-z0-9_./*-]*[A-Za-z0-9_*])/g,
      );
      const files = [
        ...paths,
        ...matches(d.text, /\b(Pulumi\.(?:[a-z]+\.)?yaml)\b/g),
        ...matches(d.text, /\]\(([A-Z]+\.md)[#)]/g).map((f) => `docs/${f}`),
      ];
      for (const p of files) {
        if (p.includes("*") || p.includes("<")) continue;
        if (!existsSync(path.join(root, p))) missing.push(`${d.name}: ${p}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it("run only npm scripts that package.json defines", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const used = docs.flatMap((d) => matches(d.text, /npm run ([\w:-]+)/g));
    assert.ok(used.length > 0);
    assert.deepEqual(
      used.filter((s) => !scripts.includes(s)),
      [],
    );
  });

  it("name stack outputs and config keys the stacks define", () => {
    // The stacks' programs: src/ without the offline engine and the config schemas.
    const stacks = readdirSync(path.join(root, "stacks/src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.startsWith("offline") && !f.startsWith("config"))
      .map((f) => read(`stacks/src/${f}`))
      .join("\n");
    const outputs = docs.flatMap((d) =>
      matches(d.text, /pulumi stack output ([A-Za-z]+)/g).concat(matches(d.text, /stack output `([A-Za-z]+)`/g)),
    );
    assert.ok(outputs.length >= 3);
    assert.deepEqual(
      outputs.filter((o) => !new RegExp(`\\b${o}:`).test(stacks)),
      [],
    );
    const config = readdirSync(path.join(root, "stacks/src/config"))
      .map((f) => read(`stacks/src/config/${f}`))
      .join("\n");
    const keys = docs
      .flatMap((d) => matches(d.text, /tasks-platform:([A-Za-z]+)/g))
      .concat(docs.flatMap((d) => matches(d.text, /pulumi config get ([A-Za-z]+)/g)));
    assert.ok(keys.length >= 5);
    assert.deepEqual(
      [...new Set(keys)].filter((k) => !new RegExp(`\\b${k}:`).test(config)),
      [],
    );
  });

  it("use the catalog's and the infra's names for namespaces, secrets, topics and metrics", () => {
    const all = docs.map((d) => d.text).join("\n");
    const known = new Set<string>([
      ...Object.values(namespaces),
      ...Object.values(secretNames as Record<string, unknown>).filter((v): v is string => typeof v === "string"),
      ...allServices.map((s) => secretNames.databaseUrl(s.name)),
      ...allBrokerTopics().map((t) => t.name),
      ...Object.values(daprComponents),
      publicTlsSecret,
    ]);
    for (const name of [
      "tasks",
      "tasks-data",
      "dapr-system",
      "ingress",
      "cert-manager",
      "eventhubs-connection-string",
      "smtp-password",
      "task.completed.dlq",
      "tasks-public-tls",
      "pubsub",
    ]) {
      assert.ok(all.includes(name), `docs mention ${name}`);
      assert.ok(known.has(name), `${name} is a catalog or infra name`);
    }
    assert.ok(all.includes(serviceMetrics.eventsDeadLettered));
    for (const s of allServices) assert.ok(all.includes(`\`${s.name}\``), `docs name service ${s.name}`);
    const policies = read("infra/src/k8s/network-policies/charts.ts");
    assert.ok(policies.includes('"allow-acme-http01-solver"'));
  });
});
