# shellcheck shell=bash
# Shared helpers for scripts/integration/*.sh (sourced, not run).
# Progress and errors go to stderr; scripts print only KEY=value lines on stdout so that callers
# can `eval "$(scripts/integration/<script>.sh ...)"`.

INTEGRATION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
REPO_ROOT="$(cd "$INTEGRATION_DIR/../.." && pwd)"
# Root of every download/build cache of the integration tier.
TASKS_PLATFORM_CACHE="${TASKS_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tasks-platform}"

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${LOG_TAG:-integration}" "$*" >&2; }
die() { printf '[%s %s] ERROR: %s\n' "$(date +%H:%M:%S)" "${LOG_TAG:-integration}" "$*" >&2; exit 1; }

# require_cmd NAME HINT: fail with HINT when NAME is not on PATH.
require_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH: $2"; }

# sha256_of FILE...: one hash over the contents of the files, to key caches on their inputs.
sha256_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# with_lock LOCKFILE CMD...: run CMD while holding an exclusive lock, so that two concurrent runs
# (parallel tests, several terminals) never build into the same cache dir at once.
with_lock() {
  local lock="$1"; shift
  mkdir -p "$(dirname "$lock")"
  if command -v flock >/dev/null 2>&1; then
    (
      flock -w "${INTEGRATION_LOCK_TIMEOUT:-1800}" 9 || die "timed out waiting for lock $lock"
      "$@"
    ) 9>"$lock"
  else
    "$@"
  fi
}

# heartbeat_start MESSAGE: print MESSAGE with the elapsed time every HEARTBEAT_SECONDS while a long,
# silent step runs (a cold Go build prints nothing for minutes). Sets HEARTBEAT_PID.
heartbeat_start() {
  local msg="$1" started=$SECONDS
  (
    trap 'exit 0' TERM
    while sleep "${HEARTBEAT_SECONDS:-30}"; do log "$msg ($(( SECONDS - started ))s elapsed)"; done
  ) &
  HEARTBEAT_PID=$!
}
heartbeat_stop() {
  if [[ -n "${HEARTBEAT_PID:-}" ]]; then
    kill "$HEARTBEAT_PID" 2>/dev/null || true
    wait "$HEARTBEAT_PID" 2>/dev/null || true
    HEARTBEAT_PID=
  fi
}

# port_open HOST PORT: true when something accepts TCP connections there.
# N free TCP ports on 127.0.0.1, one per line, chosen by the kernel (so runs beside other platforms on the
# same machine do not collide on fixed ports).
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer().listen(0, "127.0.0.1"));
    Promise.all(servers.map((s) => new Promise((r) => s.on("listening", r)))).then(() => {
      for (const s of servers) console.log(s.address().port);
      for (const s of servers) s.close();
    });
  ' "$1"
}
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# pid_alive PID: true when the process exists and is not a zombie.
pid_alive() {
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z* ]]
}

# stop_pid PID NAME [TIMEOUT]: SIGTERM, wait up to TIMEOUT seconds (default 30), then SIGKILL.
stop_pid() {
  local pid="$1" name="$2" timeout="${3:-30}" waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if (( waited >= timeout * 10 )); then
      log "$name (pid $pid) did not stop within ${timeout}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1; waited=$(( waited + 1 ))
  done
}
