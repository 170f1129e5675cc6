#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) for tests and local development.
# The broker jars come from Maven Central through infra/kafka/pom.xml; no Docker is needed.
#   scripts/kafka.sh start|stop|status|logs
#
# KAFKA_SECURITY=sasl_ssl starts it as production runs Kafka (README, "Security", "Kafka"): TLS with a
# certificate of a CA generated for this state folder, SCRAM-SHA-512 logins, and an authorizer that allows
# each service only what it needs (npm run kafka:setup creates the topics and grants). The credentials of
# the administrator and of each service are written to $KAFKA_STATE_DIR/secrets (mode 0600), with an
# env file per service (secrets/<service>.env) to start it with.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA="$ROOT/infra/kafka"
SECURITY="${KAFKA_SECURITY:-plaintext}"
case "$SECURITY" in
  plaintext) DEFAULT_STATE="$ROOT/.data/kafka" ;;
  sasl_ssl) DEFAULT_STATE="$ROOT/.data/kafka-secure" ;;
  *) echo "kafka.sh: KAFKA_SECURITY must be plaintext or sasl_ssl (got $SECURITY)" >&2; exit 2 ;;
esac
STATE="${KAFKA_STATE_DIR:-$DEFAULT_STATE}"
SECRETS="$STATE/secrets"
# The services' Kafka users: one per department service, named as the services are (with KAFKA_NAME_PREFIX),
# and `platform` for apps/platform running every department in one process (the union of their grants).
SERVICES=(intake civil-affairs health housing education oversight platform)
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

# 32 hex digits (128 bits): no character the --add-scram or JAAS syntax would read specially.
random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

secret_of() {
  cat "$SECRETS/$1.password"
}

# A CA for this state folder, and the broker's key and certificate signed by it (for 127.0.0.1 and
# localhost). Clients trust secrets/ca.pem; the controller listener wants the broker's own certificate.
make_tls() {
  [[ -f "$SECRETS/broker.p12" ]] && return 0
  command -v keytool >/dev/null || { echo "kafka.sh: keytool (Java 17+) is required for KAFKA_SECURITY=sasl_ssl" >&2; exit 1; }
  local pass
  pass="$(random_secret)"
  printf '%s' "$pass" >"$SECRETS/keystore.password"
  local kt=(keytool -storetype PKCS12 -storepass "$pass" -keypass "$pass")
  "${kt[@]}" -genkeypair -alias ca -keystore "$SECRETS/ca.p12" -keyalg EC -groupname secp256r1 \
    -dname "CN=Social Assistance Kafka CA" -validity 3650 -ext bc:c >/dev/null 2>&1
  "${kt[@]}" -exportcert -rfc -alias ca -keystore "$SECRETS/ca.p12" -file "$SECRETS/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -genkeypair -alias broker -keystore "$SECRETS/broker.p12" -keyalg EC -groupname secp256r1 \
    -dname "CN=kafka-broker" -validity 825 >/dev/null 2>&1
  "${kt[@]}" -certreq -alias broker -keystore "$SECRETS/broker.p12" -file "$SECRETS/broker.csr" >/dev/null 2>&1
  "${kt[@]}" -gencert -alias ca -keystore "$SECRETS/ca.p12" -infile "$SECRETS/broker.csr" -rfc \
    -outfile "$SECRETS/broker.pem" -validity 825 -ext "SAN=ip:127.0.0.1,dns:localhost" \
    -ext "EKU=serverAuth,clientAuth" >/dev/null 2>&1
  "${kt[@]}" -importcert -noprompt -alias ca -keystore "$SECRETS/broker.p12" -file "$SECRETS/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -importcert -noprompt -alias broker -keystore "$SECRETS/broker.p12" -file "$SECRETS/broker.pem" >/dev/null 2>&1
  "${kt[@]}" -importcert -noprompt -alias ca -keystore "$SECRETS/truststore.p12" -file "$SECRETS/ca.pem" >/dev/null 2>&1
  rm -f "$SECRETS/broker.csr"
}

# Passwords of the administrator and of each service, and an env file per service.
make_users() {
  local user
  for user in admin "${SERVICES[@]}"; do
    [[ -f "$SECRETS/$user.password" ]] || random_secret >"$SECRETS/$user.password"
  done
  for user in admin "${SERVICES[@]}"; do
    cat >"$SECRETS/$user.env" <<ENV
KAFKA_BROKERS=127.0.0.1:${PORT}
KAFKA_SECURITY=sasl_ssl
KAFKA_SSL_CA_FILE=${SECRETS}/ca.pem
KAFKA_SASL_MECHANISM=scram-sha-512
KAFKA_SASL_USERNAME=${KAFKA_NAME_PREFIX:-}${user}
KAFKA_SASL_PASSWORD_FILE=${SECRETS}/${user}.password
ENV
  done
}

write_config() {
  mkdir -p "$STATE/logs"
  if [[ "$SECURITY" == sasl_ssl ]]; then
    local kpass admin_pass
    kpass="$(cat "$SECRETS/keystore.password")"
    admin_pass="$(secret_of admin)"
    cat >"$CONF" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=SASL_SSL://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=SASL_SSL://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
# The controller listener takes only the broker's own certificate (mutual TLS): nobody else reaches it.
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL
listener.name.controller.ssl.client.auth=required
ssl.keystore.type=PKCS12
ssl.keystore.location=${SECRETS}/broker.p12
ssl.keystore.password=${kpass}
ssl.key.password=${kpass}
ssl.truststore.type=PKCS12
ssl.truststore.location=${SECRETS}/truststore.p12
ssl.truststore.password=${kpass}
ssl.endpoint.identification.algorithm=https
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_NAME_PREFIX:-}admin" password="${admin_pass}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:${KAFKA_NAME_PREFIX:-}admin;User:CN=kafka-broker
CONF
  else
    cat >"$CONF" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
CONF
  fi
  cat >>"$CONF" <<CONF
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
  mkdir -p "$STATE"
  if [[ -f "$STATE/logs/meta.properties" && "$(cat "$STATE/security" 2>/dev/null || echo plaintext)" != "$SECURITY" ]]; then
    echo "kafka.sh: $STATE holds a $(cat "$STATE/security" 2>/dev/null || echo plaintext) broker; use another KAFKA_STATE_DIR or 'reset' it" >&2
    exit 1
  fi
  local scram=()
  if [[ "$SECURITY" == sasl_ssl ]]; then
    (umask 077 && mkdir -p "$SECRETS" && make_tls && make_users)
    local user
    for user in admin "${SERVICES[@]}"; do
      scram+=(--add-scram "SCRAM-SHA-512=[name=${KAFKA_NAME_PREFIX:-}${user},password=$(secret_of "$user")]")
    done
  fi
  (umask 077 && write_config)
  if [[ ! -f "$STATE/logs/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n1)"
    # SCRAM users of a KRaft cluster are written into its metadata when it is formatted.
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" "${scram[@]}" >/dev/null
    echo "$SECURITY" >"$STATE/security"
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
  if [[ "$SECURITY" == sasl_ssl ]]; then
    # Topics and each service's grants, applied as the administrator (safe to repeat).
    node "$ROOT/scripts/build.mjs" --no-web >/dev/null 2>&1
    (set -a && . "$SECRETS/admin.env" && set +a && node "$ROOT/dist/apps/platform/src/cli/kafka-setup.js" --quiet)
    echo "kafka.sh: SASL_SSL with per-service ACLs; each service's settings are in $SECRETS/<service>.env"
  fi
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
