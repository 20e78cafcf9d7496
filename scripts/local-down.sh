#!/usr/bin/env bash
# Tears the local stack down (docs/LOCAL.md).
#   scripts/local-down.sh                    destroy the stack but keep the data volumes: the data
#                                            namespace (Postgres and Redpanda with their volumes, and
#                                            the topics) stays deployed, so the next local-up reuses it
#   scripts/local-down.sh --delete-volumes   destroy everything, volumes included
#   scripts/local-down.sh --delete-cluster   also delete the minikube profile (implies --delete-volumes)
# Environment: MINIKUBE_PROFILE (default minikube), LOCAL_STATE_DIR (.tmp/local-stack).
set -euo pipefail
script_name="local-down"
# shellcheck source=scripts/lib/local-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-common.sh"

delete_volumes=false delete_cluster=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --delete-volumes) delete_volumes=true; shift ;;
    --keep-volumes) delete_volumes=false; shift ;;
    --delete-cluster) delete_cluster=true; delete_volumes=true; shift ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
need pulumi "https://www.pulumi.com/docs/install/"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need minikube "https://minikube.sigs.k8s.io/docs/start/"
cd "$repo_root"

running=false
if minikube status -p "$profile" --format '{{.Host}}' 2>/dev/null | grep -q Running; then running=true; fi

use_local_backend
if ! pulumi stack select "$stack" >/dev/null 2>&1; then
  say "no $stack stack in $PULUMI_BACKEND_URL: nothing to destroy"
elif ! $running; then
  if $delete_cluster; then
    say "minikube is not running; removing the stack's state only (the cluster is deleted below)"
    pulumi stack rm "$stack" --yes --force >/dev/null
  else
    die "minikube profile $profile is not running: start it (minikube start -p $profile) so the stack can be destroyed, or pass --delete-cluster"
  fi
else
  load_names "$(stack_config imageRegistry)"
  if $delete_volumes; then
    say "destroying the $stack stack, volumes included"
    pulumi destroy --stack "$stack" --yes --suppress-progress
    # StatefulSet volume claims outlive their StatefulSet; the namespace deletion takes them, but make sure.
    kube -n "$DATA_NS" delete pvc --all --ignore-not-found --wait=false >/dev/null 2>&1 || true
  else
    # Keep the data namespace and everything that depends on it (Postgres, Redpanda, their volumes, topics).
    data_ns_urn="$(pulumi stack export --stack "$stack" | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const r = (JSON.parse(s).deployment?.resources ?? []).find((x) => x.type === "kubernetes:core/v1:Namespace" && x.outputs?.metadata?.name === process.argv[1]);
        if (r) console.log(r.urn);
      });' "$DATA_NS")"
    if [[ -z "$data_ns_urn" ]]; then
      say "no data namespace in the stack; destroying everything"
      pulumi destroy --stack "$stack" --yes --suppress-progress
    else
      say "destroying the $stack stack except the data namespace $DATA_NS and its volumes (--delete-volumes to remove them too)"
      pulumi destroy --stack "$stack" --yes --suppress-progress --exclude "$data_ns_urn" --exclude-dependents
    fi
  fi
fi

if $delete_cluster; then
  say "deleting minikube profile $profile"
  minikube delete -p "$profile"
  rm -rf "$state_dir/state" "$state_dir/dev-token"
fi
say "done"
