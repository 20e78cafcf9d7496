import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { defaultDeny } from "./default-deny.js";
import { explicitRules } from "./explicit-rules.js";
import { gatewayTls } from "./gateway-tls.js";
import { ingressRateLimit } from "./ingress-rate-limit.js";
import { ingressTls } from "./ingress-tls.js";
import { noPublicServiceTypes } from "./no-public-service-types.js";

export const networkPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  defaultDeny,
  explicitRules,
  gatewayTls,
  ingressRateLimit,
  ingressTls,
  noPublicServiceTypes,
];
