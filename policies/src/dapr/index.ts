import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { componentScopes } from "./component-scopes.js";
import { componentSecretRefs } from "./component-secret-refs.js";
import { controlPlaneHaProd } from "./control-plane-ha-prod.js";
import { invocationAccessControl } from "./invocation-access-control.js";
import { mtlsEnabled } from "./mtls-enabled.js";
import { pubsubBrokerTls } from "./pubsub-broker-tls.js";
import { resiliencyBoundedRetries } from "./resiliency-bounded-retries.js";
import { subscriptionDeadLetter } from "./subscription-dead-letter.js";
import { subscriptionScoped } from "./subscription-scoped.js";

export const daprPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  componentScopes,
  componentSecretRefs,
  controlPlaneHaProd,
  invocationAccessControl,
  mtlsEnabled,
  pubsubBrokerTls,
  resiliencyBoundedRetries,
  subscriptionDeadLetter,
  subscriptionScoped,
];
