#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft) broker from Maven Central jars, for the integration tier.
#
#   kafka.sh resolve        resolve the jars (tools/kafka/pom.xml) into the cache; prints KAFKA_LIBS=<dir>
#   kafka.sh start          start the broker in the background and wait until it serves requests;
#                           prints KAFKA_BROKERS=<host:port>. With KAFKA_BROKERS set, only checks that
#                           broker and prints it. Storage already formatted in the state dir is kept,
#                           so stop + start is a broker restart that keeps its data.
#   kafka.sh stop           stop the broker started here (SIGTERM, SIGKILL after 30 s); keeps the data
#   kafka.sh clean          stop, then delete the state dir (data, config, log)
#   kafka.sh status         exit 0 when the broker answers; prints pid, log and state dir
#   kafka.sh topics ARGS    kafka-topics (org.apache.kafka.tools.TopicCommand) against the broker,
#                           e.g. `kafka.sh topics --create --topic t --partitions 3`
#   kafka.sh run-class CLASS ARGS   any Kafka main class on the resolved class path
#
# stdout carries only KEY=value lines (for `eval`) or the output of topics/run-class; progress on stderr.
#
# Env:
#   KAFKA_BROKERS          use this broker (host:port[,host:port]) instead of starting one
#   KAFKA_HOST             listen/advertised host (default 127.0.0.1)
#   KAFKA_PORT             PLAINTEXT port (default 9092)
#   KAFKA_CONTROLLER_PORT  CONTROLLER port (default 9093)
#   KAFKA_EXTRA_LISTENERS  more PLAINTEXT listeners, space-separated NAME:PORT:ADVERTISED_PORT (on KAFKA_HOST):
#                          a client that bootstraps on NAME's port is told the ADVERTISED_PORT, so a proxy in
#                          front of PORT (toxiproxy, the network-fault tests) stays on that client's path
#   KAFKA_NUM_PARTITIONS   default partitions of auto-created topics (default 1)
#   KAFKA_SASL_SSL_PORT    also listen with SASL_SSL (SASL PLAIN over TLS, as Event Hubs' Kafka endpoint) on this
#                          port, with a self-signed certificate for KAFKA_HOST made at first start; `start` then
#                          also prints KAFKA_SASL_SSL_BROKERS and KAFKA_SSL_CA (the certificate, PEM, to trust)
#   KAFKA_SASL_USERNAME    the SASL PLAIN user of that listener (default $ConnectionString, as on Event Hubs)
#   KAFKA_SASL_PASSWORD_FILE  file holding that user's password (required with KAFKA_SASL_SSL_PORT; never argv)
#   KAFKA_STATE_DIR        data, config, log and pid file (default ${TMPDIR:-/tmp}/tasks-platform-kafka-$KAFKA_PORT)
#   KAFKA_LIBS_DIR         resolved jars (default $TASKS_PLATFORM_CACHE/kafka/<version>)
#   TASKS_PLATFORM_CACHE   cache root (default ${XDG_CACHE_HOME:-~/.cache}/tasks-platform)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms256m -Xmx1g); KAFKA_JVM_OPTS: extra JVM flags
#   KAFKA_START_TIMEOUT    seconds to wait for the broker (default 90)
set -euo pipefail
LOG_TAG=kafka
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POM="$REPO_ROOT/tools/kafka/pom.xml"
[[ -f "$POM" ]] || die "missing $POM"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
[[ -n "$KAFKA_VERSION" ]] || die "cannot read <kafka.version> from $POM"
KAFKA_LIBS_DIR="${KAFKA_LIBS_DIR:-$TASKS_PLATFORM_CACHE/kafka/$KAFKA_VERSION}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/tasks-platform-kafka-$KAFKA_PORT}"
PID_FILE="$KAFKA_STATE_DIR/kafka.pid"
LOG_FILE="$KAFKA_STATE_DIR/kafka.log"

resolve_locked() {
  local stamp_file="$KAFKA_LIBS_DIR/.stamp" stamp_want started=$SECONDS
  stamp_want="kafka $KAFKA_VERSION $(sha256_of "$POM")"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" && -d "$KAFKA_LIBS_DIR/libs" ]]; then
    log "cached jars: $KAFKA_LIBS_DIR/libs"
    return 0
  fi
  require_cmd mvn "install Maven (apt-get install maven) to resolve Kafka $KAFKA_VERSION from Maven Central"
  local tmp mvn_log="$KAFKA_LIBS_DIR/resolve.log"
  tmp="$(mktemp -d "$KAFKA_LIBS_DIR/.resolve.XXXXXX")"
  log "resolving Kafka $KAFKA_VERSION jars with Maven (log: $mvn_log)"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DoutputDirectory="$tmp/libs" </dev/null >"$mvn_log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$mvn_log" >&2
    die "Maven could not resolve Kafka $KAFKA_VERSION (see $mvn_log)"
  fi
  rm -rf "$KAFKA_LIBS_DIR/libs"
  mv "$tmp/libs" "$KAFKA_LIBS_DIR/libs"
  rm -rf "$tmp"
  printf '%s\n' "$stamp_want" >"$stamp_file"
  log "resolved $(find "$KAFKA_LIBS_DIR/libs" -name '*.jar' | wc -l) jars in $(( SECONDS - started ))s into $KAFKA_LIBS_DIR/libs"
}

resolve() {
  mkdir -p "$KAFKA_LIBS_DIR"
  with_lock "$KAFKA_LIBS_DIR/.lock" resolve_locked
}

check_java() {
  require_cmd java "install a Java 17+ runtime (apt-get install openjdk-17-jre-headless): Kafka $KAFKA_VERSION needs Java 17"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "Java ${major:-unknown} found, Kafka $KAFKA_VERSION needs Java 17 or newer"
}

# run_class CLASS ARGS...: run a Kafka main class on the resolved class path.
run_class() {
  check_java
  # shellcheck disable=SC2086 # the JVM option list is split on purpose
  java ${KAFKA_TOOL_JVM_OPTS:--Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} \
    -Dlog4j2.configurationFile="$(tools_log4j_config)" \
    -cp "$KAFKA_LIBS_DIR/libs/*" "$@"
}

# Command-line tools log warnings only, to stderr.
tools_log4j_config() {
  local f="$KAFKA_LIBS_DIR/tools-log4j2.properties"
  if [[ ! -f "$f" ]]; then
    cat >"$f" <<'EOF'
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
  fi
  printf '%s\n' "$f"
}

brokers() { printf '%s\n' "${KAFKA_BROKERS:-$KAFKA_HOST:$KAFKA_PORT}"; }

# broker_answers: the broker lists its topics within 15 s.
broker_answers() {
  run_class org.apache.kafka.tools.TopicCommand --bootstrap-server "$(brokers)" --list \
    --command-config <(printf 'request.timeout.ms=10000\ndefault.api.timeout.ms=15000\n') >/dev/null 2>&1
}

# make_certificate: a self-signed certificate for KAFKA_HOST (an IP or a name) and its key, PEM, made once.
make_certificate() {
  local dir="$KAFKA_STATE_DIR/tls" san
  [[ -f "$dir/server.pem" ]] && return 0
  require_cmd openssl "install openssl to make the SASL_SSL listener's certificate"
  mkdir -p "$dir"
  if [[ "$KAFKA_HOST" =~ ^[0-9.]+$ ]]; then san="IP:$KAFKA_HOST"; else san="DNS:$KAFKA_HOST"; fi
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=$KAFKA_HOST" -addext "subjectAltName=$san" \
    -keyout "$dir/key.pem" -out "$dir/ca.pem" 2>/dev/null || die "openssl could not make the listener's certificate"
  # Kafka's PEM key store: the unencrypted PKCS#8 key, then the certificate chain.
  openssl pkcs8 -topk8 -nocrypt -in "$dir/key.pem" -out "$dir/key8.pem"
  ( umask 077; cat "$dir/key8.pem" "$dir/ca.pem" >"$dir/server.pem" )
  rm -f "$dir/key.pem" "$dir/key8.pem"
}

# jaas_quote VALUE: VALUE as a quoted JAAS option value (backslashes and quotes escaped).
jaas_quote() {
  local v="${1//\\/\\\\}"
  printf '"%s"' "${v//\"/\\\"}"
}

# sasl_ssl_config: the SASL_SSL listener's lines of server.properties (nothing without KAFKA_SASL_SSL_PORT).
sasl_ssl_config() {
  [[ -n "${KAFKA_SASL_SSL_PORT:-}" ]] || return 0
  local user="${KAFKA_SASL_USERNAME:-\$ConnectionString}" password jaas
  password="$(cat "$KAFKA_SASL_PASSWORD_FILE")"
  jaas="org.apache.kafka.common.security.plain.PlainLoginModule required user_$user=$(jaas_quote "$password");"
  # A properties file unescapes backslashes once more.
  printf '%s\n' "sasl.enabled.mechanisms=PLAIN" \
    "listener.name.sasl_ssl.plain.sasl.jaas.config=${jaas//\\/\\\\}" \
    "ssl.keystore.type=PEM" \
    "ssl.keystore.location=$KAFKA_STATE_DIR/tls/server.pem"
}

write_config() {
  mkdir -p "$KAFKA_STATE_DIR/data"
  local listeners="PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT" advertised="PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT"
  local protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ -n "${KAFKA_SASL_SSL_PORT:-}" ]]; then
    [[ -n "${KAFKA_SASL_PASSWORD_FILE:-}" && -r "$KAFKA_SASL_PASSWORD_FILE" ]] \
      || die "KAFKA_SASL_SSL_PORT needs KAFKA_SASL_PASSWORD_FILE: a readable file holding the SASL password"
    make_certificate
    listeners+=",SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_SSL_PORT"
    advertised+=",SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_SSL_PORT"
    protocols+=",SASL_SSL:SASL_SSL"
  fi
  local extra name port adv
  for extra in ${KAFKA_EXTRA_LISTENERS:-}; do
    IFS=: read -r name port adv <<<"$extra"
    [[ "$name" =~ ^[A-Z][A-Z0-9_]*$ && "$port" =~ ^[0-9]+$ && "$adv" =~ ^[0-9]+$ ]] ||
      die "KAFKA_EXTRA_LISTENERS: \"$extra\" is not NAME:PORT:ADVERTISED_PORT (NAME in capitals)"
    listeners+=",$name://$KAFKA_HOST:$port"
    advertised+=",$name://$KAFKA_HOST:$adv"
    protocols+=",$name:PLAINTEXT"
  done
  ( umask 077; cat >"$KAFKA_STATE_DIR/server.properties" <<EOF
# Written by scripts/integration/kafka.sh: single-node KRaft broker for local/integration runs.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=$listeners,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=$advertised
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=$protocols
log.dirs=$KAFKA_STATE_DIR/data
num.partitions=${KAFKA_NUM_PARTITIONS:-1}
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=${KAFKA_OFFSETS_PARTITIONS:-10}
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
# The KRaft controller appends a no-op record this often when idle (default 500 ms), its biggest idle cost on one node.
metadata.max.idle.interval.ms=5000
$(sasl_ssl_config)
EOF
  )
  cat >"$KAFKA_STATE_DIR/log4j2.properties" <<'EOF'
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.controller.name = state.change.logger
logger.controller.level = WARN
EOF
}

format_storage() {
  if [[ -f "$KAFKA_STATE_DIR/data/meta.properties" ]]; then
    log "reusing formatted storage in $KAFKA_STATE_DIR/data"
    return 0
  fi
  local cluster_id
  cluster_id="$(run_class kafka.tools.StorageTool random-uuid)" || die "kafka.tools.StorageTool random-uuid failed"
  log "formatting KRaft storage (cluster id $cluster_id)"
  run_class kafka.tools.StorageTool format --standalone -t "$cluster_id" \
    -c "$KAFKA_STATE_DIR/server.properties" >>"$KAFKA_STATE_DIR/format.log" 2>&1 \
    || { cat "$KAFKA_STATE_DIR/format.log" >&2; die "formatting storage failed (see $KAFKA_STATE_DIR/format.log)"; }
}

running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] && pid="$(cat "$PID_FILE")" && pid_alive "$pid" && printf '%s\n' "$pid"
  return 0
}

start() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    resolve
    log "KAFKA_BROKERS is set: using $KAFKA_BROKERS instead of starting a broker"
    broker_answers || die "the broker at KAFKA_BROKERS=$KAFKA_BROKERS does not answer (TopicCommand --list failed)"
    printf 'KAFKA_BROKERS=%q\n' "$KAFKA_BROKERS"
    return 0
  fi
  local pid started=$SECONDS timeout="${KAFKA_START_TIMEOUT:-90}"
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    log "already running (pid $pid, log $LOG_FILE)"
  else
    port_open "$KAFKA_HOST" "$KAFKA_PORT" && die "port $KAFKA_HOST:$KAFKA_PORT is already in use by another process: stop it, set KAFKA_PORT/KAFKA_CONTROLLER_PORT, or point KAFKA_BROKERS at it"
    port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT" && die "controller port $KAFKA_HOST:$KAFKA_CONTROLLER_PORT is already in use: set KAFKA_CONTROLLER_PORT"
    resolve
    check_java
    write_config
    format_storage
    log "starting Kafka $KAFKA_VERSION on $KAFKA_HOST:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT), log: $LOG_FILE"
    # shellcheck disable=SC2086 # word splitting of the JVM option lists is intended
    java -server ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -Djava.awt.headless=true -Dkafka.logs.dir="$KAFKA_STATE_DIR" \
      -Dlog4j2.configurationFile="$KAFKA_STATE_DIR/log4j2.properties" ${KAFKA_JVM_OPTS:-} \
      -cp "$KAFKA_LIBS_DIR/libs/*" kafka.Kafka "$KAFKA_STATE_DIR/server.properties" \
      </dev/null >>"$LOG_FILE" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$PID_FILE"
  fi
  until port_open "$KAFKA_HOST" "$KAFKA_PORT" && broker_answers; do
    if ! pid_alive "$pid"; then
      tail -n 40 "$LOG_FILE" >&2
      die "the broker (pid $pid) exited during start-up; log: $LOG_FILE"
    fi
    (( SECONDS - started < timeout )) || { tail -n 40 "$LOG_FILE" >&2; die "the broker did not answer within ${timeout}s; log: $LOG_FILE"; }
    sleep 1
  done
  log "ready after $(( SECONDS - started ))s: $KAFKA_HOST:$KAFKA_PORT (pid $pid, log $LOG_FILE)"
  printf 'KAFKA_BROKERS=%q\nKAFKA_PID=%q\nKAFKA_LOG=%q\n' "$KAFKA_HOST:$KAFKA_PORT" "$pid" "$LOG_FILE"
  if [[ -n "${KAFKA_SASL_SSL_PORT:-}" ]]; then
    printf 'KAFKA_SASL_SSL_BROKERS=%q\nKAFKA_SSL_CA=%q\n' "$KAFKA_HOST:$KAFKA_SASL_SSL_PORT" "$KAFKA_STATE_DIR/tls/ca.pem"
  fi
}

stop() {
  if [[ -n "${KAFKA_BROKERS:-}" && ! -f "$PID_FILE" ]]; then
    log "KAFKA_BROKERS is set: nothing started here to stop"
    return 0
  fi
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    log "not running (state dir $KAFKA_STATE_DIR)"
  else
    log "stopping broker (pid $pid)"
    stop_pid "$pid" kafka 30
    log "stopped"
  fi
  rm -f "$PID_FILE"
}

status() {
  local pid
  pid="$(running_pid)"
  log "brokers $(brokers); pid ${pid:-none}; state dir $KAFKA_STATE_DIR; log $LOG_FILE"
  resolve
  broker_answers || die "broker $(brokers) does not answer"
  log "broker $(brokers) answers"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  resolve) resolve; printf 'KAFKA_VERSION=%q\nKAFKA_LIBS=%q\n' "$KAFKA_VERSION" "$KAFKA_LIBS_DIR/libs" ;;
  start) start ;;
  stop) stop ;;
  clean) stop; log "removing $KAFKA_STATE_DIR"; rm -rf "$KAFKA_STATE_DIR" ;;
  status) status ;;
  topics) resolve; run_class org.apache.kafka.tools.TopicCommand --bootstrap-server "$(brokers)" "$@" ;;
  run-class) resolve; run_class "$@" ;;
  *) die "usage: $0 resolve|start|stop|clean|status|topics ARGS|run-class CLASS ARGS (got '${cmd}')" ;;
esac
