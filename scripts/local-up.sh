#!/usr/bin/env bash
# Brings up the whole platform on minikube (the `local` stack): docs/LOCAL.md.
#   scripts/local-up.sh [--skip-build] [--no-verify]
# Environment: MINIKUBE_PROFILE (default minikube), MINIKUBE_CPUS (6), MINIKUBE_MEMORY (12g),
# MINIKUBE_DISK (40g), MINIKUBE_DRIVER (docker), LOCAL_STATE_DIR (.tmp/local-stack).
# Steps: prerequisites; minikube with Calico (NetworkPolicies enforced); the local Pulumi backend and
# stack; images built into the node with `minikube image build`; `pulumi up --stack local`;
# readiness; scripts/verify-local.sh; then the URLs, the Grafana login and a development token.
set -euo pipefail
script_name="local-up"
# shellcheck source=scripts/lib/local-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-common.sh"

build=true verify=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-build) build=false; shift ;;
    --no-verify) verify=false; shift ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

say "checking prerequisites"
need minikube "https://minikube.sigs.k8s.io/docs/start/"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need helm "https://helm.sh/docs/intro/install/"
need pulumi "https://www.pulumi.com/docs/install/"
need docker "https://docs.docker.com/engine/install/ (the minikube docker driver and image builds use it)"
need node "Node.js 20 (see .nvmrc): https://nodejs.org/"
need npm "it comes with Node.js"
need curl "your OS package manager"
docker info >/dev/null 2>&1 || die "docker is installed but its daemon is not reachable (is it running, and may $USER use it?)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 20 )) || die "Node.js 20 or later is required, found $(node --version)"

cd "$repo_root"
if [[ ! -d node_modules ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

cpus="${MINIKUBE_CPUS:-6}" memory="${MINIKUBE_MEMORY:-12g}" disk="${MINIKUBE_DISK:-40g}" driver="${MINIKUBE_DRIVER:-docker}"
if minikube status -p "$profile" --format '{{.Host}}' 2>/dev/null | grep -q Running; then
  say "minikube profile $profile is running; reusing it"
  kube -n kube-system get daemonset calico-node >/dev/null 2>&1 \
    || die "profile $profile runs without Calico, so NetworkPolicies would be ignored: recreate it with scripts/local-down.sh --delete-cluster, then run this again"
else
  say "starting minikube ($profile: $driver driver, Calico CNI, $cpus CPUs, $memory memory, $disk disk)"
  minikube start -p "$profile" --driver="$driver" --cni=calico --cpus="$cpus" --memory="$memory" --disk-size="$disk" --addons=metrics-server
fi
kube get nodes >/dev/null || die "kubectl cannot reach the $profile context"

use_local_backend
if ! pulumi stack select "$stack" >/dev/null 2>&1; then
  say "creating the $stack stack in $PULUMI_BACKEND_URL (secrets: passphrase in $state_dir)"
  pulumi stack init "$stack" --secrets-provider passphrase >/dev/null
fi

# The stack config must describe this cluster; say exactly what to change when it does not.
node_ip="$(minikube ip -p "$profile")"
want_ip="$(stack_config minikubeIp)" want_context="$(stack_config kubeContext)" registry="$(stack_config imageRegistry)"
if [[ "$want_context" != "$profile" || "$want_ip" != "$node_ip" ]]; then
  die "Pulumi.local.yaml describes context '$want_context' at $want_ip, but this cluster is '$profile' at $node_ip. Either use MINIKUBE_PROFILE=$want_context, or run:
  pulumi config set kubeContext $profile --stack $stack
  pulumi config set minikubeIp $node_ip --stack $stack
  pulumi config set domain tasks.$node_ip.nip.io --stack $stack
  pulumi config set --path 'apiServer.cidr' $node_ip/32 --stack $stack"
fi
load_names "${registry:-tasks.local}"

# The program builds the images with docker-build into the node's Docker daemon (load), so pulumi
# runs with minikube's docker-env; building them first with `minikube image build` fails fast, per
# service, with Docker's own error, and leaves pulumi's build a cache hit. Every service is built
# from apps/Dockerfile with its name as the SERVICE build arg.
eval "$(minikube -p "$profile" docker-env --shell bash)"
if $build; then
  for pair in $IMAGES; do
    svc="${pair%%=*}" image="${pair#*=}"
    [[ -f "apps/$svc/src/main.ts" ]] \
      || die "apps/$svc/src/main.ts is missing: the catalog lists service $svc, but apps/Dockerfile cannot build it without its entry point"
    say "building $image"
    minikube -p "$profile" image build -t "$image" -f apps/Dockerfile --build-opt="build-arg=SERVICE=$svc" . >/dev/null \
      || die "building $svc failed: run 'minikube -p $profile image build -t $image -f apps/Dockerfile --build-opt=build-arg=SERVICE=$svc .' to see why"
  done
fi

say "pulumi up --stack $stack"
pulumi up --stack "$stack" --yes --suppress-progress

say "waiting for the platform to be ready"
for ns in "$CERT_MANAGER_NS" "$INGRESS_NS" "$DAPR_NS" "$MONITORING_NS" "$WORKLOAD_NS"; do
  kube -n "$ns" wait deployment --all --for=condition=Available --timeout=600s >/dev/null \
    || die "deployments in namespace $ns are not available: kubectl --context $profile -n $ns get pods"
done
kube -n "$DATA_NS" rollout status statefulset --timeout=600s >/dev/null \
  || die "the data services are not ready: kubectl --context $profile -n $DATA_NS get pods"

if $verify; then
  "$repo_root/scripts/verify-local.sh"
fi

domain="$(stack_config domain)"
https_port="$(https_node_port)"
grafana_svc="$(kube -n "$MONITORING_NS" get svc -l app.kubernetes.io/name=grafana -o jsonpath='{.items[0].metadata.name}')"
token_file="$state_dir/dev-token"
(umask 077 && dev_token dev-user > "$token_file") || echo "local-up: could not sign dev-user in at the local OpenID Provider; see scripts/lib/local-common.sh dev_token" >&2
cat <<EOF

The platform is up on minikube ($profile).
  API        https://$domain:$https_port/api/v1/tasks   (also /api/v1/notifications, /api/v1/audit; WebSocket wss://$domain:$https_port/ws)
  TLS        self-signed CA: kubectl --context $profile -n $WORKLOAD_NS get secret $PUBLIC_TLS_SECRET -o jsonpath='{.data.ca\.crt}' | base64 -d > .tmp/local-ca.crt
  Grafana    kubectl --context $profile -n $MONITORING_NS port-forward svc/$grafana_svc 3000:80, then http://localhost:3000
             user:     kubectl --context $profile -n $MONITORING_NS get secret $GRAFANA_SECRET -o jsonpath='{.data.admin-user}' | base64 -d
             password: kubectl --context $profile -n $MONITORING_NS get secret $GRAFANA_SECRET -o jsonpath='{.data.admin-password}' | base64 -d
  Sign-in    OpenID Provider https://$domain:$https_port$IDP_PATH (client $IDP_CLIENT, code + PKCE); test users dev-user, alice, bob,
             their passwords: kubectl --context $profile -n $DATA_NS get secret $IDP_USERS_SECRET -o jsonpath='{.data.users\.json}' | base64 -d
  Dev token  user dev-user, valid 10 min, in ${token_file#"$repo_root"/} (mode 0600):
             curl --cacert .tmp/local-ca.crt -H "Authorization: Bearer \$(cat ${token_file#"$repo_root"/})" https://$domain:$https_port/api/v1/tasks
  Pulumi     PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE_FILE=${PULUMI_CONFIG_PASSPHRASE_FILE:-} pulumi stack output --stack $stack
  Stop       scripts/local-down.sh [--delete-volumes] [--delete-cluster]
EOF
if [[ -t 1 ]]; then
  echo "  (interactive terminal) dev token: $(cat "$token_file")"
fi
