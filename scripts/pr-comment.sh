#!/usr/bin/env bash
# The pull-request comment of a stack's preview (preview.yml, preview-fork-comment.yml), one per stack,
# edited in place on every push.
#
#   scripts/pr-comment.sh compose --stack S --diff FILE [--intro TEXT] [--preview FILE --preview-title TEXT]
#                                 [--artifact-url URL] > body.md
#       The plan diff (npm run plan:diff: summary, destructive changes and the policy verdict first, the
#       details collapsed) under the stack's marker, then the preview's output collapsed in a fence,
#       then where the full plan is. Never longer than GitHub's 65,536-character comment limit: every
#       part is cut to the room left, at a line, and says so. Inputs are untrusted text (a fork's).
#   scripts/pr-comment.sh post --repo OWNER/NAME --pr N --stack S --body FILE
#       Edits the comment that starts with the stack's marker, or creates it (needs gh and GH_TOKEN).
set -euo pipefail

# GitHub counts characters; bytes are never fewer, so a byte budget is safe. Room is kept for the wrapper.
limit=65536
budget=$((limit - 1536))

die() { echo "pr-comment: $*" >&2; exit 2; }

# cut FILE MAX: at most MAX bytes of FILE, ending at a whole line; prints nothing more when it fits.
cut_to() {
  local file="$1" max="$2" size
  size=$(wc -c < "$file")
  if (( size <= max )); then cat "$file"; return; fi
  head -c "$max" "$file" | sed '$d'
  printf '\n[… %d of %d bytes cut to stay under the comment limit; the full text is in the artifact]\n' "$((size - max))" "$size"
}

compose() {
  local stack="" diff="" intro="" preview="" title="pulumi preview" artifact=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --stack) stack="$2"; shift 2 ;;
      --diff) diff="$2"; shift 2 ;;
      --intro) intro="$2"; shift 2 ;;
      --preview) preview="$2"; shift 2 ;;
      --preview-title) title="$2"; shift 2 ;;
      --artifact-url) artifact="$2"; shift 2 ;;
      *) die "unknown argument $1" ;;
    esac
  done
  [[ "$stack" =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "--stack must be a stack name, got \"$stack\""
  [[ -f "$diff" ]] || die "--diff: no file \"$diff\""
  local marker="<!-- plan-diff:$stack -->" tmp used
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  {
    echo "$marker"
    if [[ -n "$intro" ]]; then printf '%s\n\n' "${intro:0:500}"; fi
  } > "$tmp/head.md"
  grep -v -F -x "$marker" "$diff" > "$tmp/diff.md" || true
  if [[ -n "$artifact" ]]; then printf '\nThe full plan diff and preview output: %s\n' "${artifact:0:300}" > "$tmp/tail.md"; else : > "$tmp/tail.md"; fi
  used=$(( $(wc -c < "$tmp/head.md") + $(wc -c < "$tmp/tail.md") ))
  # The diff first (its top holds the verdicts); the preview gets the rest, and at least a third of the room when both are long.
  local diff_room=$((budget - used))
  if [[ -n "$preview" && -f "$preview" ]]; then diff_room=$(( (budget - used) * 2 / 3 )); fi
  cut_to "$tmp/diff.md" "$diff_room" > "$tmp/diff-cut.md"
  # A cut diff may end inside a fence or a collapsed block: close them.
  if (( $(grep -c '^```' "$tmp/diff-cut.md" || true) % 2 == 1 )); then echo '```' >> "$tmp/diff-cut.md"; fi
  local open closed
  open=$(grep -o '<details>' "$tmp/diff-cut.md" | wc -l || true)
  closed=$(grep -o '</details>' "$tmp/diff-cut.md" | wc -l || true)
  while (( open > closed )); do echo '</details>' >> "$tmp/diff-cut.md"; closed=$((closed + 1)); done
  cat "$tmp/head.md" "$tmp/diff-cut.md"
  if [[ -n "$preview" && -f "$preview" ]]; then
    local room=$((budget - used - $(wc -c < "$tmp/diff-cut.md") - 200))
    # Untrusted text inside a fence: no line may close it.
    sed 's/~~~~/~ ~ ~ ~/g' "$preview" > "$tmp/preview.txt"
    printf '\n<details><summary>%s</summary>\n\n~~~~text\n' "$(printf '%s' "${title:0:200}" | tr -d '<>')"
    if (( room > 0 )); then cut_to "$tmp/preview.txt" "$room"; fi
    printf '~~~~\n</details>\n'
  fi
  cat "$tmp/tail.md"
}

post() {
  local repo="" pr="" stack="" body=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --repo) repo="$2"; shift 2 ;;
      --pr) pr="$2"; shift 2 ;;
      --stack) stack="$2"; shift 2 ;;
      --body) body="$2"; shift 2 ;;
      *) die "unknown argument $1" ;;
    esac
  done
  [[ "$pr" =~ ^[0-9]+$ ]] || die "--pr must be a number, got \"$pr\""
  [[ -f "$body" ]] || die "--body: no file \"$body\""
  (( $(wc -c < "$body") <= limit )) || die "$body is longer than $limit bytes"
  local marker="<!-- plan-diff:$stack -->" existing
  existing="$(gh api --paginate "repos/$repo/issues/$pr/comments" \
    --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"$marker\"))) | .id" | head -n 1)"
  if [[ -n "$existing" ]]; then
    gh api --method PATCH "repos/$repo/issues/comments/$existing" -F body=@"$body" > /dev/null
    echo "edited comment $existing on PR #$pr ($stack)"
  else
    gh api --method POST "repos/$repo/issues/$pr/comments" -F body=@"$body" > /dev/null
    echo "commented on PR #$pr ($stack)"
  fi
}

case "${1:-}" in
  compose) shift; compose "$@" ;;
  post) shift; post "$@" ;;
  *) die "usage: scripts/pr-comment.sh compose|post ... (see the header of this script)" ;;
esac
