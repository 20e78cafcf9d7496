import { eventHubsDeadLetterHubs } from "../../src/azure/eventhubs-dead-letter-hubs.js";
import { casesFor } from "../lib/harness.js";
import { catalogHubs, ehNamespace, eventHub } from "../fixtures/azure.js";

const ns = ehNamespace();
const hubs = catalogHubs();

export default casesFor(eventHubsDeadLetterHubs, [
  { n: 1, title: "every catalog topic and its dead-letter hub", resources: [ns, ...hubs], expect: [] },
  { n: 2, title: "an extra topic with its .dlq hub", resources: [ns, ...hubs, eventHub("billing"), eventHub("billing.dlq")], expect: [] },
  { n: 3, title: "a namespace with no hubs yet", resources: [ns], expect: [] },
  {
    n: 4,
    title: "a dead-letter hub missing",
    resources: [ns, ...hubs.filter((h) => h.name !== "hub-task.completed.dlq")],
    expect: ['event hub "task.completed" in namespace "tasks-dev-ehns" has no dead-letter hub "task.completed.dlq".'],
  },
  {
    n: 5,
    title: "a catalog topic missing",
    resources: [ns, ...hubs.filter((h) => !h.name.startsWith("hub-task.deleted"))],
    expect: ['namespace "tasks-dev-ehns" has no event hub for catalog topic "task.deleted".'],
  },
  {
    n: 6,
    title: "a hub in another namespace does not count",
    resources: [ns, ...hubs.filter((h) => h.name !== "hub-task.created.dlq"), eventHub("task.created.dlq", "prod")],
    expect: ['event hub "task.created" in namespace "tasks-dev-ehns" has no dead-letter hub "task.created.dlq".'],
  },
]);
