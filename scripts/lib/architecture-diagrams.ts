/**
 * Mermaid diagrams of the services and event flows, generated from the catalog, for docs/ARCHITECTURE.md.
 * The doc holds each diagram between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`;
 * a unit test fails when they differ from the catalog. Regenerate with:
 *   npx tsx scripts/lib/architecture-diagrams.ts --write
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allServices, allTopics, daprComponents, type ServiceSpec, type TopicSpec } from "@tasks/catalog";

/** Mermaid node ids allow letters, digits and underscores. */
const id = (prefix: string, name: string): string => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;

/** Services, topics and dead-letter topics: who publishes, who subscribes, who invokes whom. */
export function eventFlowDiagram(services: readonly ServiceSpec[] = allServices, topics: readonly TopicSpec[] = allTopics): string {
  const lines = ["flowchart LR", "  client([clients]) -->|HTTPS, WebSocket| ingress[Traefik Gateway]"];
  for (const s of services) {
    const routes = s.publicRoutes.map((r) => r.path).join(", ");
    lines.push(`  ${id("svc", s.name)}["${s.name}<br/>:${s.port}"]`);
    if (routes) lines.push(`  ingress -->|${routes}| ${id("svc", s.name)}`);
  }
  lines.push("  subgraph broker [pub/sub: Event Hubs or Redpanda]");
  for (const t of topics) {
    lines.push(`    ${id("topic", t.name)}{{${t.name}}}`);
    lines.push(`    ${id("dlq", t.deadLetterTopic)}{{${t.deadLetterTopic}}}`);
  }
  lines.push("  end");
  for (const s of services) {
    for (const t of s.publishes) lines.push(`  ${id("svc", s.name)} -->|publish| ${id("topic", t)}`);
    for (const sub of s.subscribes) lines.push(`  ${id("topic", sub.topic)} -->|${sub.route}| ${id("svc", s.name)}`);
    for (const inv of s.invokes) lines.push(`  ${id("svc", s.name)} -.->|invoke ${inv.method} ${inv.path}| ${id("svc", inv.app)}`);
  }
  for (const t of topics) {
    const subscribers = services.filter((s) => s.subscribes.some((x) => x.topic === t.name));
    if (subscribers.length > 0) lines.push(`  ${id("topic", t.name)} -.->|dropped or retries exhausted| ${id("dlq", t.deadLetterTopic)}`);
  }
  return lines.join("\n");
}

/** What each service owns and which Dapr building blocks and egress it uses, as a markdown table. */
export function serviceTable(services: readonly ServiceSpec[] = allServices): string {
  const rows = services.map((s) => {
    const cells = [
      `\`${s.name}\``,
      String(s.port),
      (s.publicRoutes
        .map((r) => `\`${r.path}\`${r.websocket ? " (WebSocket)" : ""}${r.auth === "url-token" ? " (token in the URL)" : ""}`)
        .join(", ") || "none") + (s.openapiPath ? `; OpenAPI \`${s.openapiPath}\`` : ""),
      s.database ? `\`${s.database}\`` : "none",
      s.dapr.join(", "),
      s.egress.join(", "),
      `${s.scaling.min}–${s.scaling.max}`,
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return [
    "| service | port | public routes | database | Dapr building blocks | egress | replicas |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The topics with their partitions, retention and dead-letter topic. */
export function topicTable(topics: readonly TopicSpec[] = allTopics): string {
  const rows = topics.map(
    (t) => `| \`${t.name}\` | \`${t.eventType}\` | ${t.partitions} | ${t.retentionDays} d | \`${t.deadLetterTopic}\` |`,
  );
  return ["| topic | CloudEvent type | partitions | retention | dead-letter topic |", "| --- | --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}

/** The generated blocks, by name, as they appear in the doc (mermaid ones fenced). */
export function generatedBlocks(): Record<string, string> {
  return {
    "event-flows": "```mermaid\n" + eventFlowDiagram() + "\n```",
    services: serviceTable(),
    topics: topicTable(),
    "dapr-components": Object.values(daprComponents)
      .map((c) => `\`${c}\``)
      .join(", "),
  };
}

const blockPattern = (name: string): RegExp => new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);

/** The doc with every generated block replaced by the current one; throws when a marker is missing. */
export function refreshDoc(doc: string, blocks: Record<string, string> = generatedBlocks()): string {
  let out = doc;
  for (const [name, body] of Object.entries(blocks)) {
    if (!blockPattern(name).test(out)) throw new Error(`docs/ARCHITECTURE.md has no <!-- generated:${name} --> block`);
    out = out.replace(blockPattern(name), (_m, open: string, close: string) => `${open}${body}${close}`);
  }
  return out;
}

export const architectureDoc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/ARCHITECTURE.md");

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(architectureDoc, "utf8");
  const fresh = refreshDoc(doc);
  if (process.argv.includes("--write")) {
    writeFileSync(architectureDoc, fresh);
    console.log(fresh === doc ? "docs/ARCHITECTURE.md is up to date" : "docs/ARCHITECTURE.md regenerated");
  } else if (fresh !== doc) {
    console.error("docs/ARCHITECTURE.md is out of date with the catalog: npx tsx scripts/lib/architecture-diagrams.ts --write");
    process.exit(1);
  }
}
