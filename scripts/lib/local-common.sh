#!/usr/bin/env bash
# Shared by scripts/local-up.sh, local-down.sh and verify-local.sh (sourced, not run).
#   MINIKUBE_PROFILE   minikube profile, also the kubeconfig context (default: minikube, as in
#                      Pulumi.local.yaml's tasks-platform:kubeContext)
#   LOCAL_STATE_DIR    where the local stack's Pulumi state and passphrase live (default .tmp/local-stack)
# The local stack uses its own file backend through PULUMI_BACKEND_URL, the equivalent of
# `pulumi login file://$LOCAL_STATE_DIR/state` without changing your global Pulumi login.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
script_name="${script_name:-$(basename "$0" .sh)}"
profile="${MINIKUBE_PROFILE:-minikube}"
state_dir="${LOCAL_STATE_DIR:-$repo_root/.tmp/local-stack}"
stack="local"

say() { echo "[$script_name] $*"; }
warn() { echo "[$script_name] WARNING: $*" >&2; }
die() { echo "[$script_name] ERROR: $*" >&2; exit 1; }

# need COMMAND "how to install": fails with a clear message when a prerequisite is missing.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required but not on PATH. Install: $2"
}

# Points pulumi at the local file backend and a per-machine passphrase (generated once, 0600).
use_local_backend() {
  mkdir -p "$state_dir/state"
  export PULUMI_BACKEND_URL="file://$state_dir/state"
  if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
    if [[ ! -s "$state_dir/passphrase" ]]; then
      (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))' > "$state_dir/passphrase")
    fi
    export PULUMI_CONFIG_PASSPHRASE_FILE="$state_dir/passphrase"
  fi
  export PULUMI_SKIP_UPDATE_CHECK=true
}

# Loads the catalog and infra names (namespaces, services, topics, image tags) as shell variables.
load_names() {
  local registry="${1:-}" names
  [[ -n "$registry" ]] || registry="tasks.local"
  names="$(cd "$repo_root" && npx --no-install tsx scripts/lib/local-names.ts "$registry")" || die "could not read the catalog (run npm ci first)"
  eval "$names"
}

# The value of a key in Pulumi.local.yaml (plain keys only), via pulumi itself.
stack_config() {
  (cd "$repo_root" && pulumi config get "$1" --stack "$stack" 2>/dev/null) || true
}

kube() { kubectl --context "$profile" "$@"; }

# The HTTPS node port of the ingress controller Service.
https_node_port() {
  kube -n "$INGRESS_NS" get svc -l app.kubernetes.io/component=controller \
    -o jsonpath='{.items[0].spec.ports[?(@.name=="https")].nodePort}' 2>/dev/null || true
}

# Prints an access token for test USER of the local stack's OpenID Provider (apps/local-idp): code + PKCE
# through its login form (scripts/lib/sign-in.ts), over a port-forward to its Service. The password goes
# from the provider's Secret straight into the sign-in; neither it nor the token is shown.
dev_token() {
  local user="$1" domain port pf rc=0
  domain="$(stack_config domain)"
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  kube -n "$DATA_NS" port-forward "svc/$IDP_NAME" "$port:$IDP_PORT" >/dev/null 2>&1 &
  pf=$!
  for _ in $(seq 1 30); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    kill -0 "$pf" 2>/dev/null || break # the port-forward gave up
    sleep 1
  done
  kube -n "$DATA_NS" get secret "$IDP_USERS_SECRET" -o "go-template={{index .data \"$IDP_USERS_KEY\" | base64decode}}" \
    | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const u=JSON.parse(s).find((x)=>x.username===process.argv[1]);if(!u)process.exit(1);process.stdout.write(u.password)})' "$user" \
    | (cd "$repo_root" && npx --no-install tsx scripts/lib/sign-in.ts --issuer "https://$domain$IDP_PATH" --base-url "http://127.0.0.1:$port" \
      --user "$user" --client "$IDP_CLIENT" --redirect-uri "https://$domain/" --resource "$IDP_AUDIENCE" --scope "openid email tasks") \
    || rc=$?
  kill "$pf" 2>/dev/null || true
  return "$rc"
}
