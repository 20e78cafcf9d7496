import { allServices, type ServiceSpec } from "./services.js";
import { allTopics, type TopicSpec } from "./topics.js";

/**
 * Consistency checks over a catalog: every referenced topic and service exists, names are unique,
 * scaling bounds are ordered. Returns the problems; empty means consistent.
 */
export function catalogProblems(services: readonly ServiceSpec[] = allServices, topicList: readonly TopicSpec[] = allTopics): string[] {
  const problems: string[] = [];
  const topicNames = new Set(topicList.map((t) => t.name));
  const serviceNames = new Set(services.map((s) => s.name));
  const dup = <T>(xs: T[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
  for (const d of dup(topicList.flatMap((t) => [t.name, t.deadLetterTopic]))) problems.push(`topic name "${d}" is declared twice`);
  for (const d of dup(services.map((s) => s.name))) problems.push(`service "${d}" is declared twice`);
  for (const d of dup(services.map((s) => s.port))) problems.push(`port ${d} is used by two services`);
  for (const t of topicList) {
    if (t.partitions < 1 || t.partitions > 32) problems.push(`topic "${t.name}": partitions must be 1..32, got ${t.partitions}`);
    if (t.retentionDays < 1) problems.push(`topic "${t.name}": retentionDays must be at least 1`);
  }
  for (const s of services) {
    for (const p of s.publishes) if (!topicNames.has(p)) problems.push(`service "${s.name}" publishes unknown topic "${p}"`);
    for (const x of s.subscribes)
      if (!topicNames.has(x.topic)) problems.push(`service "${s.name}" subscribes to unknown topic "${x.topic}"`);
    for (const i of s.invokes) if (!serviceNames.has(i.app)) problems.push(`service "${s.name}" invokes unknown service "${i.app}"`);
    if (s.subscribes.length > 0 && !s.dapr.includes("pubsub"))
      problems.push(`service "${s.name}" subscribes but does not declare the pubsub building block`);
    if (s.scaling.min < 1 || s.scaling.min > s.scaling.max) problems.push(`service "${s.name}": scaling needs 1 <= min <= max`);
    if (s.publicRoutes.some((r) => !r.websocket && !r.static) && s.openapiPath === undefined)
      problems.push(`service "${s.name}" has HTTP public routes but no openapiPath`);
    // Without a building block the pod has no sidecar (runsDaprSidecar): nothing can reach it through Dapr.
    if (
      s.dapr.length === 0 &&
      (s.publishes.length > 0 || s.invokes.length > 0 || services.some((c) => c.invokes.some((i) => i.app === s.name)))
    )
      problems.push(`service "${s.name}" publishes, invokes or is invoked through Dapr but declares no Dapr building block`);
    if (s.cron && !s.dapr.includes("bindings.cron"))
      problems.push(`service "${s.name}" has a cron schedule but not the bindings.cron building block`);
  }
  return problems;
}
