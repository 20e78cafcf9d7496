#!/usr/bin/env bash
# Installs what .ci/run needs beyond Node, idempotently, and prints what it did:
#   Go          when `go` is missing or older than $GO_VERSION: the official toolchain from the Go module
#               proxy (golang.org/toolchain, what GOTOOLCHAIN downloads) into $CI_TOOLS_DIR/../go
#   Java, Maven from Debian's packages when `java` or `mvn` is missing (Kafka's jars are resolved with mvn)
#   actionlint  built from Go modules (pinned) into a cache dir: $CI_TOOLS_DIR (default .cache/ci-tools/bin)
#   ShellCheck  from Debian's packages when it is not on PATH
#   openssl     from Debian's packages when missing (kafka.sh makes the SASL_SSL listener's self-signed certificate)
#   etcd        from Debian's etcd-server package when `etcd` is not on PATH (the kubernetes test tier's
#               kube-apiserver stores into it; kube-apiserver itself is built by
#               scripts/integration/kube-apiserver-binary.sh)
#   promtool, amtool  from Debian's prometheus and prometheus-alertmanager packages when missing (the unit
#               tier checks and tests the generated alert rules and Alertmanager configs with them; the
#               integration tier starts the prometheus binary)
#   podman, buildah, runc, mmdebstrap  from Debian's packages when missing (the container tier: npm run
#               images builds the local base with mmdebstrap and the images with podman); then checks that
#               `podman info` works with the project's tools/images/containers.conf (runc, no rlimits)
#   chromium    from Debian's packages when missing (the browser tier drives it with puppeteer-core; no browser
#               download: CHROMIUM overrides the path)
# apt runs through sudo when not root. Usage: scripts/install-ci-tools.sh
#   then: export PATH="$(scripts/install-ci-tools.sh --print-path):$PATH"
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
# At least tools/dapr/go.mod's `go` line: daprd and the scheduler are built with it.
GO_VERSION="1.26.8"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${CI_TOOLS_DIR:-$repo_root/.cache/ci-tools/bin}"
go_root="$(dirname "$tools_dir")/go/$GO_VERSION/go"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$tools_dir:$go_root/bin"
  exit 0
fi

say() { echo "install-ci-tools: $*"; }
mkdir -p "$tools_dir"
export PATH="$tools_dir:$go_root/bin:$PATH"

apt_install() {
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      say "ERROR: installing $* needs root or sudo: apt-get install -y $*" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  say "installing $* with apt-get"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

# "go1.26.8" -> 1026008, so versions compare as numbers.
go_version_number() { local v="${1#go}"; IFS=. read -r a b c <<<"$v"; echo $(( a * 1000000 + b * 1000 + ${c:-0} )); }

install_go() {
  local have=""
  command -v go >/dev/null 2>&1 && have="$(go env GOVERSION)"
  if [[ -n "$have" ]] && (( $(go_version_number "$have") >= $(go_version_number "$GO_VERSION") )); then
    say "go $have already on PATH"
    return
  fi
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
  local url="${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/v0.0.1-go${GO_VERSION}.${os}-${arch}.zip"
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  say "downloading Go ${GO_VERSION} (${have:-none on PATH}) from $url"
  local tmp
  tmp="$(mktemp -d)"
  curl -fsSL --retry 3 -o "$tmp/go.zip" "$url"
  unzip -q "$tmp/go.zip" -d "$tmp"
  rm -rf "$go_root" && mkdir -p "$(dirname "$go_root")"
  mv "$tmp/golang.org/toolchain@v0.0.1-go${GO_VERSION}.${os}-${arch}" "$go_root"
  chmod +x "$go_root"/bin/* "$go_root"/pkg/tool/*/*
  rm -rf "$tmp"
  say "installed $("$go_root/bin/go" version)"
}

install_java_maven() {
  if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
    say "java $(java -version 2>&1 | head -1 | cut -d'"' -f2) and maven $(mvn -B -v 2>/dev/null | head -1 | cut -d' ' -f3) already on PATH"
    return
  fi
  apt_install default-jdk-headless maven
  say "installed $(java -version 2>&1 | head -1), $(mvn -B -v | head -1)"
}

install_actionlint() {
  local bin="$tools_dir/actionlint"
  if [[ -x "$bin" ]] && [[ "$("$bin" -version | head -1)" == "${ACTIONLINT_VERSION}" ]]; then
    say "actionlint ${ACTIONLINT_VERSION} already in $tools_dir"
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    say "ERROR: go is required to build actionlint (install Go 1.24+ or put actionlint ${ACTIONLINT_VERSION} in $tools_dir)" >&2
    exit 1
  fi
  say "building actionlint ${ACTIONLINT_VERSION} with $(go version | cut -d' ' -f3) into $tools_dir"
  GOBIN="$tools_dir" GOFLAGS=-mod=mod nice -n 10 go install "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}"
  say "installed $("$bin" -version | head -1)"
}

install_shellcheck() {
  if command -v shellcheck >/dev/null 2>&1; then
    say "shellcheck $(shellcheck --version | sed -n 's/^version: //p') already on PATH"
    return
  fi
  apt_install shellcheck
  say "installed shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
}

install_openssl() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  say "$(openssl version)"
}

install_etcd() {
  if command -v etcd >/dev/null 2>&1; then
    say "etcd $(etcd --version | sed -n 's/^etcd Version: //p') already on PATH"
    return
  fi
  apt_install etcd-server
  say "installed etcd $(etcd --version | sed -n 's/^etcd Version: //p')"
}

install_prometheus_tools() {
  local missing=()
  if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then missing+=(prometheus); fi
  command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  if (( ${#missing[@]} > 0 )); then
    apt_install "${missing[@]}"
    # The packages start their daemons where an init system runs; CI needs only the binaries.
    if command -v systemctl >/dev/null 2>&1; then
      for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do systemctl stop "$svc" >/dev/null 2>&1 || true; done
    fi
  fi
  say "$(promtool --version 2>&1 | head -1), $(amtool --version 2>&1 | head -1)"
}

install_containers() {
  local missing=() tool
  for tool in podman buildah runc mmdebstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if (( ${#missing[@]} > 0 )); then
    # uidmap and fuse-overlayfs let a non-root user run podman too; the CI runs as root.
    apt_install "${missing[@]}" uidmap fuse-overlayfs
  fi
  local runtime
  if ! runtime="$(CONTAINERS_CONF="${CONTAINERS_CONF:-$repo_root/tools/images/containers.conf}" podman info --format '{{.Host.OCIRuntime.Name}}' 2>&1)"; then
    say "ERROR: podman info failed with tools/images/containers.conf: $runtime" >&2
    exit 1
  fi
  say "podman $(podman --version | cut -d' ' -f3) (runtime $runtime), buildah $(buildah --version | cut -d' ' -f3), mmdebstrap $(mmdebstrap --version | cut -d' ' -f2)"
}

install_chromium() {
  if [[ -z "${CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then apt_install chromium; fi
  say "$("${CHROMIUM:-chromium}" --version 2>/dev/null | head -1)"
}

install_go
install_java_maven
install_actionlint
install_shellcheck
install_openssl
install_etcd
install_prometheus_tools
install_containers
install_chromium
