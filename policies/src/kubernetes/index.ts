import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { chaosExperiments } from "./chaos-experiments.js";
import { daprAnnotations } from "./dapr-annotations.js";
import { daprTokensPolicy } from "./dapr-tokens.js";
import { dropAllCapabilities } from "./drop-all-capabilities.js";
import { helmChartVersionPinned } from "./helm-chart-version-pinned.js";
import { imageImmutableTag } from "./image-immutable-tag.js";
import { imagePushCredentials } from "./image-push-credentials.js";
import { imageRegistry } from "./image-registry.js";
import { livenessProbe } from "./liveness-probe.js";
import { minReplicasProd } from "./min-replicas-prod.js";
import { consumersScaleOnLag } from "./consumers-scale-on-lag.js";
import { namespacePodSecurityLabel } from "./namespace-pod-security-label.js";
import { noClusterAdminBinding } from "./no-cluster-admin-binding.js";
import { noDefaultNamespace } from "./no-default-namespace.js";
import { noHostIpc } from "./no-host-ipc.js";
import { noHostNetwork } from "./no-host-network.js";
import { noHostPath } from "./no-host-path.js";
import { noHostPid } from "./no-host-pid.js";
import { noHostPort } from "./no-host-port.js";
import { noPrivilegeEscalation } from "./no-privilege-escalation.js";
import { noPrivilegedContainers } from "./no-privileged-containers.js";
import { noSecretEnv } from "./no-secret-env.js";
import { noServiceAccountToken } from "./no-service-account-token.js";
import { podDisruptionBudgetProd } from "./pod-disruption-budget-prod.js";
import { rbacNoWildcards } from "./rbac-no-wildcards.js";
import { readOnlyRootFilesystem } from "./read-only-root-filesystem.js";
import { readinessProbe } from "./readiness-probe.js";
import { resourceLimits } from "./resource-limits.js";
import { resourceRequests } from "./resource-requests.js";
import { restrictedVolumeTypesPolicy } from "./restricted-volume-types.js";
import { runAsHighUid } from "./run-as-high-uid.js";
import { runAsNonRoot } from "./run-as-non-root.js";
import { seccompRuntimeDefault } from "./seccomp-runtime-default.js";
import { topologySpreadProd } from "./topology-spread-prod.js";

export const kubernetesPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  chaosExperiments,
  daprAnnotations,
  daprTokensPolicy,
  dropAllCapabilities,
  helmChartVersionPinned,
  imageImmutableTag,
  imagePushCredentials,
  imageRegistry,
  livenessProbe,
  minReplicasProd,
  consumersScaleOnLag,
  namespacePodSecurityLabel,
  noClusterAdminBinding,
  noDefaultNamespace,
  noHostIpc,
  noHostNetwork,
  noHostPath,
  noHostPid,
  noHostPort,
  noPrivilegeEscalation,
  noPrivilegedContainers,
  noSecretEnv,
  noServiceAccountToken,
  podDisruptionBudgetProd,
  rbacNoWildcards,
  readOnlyRootFilesystem,
  readinessProbe,
  resourceLimits,
  resourceRequests,
  restrictedVolumeTypesPolicy,
  runAsHighUid,
  runAsNonRoot,
  seccompRuntimeDefault,
  topologySpreadProd,
];
