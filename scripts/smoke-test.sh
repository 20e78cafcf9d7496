#!/usr/bin/env bash
# Smoke test of a deployed stack through its public ingress:
#   1. health: every public HTTP route in the catalog answers 401 without a token (the service behind
#      the ingress is up and enforces auth; 404/502/503 from the ingress are retried until --timeout);
#      routes authenticated by a token in the URL (the calendar feed) have no token-less answer to probe;
#   2. a task round trip with a token: create, read back, complete, see both operations in the audit
#      trail (tasks API -> outbox -> Dapr pub/sub -> audit service), then delete the task.
#
# Usage: scripts/smoke-test.sh --base-url https://tasks.dev.example.com [token source] [TLS] [--timeout 120]
# Token source (the token is never printed; in GitHub Actions it is also masked):
#   --token-cmd 'CMD'   a shell command that prints an access token from the stack's identity provider, e.g.
#                       "az account get-access-token --resource api://<tenant>/tasks-dev-api --query accessToken -o tsv" (Entra ID)
#                       or "<password> | npm run sign-in -s -- --issuer <url> --user <name> ..." (code + PKCE, a test user)
#   --token-file FILE   a file holding the JWT
#   --token-env VAR     an environment variable holding the JWT (default: SMOKE_TOKEN)
# TLS: --cacert FILE (e.g. the local stack's self-signed CA) or --insecure; --tls-issuer ISSUER names the
#   stack's cert-manager issuer (tasks-platform:tlsIssuer): letsencrypt-staging trusts Let's Encrypt's staging
#   roots (fetched from $SMOKE_STAGING_ROOTS_URL, default https://letsencrypt.org/certs/staging) and only them.
# --resolve HOST:PORT:ADDRESS pins the host's address (curl --resolve), e.g. the minikube node.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_url="" token_cmd="" token_file="" token_env="SMOKE_TOKEN" timeout=120
curl_tls=()
curl_resolve=()
tls_issuer=""

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "smoke-test: FAIL: $*" >&2; exit 1; }
say() { echo "smoke-test: $*"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --base-url) base_url="${2:?--base-url needs a value}"; shift 2 ;;
    --token-cmd) token_cmd="${2:?--token-cmd needs a value}"; shift 2 ;;
    --token-file) token_file="${2:?--token-file needs a value}"; shift 2 ;;
    --token-env) token_env="${2:?--token-env needs a value}"; shift 2 ;;
    --cacert) curl_tls=(--cacert "${2:?--cacert needs a value}"); shift 2 ;;
    --insecure) curl_tls=(--insecure); shift ;;
    --tls-issuer) tls_issuer="${2:?--tls-issuer needs a value}"; shift 2 ;;
    --resolve) curl_resolve=(--resolve "${2:?--resolve needs HOST:PORT:ADDRESS}"); shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$base_url" ]] || { usage >&2; die "--base-url is required"; }
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
base_url="${base_url%/}"
command -v curl >/dev/null || die "curl is required"
command -v node >/dev/null || die "node is required"

work="$(mktemp -d)"
task_id=""
cleanup() {
  if [[ -n "$task_id" ]]; then
    request DELETE "$tasks_route/$task_id" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Dev's certificate comes from Let's Encrypt staging, whose roots no trust store holds: trust those (and only
# those) for this run, instead of failing every dev deploy or switching verification off.
case "$tls_issuer" in
  "" | letsencrypt-prod | selfsigned) ;;
  letsencrypt-staging)
    [[ ${#curl_tls[@]} -eq 0 ]] || die "--tls-issuer letsencrypt-staging decides the trust itself: drop --cacert/--insecure"
    roots_url="${SMOKE_STAGING_ROOTS_URL:-https://letsencrypt.org/certs/staging}"
    for root in letsencrypt-stg-root-x1 letsencrypt-stg-root-x2; do
      curl -fsS --max-time 20 "$roots_url/$root.pem" >> "$work/staging-roots.pem" || die "cannot fetch $roots_url/$root.pem"
      echo >> "$work/staging-roots.pem"
    done
    grep -q 'BEGIN CERTIFICATE' "$work/staging-roots.pem" || die "$roots_url: no certificate in the staging roots"
    curl_tls=(--cacert "$work/staging-roots.pem")
    say "trusting Let's Encrypt's staging roots (from $roots_url) for $base_url"
    ;;
  *) die "--tls-issuer: unknown issuer \"$tls_issuer\" (letsencrypt-staging, letsencrypt-prod or selfsigned)" ;;
esac

# The token goes into a header file readable only by us, never onto a command line.
token=""
if [[ -n "$token_cmd" ]]; then
  token="$(bash -c "$token_cmd")" || die "the --token-cmd command failed"
elif [[ -n "$token_file" ]]; then
  token="$(tr -d '\r\n' < "$token_file")"
else
  token="${!token_env:-}"
fi
[[ -n "$token" ]] || die "no token: pass --token-cmd, --token-file or set \$$token_env"
[[ -n "${GITHUB_ACTIONS:-}" ]] && echo "::add-mask::$token"
umask 077
printf 'Authorization: Bearer %s\n' "$token" > "$work/auth-header"
unset token

# Field $1 of the JSON on stdin (dotted path; arrays by index); empty when absent.
json() {
  node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let v; try { v = JSON.parse(s); } catch { process.exit(0); }
      for (const k of process.argv[1].split(".").filter(Boolean)) v = v == null ? undefined : v[k];
      if (v !== undefined && v !== null) console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
    });' "$1"
}

# request METHOD PATH [JSON_BODY] [noauth]: prints the status; the body is left in $work/body.
request() {
  local method="$1" path="$2" body="${3:-}" auth="${4:-auth}"
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$method" --max-time 20 "${curl_tls[@]}" "${curl_resolve[@]}")
  [[ "$auth" == "auth" ]] && args+=(-H "@$work/auth-header")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$base_url$path" || echo "000"
}

expect_status() {
  local want="$1" got="$2" what="$3"
  [[ "$got" == "$want" ]] || die "$what: expected HTTP $want, got $got: $(head -c 400 "$work/body" 2>/dev/null)"
}

# Routes come from the service catalog, never hand-copied.
routes="$(cd "$repo_root" && npx --no-install tsx -e '
  import { services } from "@tasks/catalog";
  const http = Object.values(services).flatMap((s) => s.publicRoutes.filter((r) => !r.websocket && !r.static && r.auth !== "url-token").map((r) => r.path));
  console.log(JSON.stringify({ tasks: services["tasks-api"].publicRoutes[0]?.path, audit: services.audit.publicRoutes[0]?.path, http }));
')"
tasks_route="$(json tasks <<<"$routes")"
audit_route="$(json audit <<<"$routes")"
mapfile -t http_routes < <(node -e 'for (const r of JSON.parse(process.argv[1]).http) console.log(r)' "$routes")

say "health of ${#http_routes[@]} public routes at $base_url (up to ${timeout}s)"
deadline=$((SECONDS + timeout))
for route in "${http_routes[@]}"; do
  while :; do
    status="$(request GET "$route" "" noauth)"
    [[ "$status" == "401" ]] && { say "  $route -> 401 without a token (up, auth enforced)"; break; }
    if [[ ! "$status" =~ ^(000|404|502|503|504)$ ]] || (( SECONDS >= deadline )); then
      die "$route without a token: expected 401, got $status"
    fi
    sleep 5
  done
done

status="$(request GET "$tasks_route?limit=1")"
expect_status 200 "$status" "GET $tasks_route with a token"

title="smoke-test $(date -u +%Y-%m-%dT%H:%M:%SZ) $RANDOM"
status="$(request POST "$tasks_route" "{\"title\":\"$title\",\"priority\":\"low\",\"tags\":[\"smoke-test\"]}")"
expect_status 201 "$status" "POST $tasks_route"
task_id="$(json id < "$work/body")"
[[ -n "$task_id" ]] || die "POST $tasks_route returned no id: $(head -c 400 "$work/body")"
say "created task $task_id"

status="$(request GET "$tasks_route/$task_id")"
expect_status 200 "$status" "GET $tasks_route/$task_id"
[[ "$(json title < "$work/body")" == "$title" ]] || die "GET $tasks_route/$task_id returned another title"

status="$(request POST "$tasks_route/$task_id/complete")"
expect_status 200 "$status" "POST $tasks_route/$task_id/complete"
say "completed task $task_id"

say "waiting for the audit trail (event round trip through pub/sub)"
while :; do
  status="$(request GET "$audit_route?taskId=$task_id")"
  actions="$(node -e '
    const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const items = Array.isArray(b) ? b : (b.items ?? b.data ?? b.entries ?? []);
    console.log(items.map((e) => e.action).sort().join(","));' "$work/body" 2>/dev/null || true)"
  if [[ "$status" == "200" && "$actions" == *completed* && "$actions" == *created* ]]; then
    say "audit trail has: $actions"
    break
  fi
  (( SECONDS < deadline )) || die "audit trail for $task_id incomplete after ${timeout}s (HTTP $status, actions: ${actions:-none})"
  sleep 3
done

status="$(request DELETE "$tasks_route/$task_id")"
expect_status 204 "$status" "DELETE $tasks_route/$task_id"
task_id=""
say "PASS"
