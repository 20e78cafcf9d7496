import { daprComponents } from "@tasks/catalog";
import { cronBindings } from "./bindings.js";
import { configurations } from "./configuration.js";
import { pubsubBroadcastComponent, pubsubComponent } from "./pubsub.js";
import { resiliency } from "./resiliency.js";
import { secretStoreComponent } from "./secret-store.js";
import { appsUsing, resolveSettings } from "./settings.js";
import { stateStoreComponent } from "./state-store.js";
import { subscriptions } from "./subscriptions.js";
import type { DaprComponent, DaprConfiguration, DaprResiliency, DaprSettings, DaprSubscription } from "./types.js";

export interface DaprResourceSet {
  readonly components: readonly DaprComponent[];
  readonly subscriptions: readonly DaprSubscription[];
  readonly configurations: readonly DaprConfiguration[];
  readonly resiliency: DaprResiliency;
}

/** Every Dapr resource the catalog implies for one target, built by the per-kind builders. */
export function daprResources(input: DaprSettings): DaprResourceSet {
  const settings = resolveSettings(input);
  const others = [
    pubsubComponent(settings),
    pubsubBroadcastComponent(settings),
    stateStoreComponent(settings),
    ...cronBindings(settings),
  ].filter((c): c is DaprComponent => c !== undefined);
  // Apps whose components resolve secrets through the named store must load that store too.
  const needStore = others.filter((c) => c.auth?.secretStore === daprComponents.secretStore).flatMap((c) => c.scopes);
  const store = secretStoreComponent(settings, [...appsUsing(settings.services, "secrets"), ...needStore]);
  return {
    components: [store, ...others],
    subscriptions: subscriptions(settings),
    configurations: configurations(settings),
    resiliency: resiliency(settings),
  };
}

/** The resources as one list, in the order daprd and the operator should see them. */
export const allDaprResources = (set: DaprResourceSet) => [...set.components, set.resiliency, ...set.subscriptions, ...set.configurations];
