#!/usr/bin/env bash
# Installs the linters .ci/run needs, idempotently, and prints what it did:
#   actionlint  built from Go modules (pinned) into a cache dir: $CI_TOOLS_DIR (default .cache/ci-tools/bin)
#   ShellCheck  from Debian's packages when it is not on PATH (sudo only when not root)
# Usage: scripts/install-ci-tools.sh     then: export PATH="$(scripts/install-ci-tools.sh --print-path):$PATH"
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${CI_TOOLS_DIR:-$repo_root/.cache/ci-tools/bin}"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$tools_dir"
  exit 0
fi

say() { echo "install-ci-tools: $*"; }
mkdir -p "$tools_dir"

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
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      say "ERROR: shellcheck is missing and installing it needs root or sudo: apt-get install -y shellcheck" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  say "installing shellcheck with apt-get"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq shellcheck >/dev/null
  say "installed shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
}

install_actionlint
install_shellcheck
