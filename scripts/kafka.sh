#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) for tests and local development.
# The broker jars come from Maven Central through infra/kafka/pom.xml; no Docker is needed.
#   scripts/kafka.sh start|stop|status|logs
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA="$ROOT/infra/kafka"
STATE="${KAFKA_STATE_DIR:-$ROOT/.data/kafka}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
PIDFILE="$STATE/broker.pid"
LOG="$STATE/broker.log"
CONF="$STATE/server.properties"
LIB="$INFRA/target/lib"

is_running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fetch_jars() {
  if [[ ! -f "$LIB/.complete" ]]; then
    command -v mvn >/dev/null || { echo "kafka.sh: Maven (mvn) is required to fetch the Kafka broker" >&2; exit 1; }
    command -v java >/dev/null || { echo "kafka.sh: Java 17+ is required to run the Kafka broker" >&2; exit 1; }
    echo "kafka.sh: fetching Kafka broker jars with Maven (cached in ~/.m2 after the first run)"
    mvn -q -B -f "$INFRA/pom.xml" package
    touch "$LIB/.complete"
  fi
}

write_config() {
  mkdir -p "$STATE/logs"
  cat >"$CONF" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${STATE}/logs
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Consumers use a 3 s session (KAFKA_SESSION_TIMEOUT_MS) so a restarted one resumes within seconds.
group.min.session.timeout.ms=1000
log.retention.hours=168
CONF
  cat >"$STATE/log4j.properties" <<'L4J'
log4j.rootLogger=WARN, file
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
  sed -i "1i log4j.appender.file.File=${STATE}/server.log" "$STATE/log4j.properties"
}

java_cmd() {
  java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$STATE/log4j.properties" \
    -cp "$LIB/*" "$@"
}

start() {
  if is_running; then
    echo "kafka.sh: broker already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  if port_open "$PORT"; then
    echo "kafka.sh: port $PORT is taken by another process; set KAFKA_PORT or stop it" >&2
    exit 1
  fi
  fetch_jars
  write_config
  if [[ ! -f "$STATE/logs/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n1)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" >/dev/null
  fi
  # setsid: the broker gets its own process group, so stopping the caller's shell does not leave it half-dead.
  setsid bash -c "exec java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration=file:$STATE/log4j.properties -cp '$LIB/*' kafka.Kafka '$CONF'" \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local waited=0
  until port_open "$PORT" && grep -q "Kafka Server started" "$STATE/server.log" "$LOG" 2>/dev/null; do
    if ! is_running; then
      echo "kafka.sh: broker exited during start; last lines of $LOG:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    if ((waited >= 120)); then
      echo "kafka.sh: broker did not accept connections within 60 s; see $LOG" >&2
      stop
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  echo "kafka.sh: broker ready on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), logs in $STATE)"
}

stop() {
  if ! is_running; then
    rm -f "$PIDFILE"
    echo "kafka.sh: broker not running"
    return 0
  fi
  local pid
  pid="$(cat "$PIDFILE")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  echo "kafka.sh: broker stopped"
}

status() {
  if is_running && port_open "$PORT"; then
    echo "kafka.sh: running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
  else
    echo "kafka.sh: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$STATE"; echo "kafka.sh: state removed" ;;
  logs) tail -n 100 "$LOG" "$STATE/server.log" ;;
  *) echo "usage: scripts/kafka.sh start|stop|status|reset|logs" >&2; exit 2 ;;
esac
