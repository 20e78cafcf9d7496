#!/usr/bin/env bash
# Finds or builds the Pulumi CLI and the Node.js language host, then prints on stdout:
#   PULUMI_VERSION=<v>  PULUMI_CLI=<path>  PULUMI_LANGUAGE_NODEJS=<path>  PULUMI_BIN_DIR=<dir>
# so that callers can `out="$(scripts/integration/pulumi-binaries.sh)" && eval "$out"`. Progress goes to stderr.
#
# Both are built from wrapper Go modules that pin them (tools/pulumi/cli: pkg/v3 + sdk/v3 at one version;
# tools/pulumi/language-nodejs: sdk/v3 v3.68.0, the last release that carries the host as a package) into
# $PULUMI_BIN_DIR, keyed by the hash of both go.mod + go.sum and the Go version; GOMODCACHE and GOCACHE are
# reused. PULUMI_BIN_DIR also holds the host under the name the engine looks for on PATH.
#
# Env:
#   PULUMI_BIN_DIR       build output dir (default $TASKS_PLATFORM_CACHE/pulumi/<version>)
#   TASKS_PLATFORM_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tasks-platform)
#   PULUMI_BUILD_NICE    nice level of the Go build (default 15)
#   PULUMI_BUILD_PARALLEL go build -p (default: Go's default, the number of CPUs)
set -euo pipefail
LOG_TAG=pulumi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLI_DIR="$REPO_ROOT/tools/pulumi/cli"
HOST_DIR="$REPO_ROOT/tools/pulumi/language-nodejs"
for d in "$CLI_DIR" "$HOST_DIR"; do [[ -f "$d/go.mod" ]] || die "missing $d/go.mod"; done

# module_version DIR MODULE: the version DIR/go.mod requires (there is no second place to update).
module_version() { awk -v m="$2" '($1 == m || ($1 == "require" && $2 == m)) { for (i = 1; i <= NF; i++) if ($i ~ /^v[0-9]/) { print $i; exit } }' "$1/go.mod"; }
PULUMI_VERSION="$(module_version "$CLI_DIR" github.com/pulumi/pulumi/pkg/v3)"
HOST_VERSION="$(module_version "$HOST_DIR" github.com/pulumi/pulumi/sdk/v3)"
[[ -n "$PULUMI_VERSION" && -n "$HOST_VERSION" ]] || die "cannot read the pulumi versions from tools/pulumi/*/go.mod"
PULUMI_BIN_DIR="${PULUMI_BIN_DIR:-$TASKS_PLATFORM_CACHE/pulumi/${PULUMI_VERSION#v}}"

go_required() { awk '$1 == "go" { print $2; exit }' "$CLI_DIR/go.mod"; }
check_go() {
  require_cmd go "install Go >= $(go_required) to build the Pulumi CLI (scripts/install-ci-tools.sh installs it)"
  local have need
  have="$(go env GOVERSION)"; have="${have#go}"
  need="$(go_required)"
  if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]]; then
    die "Go $have is older than the go $need that pulumi $PULUMI_VERSION needs (tools/pulumi/cli/go.mod)"
  fi
}

# go_build MODULE_DIR OUT PACKAGE VERSION: one binary, with the version the CLI reports stamped in.
go_build() {
  local dir="$1" out="$2" pkg="$3" version="$4" build_log="$PULUMI_BIN_DIR/build.log"
  local args=(build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$out")
  [[ -n "${PULUMI_BUILD_PARALLEL:-}" ]] && args+=(-p "$PULUMI_BUILD_PARALLEL")
  ( cd "$dir" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:-} -mod=readonly" \
      nice -n "${PULUMI_BUILD_NICE:-15}" go "${args[@]}" "$pkg" ) >>"$build_log" 2>&1
}

build() {
  local stamp_file="$PULUMI_BIN_DIR/.stamp" stamp_want
  stamp_want="$PULUMI_VERSION $HOST_VERSION $(sha256_of "$CLI_DIR/go.mod" "$CLI_DIR/go.sum" "$HOST_DIR/go.mod" "$HOST_DIR/go.sum") $(go env GOVERSION 2>/dev/null || echo no-go)"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" && -x "$PULUMI_BIN_DIR/pulumi" && -x "$PULUMI_BIN_DIR/pulumi-language-nodejs" ]]; then
    log "cached: $PULUMI_BIN_DIR"
    return 0
  fi
  [[ -f "$stamp_file" ]] && log "cache $PULUMI_BIN_DIR was built from other inputs ($(cat "$stamp_file")): rebuilding"
  rm -f "$stamp_file" "$PULUMI_BIN_DIR/pulumi" "$PULUMI_BIN_DIR/pulumi-language-nodejs"
  check_go
  local started=$SECONDS out rc=0
  out="$(mktemp -d "$PULUMI_BIN_DIR/.build.XXXXXX")"
  : >"$PULUMI_BIN_DIR/build.log"
  log "building pulumi $PULUMI_VERSION and pulumi-language-nodejs $HOST_VERSION with $(go env GOVERSION) (cold: ~4 min on 2 cores; build log $PULUMI_BIN_DIR/build.log)"
  heartbeat_start "still building the Pulumi CLI and language host"
  go_build "$HOST_DIR" "$out/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$HOST_VERSION" &&
    go_build "$CLI_DIR" "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$PULUMI_VERSION" || rc=$?
  heartbeat_stop
  if (( rc != 0 )); then
    rm -rf "$out"
    tail -n 30 "$PULUMI_BIN_DIR/build.log" >&2
    die "go build failed (exit $rc) after $(( SECONDS - started ))s; full log: $PULUMI_BIN_DIR/build.log"
  fi
  mv -f "$out/pulumi" "$out/pulumi-language-nodejs" "$PULUMI_BIN_DIR/"
  rm -rf "$out"
  printf '%s\n' "$stamp_want" >"$stamp_file"
  log "built in $(( SECONDS - started ))s into $PULUMI_BIN_DIR ($(du -sh "$PULUMI_BIN_DIR" | cut -f1))"
}

main() {
  mkdir -p "$PULUMI_BIN_DIR"
  with_lock "$PULUMI_BIN_DIR/.lock" build
  log "pulumi: $("$PULUMI_BIN_DIR/pulumi" version)"
  printf 'PULUMI_VERSION=%q\nPULUMI_CLI=%q\nPULUMI_LANGUAGE_NODEJS=%q\nPULUMI_BIN_DIR=%q\n' \
    "$PULUMI_VERSION" "$PULUMI_BIN_DIR/pulumi" "$PULUMI_BIN_DIR/pulumi-language-nodejs" "$PULUMI_BIN_DIR"
}

main "$@"
