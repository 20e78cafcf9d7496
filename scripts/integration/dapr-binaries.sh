#!/usr/bin/env bash
# Finds or builds daprd, the Dapr scheduler and the Dapr sentry (the CA that gives sidecars their mTLS
# identities, so access-control policies apply on this machine too), then prints on stdout:
#   DAPR_VERSION=<version>  DAPRD=<path>  DAPR_SCHEDULER=<path>  DAPR_SENTRY=<path>
# so that callers can `eval "$(scripts/integration/dapr-binaries.sh)"`. Progress goes to stderr.
#
# Lookup order, for each binary: PATH, then ~/.dapr/bin (what `dapr init --slim` installs), then the
# build cache. A missing binary is built from tools/dapr (a Go module that requires the pinned
# github.com/dapr/dapr) into $DAPR_BIN_DIR, keyed by the dapr version and by the hash of
# tools/dapr/go.mod + go.sum, reusing GOMODCACHE and GOCACHE.
#
# Env:
#   DAPR_BIN_DIR         build output dir (default $TASKS_PLATFORM_CACHE/dapr/<version>)
#   TASKS_PLATFORM_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tasks-platform)
#   DAPR_FORCE_BUILD=1   ignore PATH and ~/.dapr/bin, always use the build cache
#   DAPR_BUILD_NICE      nice level of the Go build (default 15)
#   DAPR_BUILD_PARALLEL  go build -p (default: Go's default, the number of CPUs)
set -euo pipefail
LOG_TAG=dapr
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODULE_DIR="$REPO_ROOT/tools/dapr"
[[ -f "$MODULE_DIR/go.mod" ]] || die "missing $MODULE_DIR/go.mod"

# The pinned version is the one tools/dapr/go.mod requires: there is no second place to update.
DAPR_VERSION="$(awk '$1 == "github.com/dapr/dapr" && $2 ~ /^v/ { sub(/^v/, "", $2); print $2; exit }' "$MODULE_DIR/go.mod")"
[[ -n "$DAPR_VERSION" ]] || die "cannot read the github.com/dapr/dapr version from $MODULE_DIR/go.mod"
DAPR_BIN_DIR="${DAPR_BIN_DIR:-$TASKS_PLATFORM_CACHE/dapr/$DAPR_VERSION}"

# find_installed NAME: print the path of an already-installed NAME, if any. "sentry" is too generic a
# name to take from PATH: only ~/.dapr/bin and the build cache count for it.
find_installed() {
  [[ "${DAPR_FORCE_BUILD:-0}" == 1 ]] && return 0
  local p
  if [[ "$1" != sentry ]] && p="$(command -v "$1" 2>/dev/null)"; then printf '%s\n' "$p"; return 0; fi
  if [[ -x "$HOME/.dapr/bin/$1" ]]; then printf '%s\n' "$HOME/.dapr/bin/$1"; return 0; fi
  return 0
}

# check_go: the Go toolchain must be at least the `go` line of tools/dapr/go.mod.
check_go() {
  require_cmd go "install Go >= $(go_required) to build daprd/scheduler, or put daprd and scheduler on PATH or in ~/.dapr/bin (dapr init --slim)"
  local have need
  have="$(go env GOVERSION)"; have="${have#go}"
  need="$(go_required)"
  if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]]; then
    die "Go $have is older than the go $need that dapr v$DAPR_VERSION needs (tools/dapr/go.mod): install a newer Go, or run with GOTOOLCHAIN=auto to let the go command fetch it"
  fi
}
go_required() { awk '$1 == "go" { print $2; exit }' "$MODULE_DIR/go.mod"; }

# build NAME...: build the given commands (daprd, scheduler, sentry) into $DAPR_BIN_DIR. Holds the cache lock.
build() {
  local stamp_want stamp_file="$DAPR_BIN_DIR/.stamp" missing=() name
  stamp_want="v$DAPR_VERSION $(sha256_of "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum") $(go env GOVERSION)"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" != "$stamp_want" ]]; then
    log "cache $DAPR_BIN_DIR was built from other inputs ($(cat "$stamp_file")): rebuilding"
    rm -f "$stamp_file"
    for name in "$@"; do rm -f "$DAPR_BIN_DIR/$name"; done
  fi
  for name in "$@"; do [[ -x "$DAPR_BIN_DIR/$name" && -f "$stamp_file" ]] || missing+=("$name"); done
  (( ${#missing[@]} == 0 )) && { log "cached: $DAPR_BIN_DIR"; return 0; }

  check_go
  local pkgs=() out build_log="$DAPR_BIN_DIR/build.log" started=$SECONDS
  for name in "${missing[@]}"; do pkgs+=("github.com/dapr/dapr/cmd/$name"); done
  out="$(mktemp -d "$DAPR_BIN_DIR/.build.XXXXXX")"
  log "building ${missing[*]} of dapr v$DAPR_VERSION with $(go env GOVERSION) (cold: several minutes on 2 cores; module cache $(go env GOMODCACHE), build cache $(go env GOCACHE))"
  log "build log: $build_log"
  local args=(build -tags stablecomponents -trimpath
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION"
    -o "$out/")
  [[ -n "${DAPR_BUILD_PARALLEL:-}" ]] && args+=(-p "$DAPR_BUILD_PARALLEL")
  heartbeat_start "still building ${missing[*]}"
  local rc=0
  ( cd "$MODULE_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:-} -mod=readonly" \
      nice -n "${DAPR_BUILD_NICE:-15}" go "${args[@]}" "${pkgs[@]}" ) >"$build_log" 2>&1 || rc=$?
  heartbeat_stop
  if (( rc != 0 )); then
    rm -rf "$out"
    tail -n 30 "$build_log" >&2
    die "go build of ${missing[*]} failed (exit $rc) after $(( SECONDS - started ))s; full log: $build_log"
  fi
  for name in "${missing[@]}"; do mv -f "$out/$name" "$DAPR_BIN_DIR/$name"; done
  rm -rf "$out"
  printf '%s\n' "$stamp_want" >"$stamp_file"
  log "built ${missing[*]} in $(( SECONDS - started ))s into $DAPR_BIN_DIR"
}

main() {
  local daprd scheduler sentry to_build=()
  daprd="$(find_installed daprd)"
  scheduler="$(find_installed scheduler)"
  sentry="$(find_installed sentry)"
  [[ -n "$daprd" ]] && log "using installed daprd: $daprd ($("$daprd" --version 2>/dev/null || echo 'version unknown'))" || to_build+=(daprd)
  [[ -n "$scheduler" ]] && log "using installed scheduler: $scheduler" || to_build+=(scheduler)
  [[ -n "$sentry" ]] && log "using installed sentry: $sentry" || to_build+=(sentry)

  if (( ${#to_build[@]} > 0 )); then
    mkdir -p "$DAPR_BIN_DIR"
    with_lock "$DAPR_BIN_DIR/.lock" build "${to_build[@]}"
    [[ -z "$daprd" ]] && daprd="$DAPR_BIN_DIR/daprd"
    [[ -z "$scheduler" ]] && scheduler="$DAPR_BIN_DIR/scheduler"
    [[ -z "$sentry" ]] && sentry="$DAPR_BIN_DIR/sentry"
  fi
  [[ -x "$daprd" ]] || die "daprd is not executable: $daprd"
  [[ -x "$scheduler" ]] || die "scheduler is not executable: $scheduler"
  [[ -x "$sentry" ]] || die "sentry is not executable: $sentry"
  log "daprd:     $daprd"
  log "scheduler: $scheduler"
  log "sentry:    $sentry"
  printf 'DAPR_VERSION=%q\nDAPRD=%q\nDAPR_SCHEDULER=%q\nDAPR_SENTRY=%q\n' "$DAPR_VERSION" "$daprd" "$scheduler" "$sentry"
}

main "$@"
