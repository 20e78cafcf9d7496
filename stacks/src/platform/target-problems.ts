import { allServices, type EgressTarget, type ServiceSpec } from "@tasks/catalog";
import type { InClusterPeer, PlatformTarget } from "../contracts.js";

/** Problems with a target, each naming the field; empty means the target is usable. */
export function platformTargetProblems(target: PlatformTarget, services: readonly ServiceSpec[] = allServices): string[] {
  const aks = target.kind === "aks";
  return [...tlsAndStoreProblems(target, services), ...egressProblems(target, services), ...(aks ? [] : minikubeProblems(target))];
}

function tlsAndStoreProblems(target: PlatformTarget, services: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  const aks = target.kind === "aks";
  if (aks && target.tls.issuer === "selfsigned") problems.push('tls.issuer: AKS stacks use a Let\'s Encrypt issuer, not "selfsigned"');
  if (!aks && target.tls.issuer !== "selfsigned")
    problems.push(`tls.issuer: minikube cannot answer ACME HTTP-01 challenges; use "selfsigned", not "${target.tls.issuer}"`);
  if (aks && !target.tls.acmeEmail) problems.push("tls.acmeEmail: Let's Encrypt issuers need a contact email");
  if (aks && target.secretStore.kind !== "keyvault") problems.push("secretStore: AKS stacks read secrets from Key Vault");
  if (aks && target.broker.kind !== "eventhubs") problems.push("broker: AKS stacks use Event Hubs");
  if (!target.alerting?.email.length) problems.push("alerting.email: at least one address receives the alerts");
  if (aks && !target.platformIdentities)
    problems.push("platformIdentities: AKS monitoring pods and KEDA read Key Vault with their own identities");
  if (aks) {
    for (const s of services) if (!target.identities?.[s.name]) problems.push(`identities.${s.name}: missing workload identity client id`);
  }
  return problems;
}

function egressProblems(target: PlatformTarget, services: readonly ServiceSpec[]): string[] {
  const problems: string[] = [];
  const aks = target.kind === "aks";
  const uses = (t: EgressTarget) => services.some((s) => s.egress.includes(t));
  const reachable = (t: "postgres" | "broker" | "keyvault" | "smtp", peer?: InClusterPeer) =>
    target.egressCidrs[t].length > 0 || peer !== undefined;
  if (uses("postgres") && !reachable("postgres", target.inClusterEgress?.postgres))
    problems.push("egressCidrs.postgres: empty, and no inClusterEgress.postgres: services could not reach the database");
  if (uses("postgres") && !target.databaseRoles)
    problems.push("databaseRoles: services with a database connect as their own roles; give the admin URL and a password per service");
  if (uses("broker") && !reachable("broker", target.inClusterEgress?.broker))
    problems.push("egressCidrs.broker: empty, and no inClusterEgress.broker: services could not reach the broker");
  if (aks && uses("keyvault") && !reachable("keyvault")) problems.push("egressCidrs.keyvault: empty: sidecars could not reach Key Vault");
  if (uses("smtp") && !reachable("smtp")) problems.push("egressCidrs.smtp: empty: email could not be sent");
  return problems;
}

function minikubeProblems(target: PlatformTarget): string[] {
  return target.apiServerEgress?.cidrs.length
    ? []
    : ["apiServerEgress: minikube sidecars read Kubernetes secrets and need the API server's address"];
}
