#!/usr/bin/env bash
# Finds or builds toxiproxy-server (github.com/Shopify/toxiproxy/v2, MIT: a TCP proxy whose latency,
# bandwidth, reset and timeout "toxics" are set over an HTTP API), the integration tier's network faults,
# then prints on stdout:  TOXIPROXY_VERSION=<version>  TOXIPROXY_SERVER=<path>
# so that callers can `eval "$(scripts/integration/toxiproxy-binary.sh)"`. Progress goes to stderr.
#
# Built from tools/toxiproxy (a Go module that requires the pinned version) into $TOXIPROXY_BIN_DIR,
# keyed by the version and by the hash of tools/toxiproxy/go.mod + go.sum, reusing GOMODCACHE and GOCACHE.
#
# Env:
#   TOXIPROXY_BIN_DIR    build output dir (default $TASKS_PLATFORM_CACHE/toxiproxy/<version>)
#   TASKS_PLATFORM_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tasks-platform)
#   TOXIPROXY_BUILD_NICE nice level of the Go build (default 15)
set -euo pipefail
LOG_TAG=toxiproxy
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODULE_DIR="$REPO_ROOT/tools/toxiproxy"
[[ -f "$MODULE_DIR/go.mod" ]] || die "missing $MODULE_DIR/go.mod"
TOXIPROXY_VERSION="$(awk '$1 == "require" && $2 == "github.com/Shopify/toxiproxy/v2" { sub(/^v/, "", $3); print $3; exit }' "$MODULE_DIR/go.mod")"
[[ -n "$TOXIPROXY_VERSION" ]] || die "cannot read the github.com/Shopify/toxiproxy/v2 version from $MODULE_DIR/go.mod"
TOXIPROXY_BIN_DIR="${TOXIPROXY_BIN_DIR:-$TASKS_PLATFORM_CACHE/toxiproxy/$TOXIPROXY_VERSION}"
BIN="$TOXIPROXY_BIN_DIR/toxiproxy-server"

build() {
  local stamp_file="$TOXIPROXY_BIN_DIR/.stamp" stamp_want
  stamp_want="v$TOXIPROXY_VERSION $(sha256_of "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum") $(go env GOVERSION 2>/dev/null || echo no-go)"
  if [[ -x "$BIN" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]]; then
    log "cached: $BIN"
    return 0
  fi
  require_cmd go "install Go (scripts/install-ci-tools.sh) to build toxiproxy-server v$TOXIPROXY_VERSION"
  local build_log="$TOXIPROXY_BIN_DIR/build.log" started=$SECONDS out rc=0
  out="$(mktemp -d "$TOXIPROXY_BIN_DIR/.build.XXXXXX")"
  log "building toxiproxy-server v$TOXIPROXY_VERSION with $(go env GOVERSION) (log: $build_log)"
  ( cd "$MODULE_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:-} -mod=readonly" \
      nice -n "${TOXIPROXY_BUILD_NICE:-15}" go build -trimpath \
        -ldflags "-s -w -X github.com/Shopify/toxiproxy/v2.Version=$TOXIPROXY_VERSION" \
        -o "$out/toxiproxy-server" github.com/Shopify/toxiproxy/v2/cmd/server ) >"$build_log" 2>&1 || rc=$?
  if (( rc != 0 )); then
    rm -rf "$out"
    tail -n 30 "$build_log" >&2
    die "go build of toxiproxy-server failed (exit $rc) after $(( SECONDS - started ))s; full log: $build_log"
  fi
  mv -f "$out/toxiproxy-server" "$BIN"
  rm -rf "$out"
  printf '%s\n' "$stamp_want" >"$stamp_file"
  log "built toxiproxy-server in $(( SECONDS - started ))s into $TOXIPROXY_BIN_DIR"
}

mkdir -p "$TOXIPROXY_BIN_DIR"
with_lock "$TOXIPROXY_BIN_DIR/.lock" build
[[ -x "$BIN" ]] || die "toxiproxy-server is not executable: $BIN"
printf 'TOXIPROXY_VERSION=%q\nTOXIPROXY_SERVER=%q\n' "$TOXIPROXY_VERSION" "$BIN"
