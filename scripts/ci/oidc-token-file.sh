#!/usr/bin/env bash
# Keeps a fresh GitHub Actions OIDC token for Entra ID (audience api://AzureADTokenExchange) in a file for the
# rest of the job, for kubelogin's `workloadidentity` login (the AKS stacks' kubeconfig, aks.kubeloginMode):
# kubelogin reads the file on every token request, so a long or first `pulumi up` never runs on the ~10-minute
# session azure/login got once (AADSTS700024), and no token is ever put in an environment variable.
#
# Usage (a GitHub Actions step of a job with `permissions: id-token: write`):
#   scripts/ci/oidc-token-file.sh start [--file PATH] [--interval SECONDS]
#     fetches a token now (fails the step if it cannot), refreshes it every SECONDS (default 120) in the
#     background until the job ends, and exports AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID
#     (from ARM_CLIENT_ID / ARM_TENANT_ID) and AZURE_AUTHORITY_HOST through $GITHUB_ENV.
#   scripts/ci/oidc-token-file.sh fetch --file PATH   one refresh
#   scripts/ci/oidc-token-file.sh stop --file PATH    ends the refresher (its pid is in PATH.pid)
set -euo pipefail

die() { echo "oidc-token-file: $*" >&2; exit 1; }

cmd="${1:-}"; shift || true
file="${RUNNER_TEMP:-/tmp}/azure-federated-token" interval=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --file) file="${2:?--file needs a path}"; shift 2 ;;
    --interval) interval="${2:?--interval needs seconds}"; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ "$interval" =~ ^[0-9]+$ && "$interval" -gt 0 ]] || die "--interval must be a positive number of seconds"

fetch() {
  [[ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" && -n "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]] ||
    die "no ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN: the job needs permissions: id-token: write"
  local tmp="$file.$$.tmp"
  umask 077
  curl -fsS --max-time 20 -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange" |
    node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{let v;try{v=JSON.parse(s).value}catch{process.exit(1)}if(typeof v!=="string"||!v)process.exit(1);process.stdout.write(v)})' \
      > "$tmp" || { rm -f "$tmp"; die "could not fetch a GitHub OIDC token"; }
  mv -f "$tmp" "$file"
}

case "$cmd" in
  fetch) fetch ;;
  start)
    fetch
    [[ -n "${GITHUB_ENV:-}" ]] || die "GITHUB_ENV is not set: run this in a GitHub Actions step"
    {
      echo "AZURE_FEDERATED_TOKEN_FILE=$file"
      echo "AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/"
      if [[ -n "${ARM_CLIENT_ID:-}" ]]; then echo "AZURE_CLIENT_ID=$ARM_CLIENT_ID"; fi
      if [[ -n "${ARM_TENANT_ID:-}" ]]; then echo "AZURE_TENANT_ID=$ARM_TENANT_ID"; fi
    } >> "$GITHUB_ENV"
    # The refresher outlives this step (the runner ends it with the job); a failed refresh is retried next time.
    # shellcheck disable=SC2016 # the loop's $1..$3 are the inner shell's arguments
    nohup bash -c 'while sleep "$1"; do "$2" fetch --file "$3" || echo "oidc-token-file: refresh failed; retrying" >&2; done' \
      _ "$interval" "${BASH_SOURCE[0]}" "$file" > /dev/null 2>&1 &
    echo $! > "$file.pid"
    echo "oidc-token-file: $file refreshed every ${interval}s (pid $(cat "$file.pid"))"
    ;;
  stop)
    if [[ -f "$file.pid" ]]; then kill "$(cat "$file.pid")" 2> /dev/null || true; fi
    rm -f "$file.pid"
    ;;
  *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
