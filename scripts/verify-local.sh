#!/usr/bin/env bash
# Verifies the running local stack (docs/LOCAL.md): every pod ready, a Dapr sidecar in every pod of a
# service that uses Dapr and none in the others (web), the Dapr components loaded by the sidecars, the
# broker topics and dead-letter topics present, and a task round trip through the ingress (scripts/smoke-test.sh, TLS checked against the local CA).
#   scripts/verify-local.sh [--timeout 180]
# Environment: MINIKUBE_PROFILE (default minikube), LOCAL_STATE_DIR (.tmp/local-stack).
set -euo pipefail
script_name="verify-local"
# shellcheck source=scripts/lib/local-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-common.sh"

timeout=180
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) timeout="${2:?--timeout needs seconds}"; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need curl "your OS package manager"
need pulumi "https://www.pulumi.com/docs/install/"
cd "$repo_root"
use_local_backend
load_names "$(stack_config imageRegistry)"
failures=0
fail() { echo "[$script_name] FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "[$script_name] ok: $*"; }

# 1. Pods ready.
for ns in "$WORKLOAD_NS" "$DATA_NS" "$DAPR_NS" "$INGRESS_NS" "$CERT_MANAGER_NS" "$MONITORING_NS"; do
  if kube -n "$ns" wait pod --all --for=condition=Ready --timeout="${timeout}s" >/dev/null 2>&1; then
    pass "all pods ready in $ns"
  else
    fail "pods not ready in $ns: $(kube -n "$ns" get pods --no-headers 2>&1 | awk '$2 !~ /^([0-9]+)\/\1$/ {print $1 " " $2 " " $3}' | tr '\n' ';')"
  fi
done

# 2. Sidecars injected, and 3. components loaded (the sidecar's metadata API, through a port-forward).
for svc in $SERVICES; do
  pods="$(kube -n "$WORKLOAD_NS" get pods -l "app.kubernetes.io/name=$svc" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{end}')"
  [[ -n "$pods" ]] || { fail "$svc has no pods"; continue; }
  for pod in $pods; do
    containers="$(kube -n "$WORKLOAD_NS" get pod "$pod" -o jsonpath='{.spec.containers[*].name}')"
    if [[ " $DAPR_SERVICES " != *" $svc "* ]]; then
      if [[ " $containers " == *" daprd "* ]]; then fail "$pod runs a daprd sidecar, but $svc uses no Dapr building block"; else pass "$pod runs no Dapr sidecar ($svc uses no building block)"; fi
    elif [[ " $containers " == *" daprd "* ]]; then pass "$pod has the daprd sidecar"; else fail "$pod has no daprd sidecar (containers: $containers)"; fi
  done
  # A service without a sidecar has no Dapr metadata API to ask.
  [[ " $DAPR_SERVICES " == *" $svc "* ]] || continue
  pod="${pods%% *}"
  port=$((20000 + RANDOM % 10000))
  kube -n "$WORKLOAD_NS" port-forward "pod/$pod" "$port:3500" >/dev/null 2>&1 &
  pf=$!
  metadata=""
  for _ in $(seq 1 20); do
    metadata="$(curl -sf "http://127.0.0.1:$port/v1.0/metadata" 2>/dev/null)" && break
    sleep 0.5
  done
  kill "$pf" 2>/dev/null || true
  wait "$pf" 2>/dev/null || true
  if [[ -z "$metadata" ]]; then
    fail "$svc: the sidecar's metadata API did not answer"
    continue
  fi
  loaded="$(node -e 'console.log((JSON.parse(process.argv[1]).components ?? []).map((c) => c.name).sort().join(" "))' "$metadata")"
  declared="$(kube -n "$WORKLOAD_NS" get components.dapr.io -o json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const app = process.argv[1];
      const names = JSON.parse(s).items.filter((c) => !c.scopes || c.scopes.length === 0 || c.scopes.includes(app)).map((c) => c.metadata.name);
      console.log(names.sort().join(" "));
    });' "$svc")"
  missing=""
  for c in $declared; do [[ " $loaded " == *" $c "* ]] || missing+=" $c"; done
  if [[ -z "$missing" ]]; then pass "$svc sidecar loaded its components: ${loaded:-none}"; else fail "$svc sidecar did not load:$missing (loaded: ${loaded:-none})"; fi
done
for c in $DAPR_COMPONENTS; do
  if kube -n "$WORKLOAD_NS" get components.dapr.io "$c" >/dev/null 2>&1; then pass "component $c exists"; else fail "component $c is missing"; fi
done

# 4. Topics and dead-letter topics on Redpanda.
topics="$(kube -n "$DATA_NS" exec statefulset/redpanda -c redpanda -- rpk topic list 2>/dev/null | awk 'NR > 1 {print $1}' | tr '\n' ' ')"
for t in $BROKER_TOPICS; do
  if [[ " $topics " == *" $t "* ]]; then pass "topic $t"; else fail "topic $t is missing on Redpanda"; fi
done

# 5. A task round trip through the ingress, TLS verified against the local CA.
domain="$(stack_config domain)" https_port="$(https_node_port)" node_ip="$(minikube ip -p "$profile")"
ca="$state_dir/ca.crt"
kube -n "$WORKLOAD_NS" get secret "$PUBLIC_TLS_SECRET" -o jsonpath='{.data.ca\.crt}' | base64 -d > "$ca" || true
tls=(--insecure)
[[ -s "$ca" ]] && tls=(--cacert "$ca")
token_file="$state_dir/verify-token"
(umask 077 && dev_token smoke-test > "$token_file") || fail "could not sign smoke-test in at the local OpenID Provider ($IDP_NAME in $DATA_NS)"
if [[ -z "$https_port" ]]; then
  fail "no HTTPS node port on the ingress controller"
elif scripts/smoke-test.sh --base-url "https://$domain:$https_port" --resolve "$domain:$https_port:$node_ip" "${tls[@]}" \
  --timeout "$timeout" --token-file "$token_file"; then
  pass "task round trip through https://$domain:$https_port"
else
  fail "task round trip through the ingress"
fi
rm -f "$token_file"

if (( failures > 0 )); then
  die "$failures check(s) failed"
fi
say "all checks passed"
