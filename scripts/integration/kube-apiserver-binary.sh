#!/usr/bin/env bash
# Finds or builds the binaries of the kubernetes test tier, then prints on stdout:
#   KUBERNETES_VERSION=<version>  KUBE_APISERVER=<path>  ETCD=<path>
# so that callers can `out="$(scripts/integration/kube-apiserver-binary.sh)" && eval "$out"`.
# Progress goes to stderr.
#
# kube-apiserver is built from tools/kubernetes (a Go module requiring the pinned k8s.io/kubernetes, the
# minor the AKS stacks run) into $KUBE_BIN_DIR, keyed by the version, the hash of tools/kubernetes/go.mod +
# go.sum and the Go version, reusing GOMODCACHE and GOCACHE. A kube-apiserver on PATH is not used: its
# version would be whatever that machine has. etcd is Debian's etcd-server (scripts/install-ci-tools.sh
# installs it in CI), found on PATH.
#
# Env:
#   KUBE_APISERVER       use this kube-apiserver binary instead of the build cache (its version is checked)
#   KUBE_BIN_DIR         build output dir (default $TASKS_PLATFORM_CACHE/kubernetes/<version>)
#   TASKS_PLATFORM_CACHE cache root (default ${XDG_CACHE_HOME:-~/.cache}/tasks-platform)
#   KUBE_BUILD_NICE      nice level of the Go build (default 15)
#   KUBE_BUILD_PARALLEL  go build -p (default: Go's default, the number of CPUs)
#   ETCD                 use this etcd binary instead of the one on PATH
set -euo pipefail
LOG_TAG=kube-apiserver
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODULE_DIR="$REPO_ROOT/tools/kubernetes"
[[ -f "$MODULE_DIR/go.mod" ]] || die "missing $MODULE_DIR/go.mod"

# The pinned version is the one tools/kubernetes/go.mod requires: there is no second place to update.
KUBERNETES_VERSION="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { sub(/^v/, "", $3); print $3; exit }' "$MODULE_DIR/go.mod")"
[[ -n "$KUBERNETES_VERSION" ]] || die "cannot read the k8s.io/kubernetes version from $MODULE_DIR/go.mod"
KUBE_BIN_DIR="${KUBE_BIN_DIR:-$TASKS_PLATFORM_CACHE/kubernetes/$KUBERNETES_VERSION}"

go_required() { awk '$1 == "go" { print $2; exit }' "$MODULE_DIR/go.mod"; }

# check_go: the Go toolchain must be at least the `go` line of tools/kubernetes/go.mod.
check_go() {
  require_cmd go "install Go >= $(go_required) to build kube-apiserver (scripts/install-ci-tools.sh does), or set KUBE_APISERVER to a v$KUBERNETES_VERSION binary"
  local have need
  have="$(go env GOVERSION)"; have="${have#go}"
  need="$(go_required)"
  if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]]; then
    die "Go $have is older than the go $need that kubernetes v$KUBERNETES_VERSION needs (tools/kubernetes/go.mod)"
  fi
}

# build: kube-apiserver into $KUBE_BIN_DIR unless a build from the same inputs is there. Holds the cache lock.
build() {
  local stamp_file="$KUBE_BIN_DIR/.stamp" bin="$KUBE_BIN_DIR/kube-apiserver" stamp_want
  check_go
  stamp_want="v$KUBERNETES_VERSION $(sha256_of "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum") $(go env GOVERSION)"
  if [[ -x "$bin" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]]; then
    log "cached: $bin"
    return 0
  fi
  [[ -f "$stamp_file" ]] && log "cache $KUBE_BIN_DIR was built from other inputs ($(cat "$stamp_file")): rebuilding"
  rm -f "$stamp_file" "$bin"

  local out build_log="$KUBE_BIN_DIR/build.log" started=$SECONDS
  out="$(mktemp -d "$KUBE_BIN_DIR/.build.XXXXXX")"
  log "building kube-apiserver v$KUBERNETES_VERSION with $(go env GOVERSION) (cold: about 3-6 minutes on 2 cores; module cache $(go env GOMODCACHE), build cache $(go env GOCACHE))"
  log "build log: $build_log"
  # What hack/lib/version.sh stamps into a release build, so the server reports its real version.
  local minor="${KUBERNETES_VERSION#*.}"; minor="${minor%%.*}"
  local vpkg=k8s.io/component-base/version
  local ldflags="-s -w -X $vpkg.gitVersion=v$KUBERNETES_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean"
  local args=(build -trimpath -ldflags "$ldflags" -o "$out/kube-apiserver")
  [[ -n "${KUBE_BUILD_PARALLEL:-}" ]] && args+=(-p "$KUBE_BUILD_PARALLEL")
  heartbeat_start "still building kube-apiserver"
  local rc=0
  ( cd "$MODULE_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:-} -mod=readonly" \
      nice -n "${KUBE_BUILD_NICE:-15}" go "${args[@]}" k8s.io/kubernetes/cmd/kube-apiserver ) >"$build_log" 2>&1 || rc=$?
  heartbeat_stop
  if (( rc != 0 )); then
    rm -rf "$out"
    tail -n 30 "$build_log" >&2
    die "go build of kube-apiserver failed (exit $rc) after $(( SECONDS - started ))s; full log: $build_log"
  fi
  mv -f "$out/kube-apiserver" "$bin"
  rm -rf "$out"
  printf '%s\n' "$stamp_want" >"$stamp_file"
  log "built kube-apiserver in $(( SECONDS - started ))s into $KUBE_BIN_DIR ($(du -h "$bin" | cut -f1))"
}

main() {
  local apiserver="${KUBE_APISERVER:-}" etcd="${ETCD:-}"
  if [[ -z "$apiserver" ]]; then
    mkdir -p "$KUBE_BIN_DIR"
    with_lock "$KUBE_BIN_DIR/.lock" build
    apiserver="$KUBE_BIN_DIR/kube-apiserver"
  fi
  [[ -x "$apiserver" ]] || die "kube-apiserver is not executable: $apiserver"
  local reported
  reported="$("$apiserver" --version 2>/dev/null | awk '{ print $2 }')"
  [[ "$reported" == "v$KUBERNETES_VERSION" ]] || die "$apiserver reports ${reported:-no version}, expected v$KUBERNETES_VERSION (tools/kubernetes/go.mod)"

  if [[ -z "$etcd" ]]; then
    etcd="$(command -v etcd 2>/dev/null)" || die "etcd not found on PATH: install Debian's etcd-server (apt-get install etcd-server; scripts/install-ci-tools.sh does), or set ETCD"
  fi
  [[ -x "$etcd" ]] || die "etcd is not executable: $etcd"
  log "kube-apiserver: $apiserver ($reported)"
  log "etcd:           $etcd ($("$etcd" --version 2>/dev/null | head -n1))"
  printf 'KUBERNETES_VERSION=%q\nKUBE_APISERVER=%q\nETCD=%q\n' "$KUBERNETES_VERSION" "$apiserver" "$etcd"
}

main "$@"
