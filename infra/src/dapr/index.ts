export * from "./types.js";
export { resolveSettings, type ResolvedDaprSettings } from "./settings.js";
export {
  pubsubComponent,
  pubsubBroadcastComponent,
  pubsubNameFor,
  fanOutApps,
  broadcastConsumerGroup,
  eventHubsBrokers,
  eventHubsKafkaVersion,
} from "./pubsub.js";
export { stateStoreComponent } from "./state-store.js";
export { secretStoreComponent } from "./secret-store.js";
export { cronBindings } from "./bindings.js";
export { subscriptions, subscriptionName } from "./subscriptions.js";
export { configurations, accessPoliciesFor, daprOperations, trustDomain } from "./configuration.js";
export { resiliency, resiliencyPolicies } from "./resiliency.js";
export { daprResources, allDaprResources, type DaprResourceSet } from "./resources.js";
export { DaprResources, type DaprResourcesArgs } from "./kubernetes.js";
export { writeSelfhostedResources, type SelfhostedFiles } from "./selfhosted.js";
