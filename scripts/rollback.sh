#!/usr/bin/env bash
# Rolls a stack back. Two modes (docs/OPERATIONS.md, "Roll back"):
#
#   redeploy (default): runs `pulumi up` from an earlier commit of this repository, in a temporary git
#     worktree. The images are built by the program with content-derived tags, so the earlier commit
#     deploys exactly the earlier image tags (still in the registry), along with the earlier
#     infrastructure and configuration. Without --to, the commit comes from `pulumi stack history`
#     (scripts/lib/rollback-target.ts: the last good deployment before the current one).
#       scripts/rollback.sh --stack dev [--to <git-ref>] [--preview-only] [--yes]
#
#   restore-state: replaces the stack's STATE with an earlier checkpoint and refreshes it: a version
#     number (`pulumi stack export --version N`; Pulumi Cloud keeps every version, a self-managed
#     backend only with PULUMI_RETAIN_CHECKPOINTS=true) or a file from an earlier export, such as the
#     backups this script writes. This repairs Pulumi's record after a broken update (a corrupted or
#     hand-edited state); it does not change any cloud resource.
#       scripts/rollback.sh --stack dev --restore-state <version | file.json> [--yes]
#
# Either way the current state is exported first to .tmp/rollback/<stack>-<UTC time>.json (secrets stay
# encrypted). Needs: git, node/npm, the pulumi CLI logged in to the stack's backend, and cloud login.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="" to_ref="" restore_version="" assume_yes=false preview_only=false

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "rollback: $*" >&2; exit 1; }
say() { echo "rollback: $*"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a value}"; shift 2 ;;
    --to) to_ref="${2:?--to needs a git ref}"; shift 2 ;;
    --restore-state) restore_version="${2:?--restore-state needs a stack version}"; shift 2 ;;
    --preview-only) preview_only=true; shift ;;
    --yes|-y) assume_yes=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "$stack" ]] || { usage >&2; die "--stack is required"; }
[[ -z "$to_ref" || -z "$restore_version" ]] || die "--to and --restore-state are different modes: pass one"
command -v pulumi >/dev/null || die "the pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/)"
cd "$repo_root"

confirm() {
  $assume_yes && return 0
  [[ -t 0 ]] || die "$1: pass --yes to confirm when not running in a terminal"
  local answer
  read -r -p "$1 [y/N] " answer
  [[ "$answer" == "y" || "$answer" == "Y" ]] || die "cancelled"
}

backup_dir="$repo_root/.tmp/rollback"
mkdir -p "$backup_dir"
backup="$backup_dir/${stack//\//_}-$(date -u +%Y%m%dT%H%M%SZ).json"
pulumi stack export --stack "$stack" --file "$backup"
say "saved the current state to ${backup#"$repo_root"/} (secrets encrypted)"

if [[ -n "$restore_version" ]]; then
  old="$(mktemp)"
  trap 'rm -f "$old"' EXIT
  if [[ -f "$restore_version" ]]; then
    cp "$restore_version" "$old"
  elif [[ "$restore_version" =~ ^[0-9]+$ ]]; then
    pulumi stack export --stack "$stack" --version "$restore_version" --file "$old"
  else
    die "--restore-state takes a stack version number (pulumi stack history --stack $stack) or an exported state file"
  fi
  say "this replaces the state of $stack with $restore_version; cloud resources are not changed"
  confirm "Import state $restore_version into $stack?"
  pulumi stack import --stack "$stack" --file "$old"
  say "refreshing the restored state against the cloud"
  pulumi refresh --stack "$stack" --yes --non-interactive
  say "done: run 'pulumi preview --stack $stack' to see what the current program would change"
  exit 0
fi

if [[ -n "$to_ref" ]]; then
  commit="$(git rev-parse --verify --quiet "$to_ref^{commit}")" || die "--to $to_ref is not a commit here (git fetch first?)"
  reason="requested with --to $to_ref"
else
  history="$(pulumi stack history --stack "$stack" --json)"
  target="$(npx --no-install tsx scripts/lib/rollback-target.ts <<<"$history")" || die "cannot pick a commit from the stack history; pass --to <git-ref>"
  read -r commit _version reason <<<"$target"
  git cat-file -e "$commit^{commit}" 2>/dev/null || die "commit $commit (from the stack history) is not in this clone: git fetch --unshallow, or pass --to"
fi
say "target commit ${commit:0:12}: $reason"

worktree="$(mktemp -d "${TMPDIR:-/tmp}/rollback-XXXXXX")"
cleanup() { git worktree remove --force "$worktree" >/dev/null 2>&1 || rm -rf "$worktree"; git worktree prune; }
trap cleanup EXIT
git worktree add --detach --quiet "$worktree" "$commit"
say "installing dependencies of ${commit:0:12}"
(cd "$worktree" && npm ci --no-audit --no-fund --loglevel=error)

(cd "$worktree" && pulumi preview --stack "$stack" --diff --policy-pack policies --non-interactive)
if $preview_only; then
  say "preview only: nothing changed"
  exit 0
fi
confirm "Deploy ${commit:0:12} to $stack?"
(cd "$worktree" && pulumi up --stack "$stack" --yes --skip-preview --policy-pack policies --non-interactive \
  --message "rollback to ${commit:0:12}: $reason")
say "rolled $stack back to ${commit:0:12}; run scripts/smoke-test.sh against it"
