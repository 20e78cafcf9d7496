import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { componentMetadataAllowedValues } from "./component-metadata-allowed-values.js";
import { componentMetadataDeprecated } from "./component-metadata-deprecated.js";
import { componentMetadataNames } from "./component-metadata-names.js";
import { componentMetadataRequired } from "./component-metadata-required.js";
import { componentMetadataSensitive } from "./component-metadata-sensitive.js";
import { componentMetadataTypes } from "./component-metadata-types.js";
import { configurationAclAppIds } from "./configuration-acl-app-ids.js";
import { deadLetterTopicInBroker } from "./dead-letter-topic-in-broker.js";
import { resiliencyTargetsExist } from "./resiliency-targets-exist.js";
import { secretRefKeyExists } from "./secret-ref-key-exists.js";
import { subscriptionPubsubExists } from "./subscription-pubsub-exists.js";
import { componentScopes } from "./component-scopes.js";
import { componentSecretRefs } from "./component-secret-refs.js";
import { controlPlaneHaProd } from "./control-plane-ha-prod.js";
import { schedulerZoneRedundant } from "./scheduler-zone-redundant.js";
import { invocationAccessControl } from "./invocation-access-control.js";
import { mtlsEnabled } from "./mtls-enabled.js";
import { pubsubBrokerTls } from "./pubsub-broker-tls.js";
import { resiliencyBoundedRetries } from "./resiliency-bounded-retries.js";
import { subscriptionDeadLetter } from "./subscription-dead-letter.js";
import { subscriptionScoped } from "./subscription-scoped.js";

export const daprPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  componentMetadataNames,
  componentMetadataTypes,
  componentMetadataAllowedValues,
  componentMetadataRequired,
  componentMetadataDeprecated,
  componentMetadataSensitive,
  componentScopes,
  componentSecretRefs,
  controlPlaneHaProd,
  schedulerZoneRedundant,
  invocationAccessControl,
  mtlsEnabled,
  pubsubBrokerTls,
  resiliencyBoundedRetries,
  subscriptionDeadLetter,
  subscriptionScoped,
  subscriptionPubsubExists,
  deadLetterTopicInBroker,
  resiliencyTargetsExist,
  configurationAclAppIds,
  secretRefKeyExists,
];
