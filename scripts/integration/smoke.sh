#!/usr/bin/env bash
# Smoke check of the integration tooling: a real Kafka broker, the Dapr scheduler and one daprd in
# front of a tiny app (scripts/integration/smoke/app.ts).
#   1. pub/sub: publish through daprd's HTTP API to a pubsub.kafka component; the app, subscribed
#      programmatically (GET /dapr/subscribe), must receive the message.
#   2. jobs: schedule a Dapr job 2 s ahead (POST /v1.0-alpha1/jobs/<name>); the app must receive
#      POST /job/<name> from the scheduler.
# Prints timings, and ends with "smoke: N passed, N failed". Stops everything it started on exit.
#
# Env (every port defaults to a free one the kernel picks, so the check runs beside other platforms):
#   KAFKA_BROKERS             use this broker instead of starting one (kafka.sh)
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT   ports of the broker started here
#   SMOKE_SCHEDULER_PORT      scheduler gRPC port; its healthz/metrics/etcd ports are
#                             SMOKE_SCHEDULER_HEALTHZ_PORT, ..._METRICS_PORT,
#                             ..._ETCD_CLIENT_PORT, ..._ETCD_PEER_PORT
#   SMOKE_APP_PORT, SMOKE_DAPR_HTTP_PORT, SMOKE_DAPR_GRPC_PORT, SMOKE_DAPR_METRICS_PORT
#   SMOKE_TIMEOUT             seconds to wait for each step (default 60)
#   SMOKE_KEEP=1              keep the temp dir (logs, resources) even on success
set -euo pipefail
LOG_TAG=smoke
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_cmd curl "the smoke check calls the Dapr HTTP API with curl"
require_cmd jq "the smoke check reads JSON with jq"
require_cmd node "the smoke app runs on Node.js"
TSX="$REPO_ROOT/node_modules/.bin/tsx"
[[ -x "$TSX" ]] || die "$TSX not found: run npm ci first"

mapfile -t free < <(free_ports 11)
SCHEDULER_PORT="${SMOKE_SCHEDULER_PORT:-${free[0]}}"
SCHEDULER_HEALTHZ_PORT="${SMOKE_SCHEDULER_HEALTHZ_PORT:-${free[1]}}"
SCHEDULER_METRICS_PORT="${SMOKE_SCHEDULER_METRICS_PORT:-${free[2]}}"
ETCD_CLIENT_PORT="${SMOKE_SCHEDULER_ETCD_CLIENT_PORT:-${free[3]}}"
ETCD_PEER_PORT="${SMOKE_SCHEDULER_ETCD_PEER_PORT:-${free[4]}}"
APP_PORT="${SMOKE_APP_PORT:-${free[5]}}"
DAPR_HTTP_PORT="${SMOKE_DAPR_HTTP_PORT:-${free[6]}}"
DAPR_GRPC_PORT="${SMOKE_DAPR_GRPC_PORT:-${free[7]}}"
DAPR_METRICS_PORT="${SMOKE_DAPR_METRICS_PORT:-${free[8]}}"
[[ -n "${KAFKA_BROKERS:-}" ]] || export KAFKA_PORT="${KAFKA_PORT:-${free[9]}}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-${free[10]}}"
TIMEOUT="${SMOKE_TIMEOUT:-60}"
PUBSUB=smoke-pubsub
TOPIC="integration-smoke"
APP_ID=integration-smoke

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tasks-platform-smoke.XXXXXX")"
export KAFKA_STATE_DIR="$WORK/kafka"
PIDS=()      # name:pid of every process started here, stopped in reverse order
STARTED_KAFKA=0
PASSED=0
FAILED=0
OK=0

cleanup() {
  local rc=$? i entry
  trap - EXIT INT TERM
  heartbeat_stop
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    entry="${PIDS[$i]}"
    stop_pid "${entry#*:}" "${entry%%:*}" 15
  done
  if (( STARTED_KAFKA )); then "$INTEGRATION_DIR/kafka.sh" stop >/dev/null || true; fi
  if (( OK )) && [[ "${SMOKE_KEEP:-0}" != 1 ]]; then
    rm -rf "$WORK"
  else
    log "logs kept in $WORK: $(cd "$WORK" && find . -name '*.log' | sort | tr '\n' ' ')"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fail_with LOGFILE MESSAGE: print the end of the component's log, then fail.
fail_with() {
  log "last lines of $1:"
  tail -n 30 "$1" >&2 || true
  die "$2 (log: $1)"
}

# wait_http NAME PID LOGFILE URL: wait until URL answers 2xx while the process PID is alive.
wait_http() {
  local name="$1" pid="$2" logf="$3" url="$4" started=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    pid_alive "$pid" || fail_with "$logf" "$name exited during start-up"
    (( SECONDS - started < TIMEOUT )) || fail_with "$logf" "$name did not answer $url within ${TIMEOUT}s"
    sleep 0.2
  done
}

assert_port_free() {
  ! port_open 127.0.0.1 "$2" || die "port $2 ($1) is already in use: set ${3} to a free port"
}

now_ms() { date +%s%3N; }

t_total=$SECONDS
log "work dir $WORK"

# --- binaries ----------------------------------------------------------------------------------
t=$SECONDS
out="$("$INTEGRATION_DIR/dapr-binaries.sh")" || die "dapr-binaries.sh failed"
eval "$out"  # sets DAPR_VERSION, DAPRD, DAPR_SCHEDULER
: "${DAPRD:?}" "${DAPR_SCHEDULER:?}" "${DAPR_VERSION:?}"
T_BINARIES=$(( SECONDS - t ))

assert_port_free scheduler "$SCHEDULER_PORT" SMOKE_SCHEDULER_PORT
assert_port_free "scheduler healthz" "$SCHEDULER_HEALTHZ_PORT" SMOKE_SCHEDULER_HEALTHZ_PORT
assert_port_free "scheduler metrics" "$SCHEDULER_METRICS_PORT" SMOKE_SCHEDULER_METRICS_PORT
assert_port_free "scheduler etcd client" "$ETCD_CLIENT_PORT" SMOKE_SCHEDULER_ETCD_CLIENT_PORT
assert_port_free "scheduler etcd peer" "$ETCD_PEER_PORT" SMOKE_SCHEDULER_ETCD_PEER_PORT
assert_port_free app "$APP_PORT" SMOKE_APP_PORT
assert_port_free "daprd HTTP" "$DAPR_HTTP_PORT" SMOKE_DAPR_HTTP_PORT
assert_port_free "daprd gRPC" "$DAPR_GRPC_PORT" SMOKE_DAPR_GRPC_PORT
assert_port_free "daprd metrics" "$DAPR_METRICS_PORT" SMOKE_DAPR_METRICS_PORT

# --- Kafka -------------------------------------------------------------------------------------
t=$SECONDS
[[ -z "${KAFKA_BROKERS:-}" ]] && STARTED_KAFKA=1
out="$("$INTEGRATION_DIR/kafka.sh" start)" || die "kafka.sh start failed"
eval "$out"
T_KAFKA=$(( SECONDS - t ))

# --- scheduler ---------------------------------------------------------------------------------
t=$SECONDS
log "starting scheduler on 127.0.0.1:$SCHEDULER_PORT (log $WORK/scheduler.log)"
"$DAPR_SCHEDULER" \
  --port "$SCHEDULER_PORT" --listen-address 127.0.0.1 \
  --override-broadcast-host-port "127.0.0.1:$SCHEDULER_PORT" \
  --healthz-port "$SCHEDULER_HEALTHZ_PORT" --healthz-listen-address 127.0.0.1 \
  --metrics-port "$SCHEDULER_METRICS_PORT" --metrics-listen-address 127.0.0.1 \
  --etcd-data-dir "$WORK/scheduler-etcd" \
  --etcd-client-port "$ETCD_CLIENT_PORT" --etcd-client-listen-address 127.0.0.1 \
  --etcd-initial-cluster "dapr-scheduler-server-0=http://127.0.0.1:$ETCD_PEER_PORT" \
  --id dapr-scheduler-server-0 --mode standalone \
  </dev/null >"$WORK/scheduler.log" 2>&1 &
PIDS+=("scheduler:$!")
wait_http scheduler "$!" "$WORK/scheduler.log" "http://127.0.0.1:$SCHEDULER_HEALTHZ_PORT/healthz"
T_SCHEDULER=$(( SECONDS - t ))
log "scheduler ready in ${T_SCHEDULER}s"

# --- app + daprd -------------------------------------------------------------------------------
t=$SECONDS
log "starting the smoke app on 127.0.0.1:$APP_PORT (log $WORK/app.log)"
SMOKE_APP_PORT="$APP_PORT" SMOKE_PUBSUB="$PUBSUB" SMOKE_TOPIC="$TOPIC" \
  "$TSX" "$INTEGRATION_DIR/smoke/app.ts" </dev/null >"$WORK/app.log" 2>&1 &
PIDS+=("app:$!")
wait_http app "$!" "$WORK/app.log" "http://127.0.0.1:$APP_PORT/healthz"

mkdir -p "$WORK/resources"
cat >"$WORK/resources/pubsub.yaml" <<EOF
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: $PUBSUB
spec:
  type: pubsub.kafka
  version: v1
  metadata:
    - name: brokers
      value: "$KAFKA_BROKERS"
    - name: consumerGroup
      value: "$APP_ID"
    - name: authType
      value: "none"
    - name: initialOffset
      value: "oldest"
EOF

log "starting daprd (app id $APP_ID, HTTP 127.0.0.1:$DAPR_HTTP_PORT, log $WORK/daprd.log)"
"$DAPRD" \
  --app-id "$APP_ID" --app-port "$APP_PORT" --app-protocol http --app-channel-address 127.0.0.1 \
  --dapr-http-port "$DAPR_HTTP_PORT" --dapr-grpc-port "$DAPR_GRPC_PORT" --dapr-listen-addresses 127.0.0.1 \
  --metrics-port "$DAPR_METRICS_PORT" --metrics-listen-address 127.0.0.1 \
  --resources-path "$WORK/resources" \
  --scheduler-host-address "127.0.0.1:$SCHEDULER_PORT" \
  --mode standalone --log-level info \
  </dev/null >"$WORK/daprd.log" 2>&1 &
DAPRD_PID=$!
PIDS+=("daprd:$DAPRD_PID")
wait_http daprd "$DAPRD_PID" "$WORK/daprd.log" "http://127.0.0.1:$DAPR_HTTP_PORT/v1.0/healthz"
T_DAPRD=$(( SECONDS - t ))
log "daprd ready in ${T_DAPRD}s"
DAPR="http://127.0.0.1:$DAPR_HTTP_PORT"

# received_count JQ_FILTER: how many items of the app's /received match.
received_count() { curl -fsS --max-time 2 "http://127.0.0.1:$APP_PORT/received" | jq "$1"; }

# --- check 1: pub/sub through Kafka ------------------------------------------------------------
nonce="$(date +%s%N)"
log "check 1: publish to $PUBSUB/$TOPIC through daprd, expect delivery to the app"
t_pub=$(now_ms)
started=$SECONDS
# The first publish can fail while the broker auto-creates the topic: retry it.
until curl -fsS --max-time 10 -o "$WORK/publish.out" -H 'content-type: application/json' \
    -d "{\"nonce\":\"$nonce\"}" "$DAPR/v1.0/publish/$PUBSUB/$TOPIC"; do
  (( SECONDS - started < TIMEOUT )) || fail_with "$WORK/daprd.log" "publish through daprd kept failing for ${TIMEOUT}s"
  sleep 1
done
PUB_OK=0
while (( SECONDS - started < TIMEOUT )); do
  if [[ "$(received_count "[.events[] | select(.data.nonce == \"$nonce\")] | length")" -ge 1 ]]; then PUB_OK=1; break; fi
  pid_alive "$DAPRD_PID" || fail_with "$WORK/daprd.log" "daprd exited"
  sleep 0.2
done
if (( PUB_OK )); then
  at="$(received_count "[.events[] | select(.data.nonce == \"$nonce\")][0].at")"
  PUB_MS=$(( at - t_pub ))
  log "check 1 passed: the app received the event ${PUB_MS} ms after the publish call"
  PASSED=$(( PASSED + 1 ))
else
  log "check 1 FAILED: no event with nonce $nonce within ${TIMEOUT}s (see $WORK/daprd.log, $WORK/app.log)"
  tail -n 20 "$WORK/daprd.log" >&2
  FAILED=$(( FAILED + 1 ))
fi

# --- check 2: a Dapr job 2 s ahead -------------------------------------------------------------
job="smoke-$nonce"
log "check 2: schedule job $job 2 s ahead, expect POST /job/$job on the app"
t_job=$(now_ms)
due_ms=$(( t_job + 2000 ))
code="$(curl -sS --max-time 10 -o "$WORK/job.out" -w '%{http_code}' -H 'content-type: application/json' \
  -d "{\"dueTime\":\"2s\",\"data\":{\"nonce\":\"$nonce\"}}" "$DAPR/v1.0-alpha1/jobs/$job")"
JOB_OK=0
if [[ "$code" != 2* ]]; then
  log "check 2 FAILED: scheduling the job answered HTTP $code: $(cat "$WORK/job.out")"
else
  started=$SECONDS
  while (( SECONDS - started < TIMEOUT )); do
    if [[ "$(received_count "[.jobs[] | select(.name == \"$job\" and .data.nonce == \"$nonce\")] | length")" -ge 1 ]]; then JOB_OK=1; break; fi
    pid_alive "$DAPRD_PID" || fail_with "$WORK/daprd.log" "daprd exited"
    sleep 0.2
  done
fi
if (( JOB_OK )); then
  at="$(received_count "[.jobs[] | select(.name == \"$job\")][0].at")"
  JOB_LATE_MS=$(( at - due_ms ))
  log "check 2 passed: the app received the job $(( at - t_job )) ms after scheduling it (${JOB_LATE_MS} ms after its due time)"
  PASSED=$(( PASSED + 1 ))
else
  [[ "$code" == 2* ]] && log "check 2 FAILED: no POST /job/$job within ${TIMEOUT}s (see $WORK/daprd.log, $WORK/scheduler.log)"
  [[ "$code" == 2* ]] && tail -n 20 "$WORK/scheduler.log" >&2
  FAILED=$(( FAILED + 1 ))
fi

# --- summary -----------------------------------------------------------------------------------
(( FAILED == 0 )) && OK=1
cat <<EOF

integration smoke summary
  dapr v$DAPR_VERSION   daprd $DAPRD
                 scheduler $DAPR_SCHEDULER
  kafka          $KAFKA_BROKERS
  binaries       ${T_BINARIES}s (a build happened if this is minutes; cached: under a second)
  kafka start    ${T_KAFKA}s
  scheduler      ${T_SCHEDULER}s to healthy
  app + daprd    ${T_DAPRD}s to healthy
  pub/sub        ${PUB_MS:-n/a} ms publish -> app
  job            ${JOB_LATE_MS:-n/a} ms after due time
  total          $(( SECONDS - t_total ))s
smoke: $PASSED passed, $FAILED failed
EOF
(( FAILED == 0 ))
