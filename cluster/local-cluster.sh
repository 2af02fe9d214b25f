#!/usr/bin/env bash
# A Flink session cluster and a Kafka broker on this machine, without Docker: four JVM processes
# (kafka, jobmanager, taskmanager-1, taskmanager-2) started from the jars that `mvn package`
# gathers from Maven Central into cluster/flink/target/lib and cluster/kafka/target/lib. The
# Flink processes read deploy/flink/config.yaml, the file the compose cluster uses; only
# addresses, ports and paths are overridden here. Step by step: docs/cluster.md.
#
#   cluster/local-cluster.sh start                 start every process, wait until ready
#   cluster/local-cluster.sh submit ARGS...        submit the job as deploy/submit-job.sh does
#   cluster/local-cluster.sh flink ARGS...         the flink CLI, pointed at this cluster
#   cluster/local-cluster.sh latest-checkpoint JOB_ID   the newest retained checkpoint of a job
#   cluster/local-cluster.sh status                which processes run, their pids and ports
#   cluster/local-cluster.sh stop                  stop every process (the data stays)
#   cluster/local-cluster.sh start-process NAME    start one process again
#   cluster/local-cluster.sh stop-process NAME     stop one process (SIGTERM)
#   cluster/local-cluster.sh kill-process NAME     kill one process (SIGKILL)
#
# Everything a run writes (Kafka's data, checkpoints, savepoints, logs, pid files) goes to
# LOCAL_CLUSTER_DIR (default: local-cluster/ in the repository). Every process listens on
# CLUSTER_HOST only (default 127.0.0.1). TASKMANAGER_<n>_NETNS runs TaskManager n in that network
# namespace, listening on TASKMANAGER_<n>_HOST, an address of the namespace from which
# CLUSTER_HOST is reachable (as a TaskManager on another machine would be). Ports, each
# overridable by the environment variable of the same name:
#   FLINK_REST_PORT=8081  web UI and REST API
#   FLINK_RPC_PORT=6123   JobManager RPC
#   KAFKA_PORT=9092       Kafka clients (bootstrap server 127.0.0.1:9092)
#   KAFKA_CONTROLLER_PORT=9093
#   KAFKA_SASL_PORT=9094  Kafka clients that authenticate: SASL_PLAINTEXT, mechanism PLAIN, user
#                         interest-tracker; LOCAL_CLUSTER_DIR/kafka-sasl-client.properties holds
#                         the client settings with the password, for --kafka-properties
#   PROMETHEUS_PORT=9249  metrics of the JobManager; the TaskManagers use the next two ports
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="$(mkdir -p "${LOCAL_CLUSTER_DIR:-$repo/local-cluster}" && cd "${LOCAL_CLUSTER_DIR:-$repo/local-cluster}" && pwd)"
flink_lib="$repo/cluster/flink/target/lib"
kafka_lib="$repo/cluster/kafka/target/lib"
flink_conf="$repo/deploy/flink"
job_jar="${INTEREST_TRACKER_JAR:-$repo/flink-job/target/interest-tracker-job.jar}"

rest_port="${FLINK_REST_PORT:-8081}"
rpc_port="${FLINK_RPC_PORT:-6123}"
kafka_port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
sasl_port="${KAFKA_SASL_PORT:-9094}"
sasl_user=interest-tracker
prometheus_port="${PROMETHEUS_PORT:-9249}"
host="${CLUSTER_HOST:-127.0.0.1}"
processes=(kafka jobmanager taskmanager-1 taskmanager-2)
ready_timeout_s="${READY_TIMEOUT_S:-120}"
# Flink looks for plugins here; the reporter and the state backend are on the class path instead.
export FLINK_PLUGINS_DIR="$run_dir/plugins"
mkdir -p "$FLINK_PLUGINS_DIR"

log() { echo "local-cluster: $*" >&2; }
fail() { log "$*"; exit 1; }

require_built() {
  [[ -d "$flink_lib" && -d "$kafka_lib" ]] \
    || fail "$flink_lib or $kafka_lib is missing: build first with mvn -B package -DskipTests"
}

pid_file() { echo "$run_dir/pids/$1.pid"; }

running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# The value of one flattened key of deploy/flink/config.yaml, as Flink itself parses the file.
flink_config_value() {
  bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION -flatten \
    | sed -n "s/^BASH_JAVA_UTILS_EXEC_RESULT:$1: //p"
}

# JVM memory flags (first line) and the memory settings they imply (second line), computed from
# config.yaml by the same Flink utility the distribution's start scripts call.
flink_resource_params() {
  bash_java_utils "$1" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# What Flink's BashJavaUtils answers for a command on config.yaml. A JVM start takes about a second
# and every process start and CLI call asks, so each answer is kept in the run directory until
# config.yaml changes.
bash_java_utils() {
  local cache="$run_dir/bash-java-utils/${*// /_}"
  if [[ ! -s "$cache" || "$flink_conf/config.yaml" -nt "$cache" ]]; then
    mkdir -p "${cache%/*}"
    java -cp "$flink_lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "$@" --configDir "$flink_conf" >"$cache.new" 2>/dev/null || true
    mv "$cache.new" "$cache"
  fi
  cat "$cache"
}

# Settings of this machine's run that differ from the compose cluster's: addresses and paths.
# Arguments: the process name, its metrics port and the address it listens on.
flink_overrides() {
  local overrides=(
    -D "jobmanager.rpc.address=$host" -D "jobmanager.rpc.port=$rpc_port"
    -D "jobmanager.bind-host=$host"
    -D "rest.address=$host" -D "rest.bind-address=$host" -D "rest.port=$rest_port"
    -D "taskmanager.host=$3" -D "taskmanager.bind-host=$3"
    -D "execution.checkpointing.dir=file://$run_dir/flink-data/checkpoints"
    -D "execution.checkpointing.savepoint-dir=file://$run_dir/flink-data/savepoints"
    -D "io.tmp.dirs=$run_dir/tmp/$1"
    -D "metrics.reporter.prom.port=$2"
    # The web UI and REST API name each TaskManager by its process name.
    -D "taskmanager.resource-id=$1"
  )
  printf '%s\n' "${overrides[@]}"
}

# Starts a command in the background, detached from this shell, and records its pid.
launch() {
  local name="$1"
  shift
  mkdir -p "$run_dir/pids" "$run_dir/logs"
  setsid "$@" >"$run_dir/logs/$name.out" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
  log "$name started (pid $!), log in $run_dir/logs/$name.log"
}

# Arguments: name, main class, the BashJavaUtils command for its memory, metrics port, the address
# it listens on and the network namespace it runs in (empty: this one).
start_flink_process() {
  local name="$1" entrypoint="$2" resources="$3" prometheus="$4" own_host="$5" netns="$6"
  local params jvm_memory dynamic_memory overrides in_netns=()
  params="$(flink_resource_params "$resources")"
  jvm_memory="$(sed -n 1p <<<"$params")"
  dynamic_memory="$(sed -n 2p <<<"$params")"
  [[ -n "$jvm_memory" ]] || fail "Flink could not compute the memory of $name from $flink_conf"
  mapfile -t overrides < <(flink_overrides "$name" "$prometheus" "$own_host")
  [[ -z "$netns" ]] || in_netns=(ip netns exec "$netns")
  mkdir -p "$run_dir/tmp/$name" "$run_dir/flink-data/checkpoints" "$run_dir/flink-data/savepoints"
  # shellcheck disable=SC2086 # the memory flags and default options are lists of words
  launch "$name" "${in_netns[@]}" java $jvm_memory $(flink_config_value env.java.default-opts.all) \
    "-Dlog.file=$run_dir/logs/$name.log" \
    "-Dlog4j.configurationFile=$repo/cluster/flink/log4j.properties" \
    "-Xlog:gc:file=$run_dir/logs/$name.gc.log:time" \
    -cp "$flink_lib/*" "$entrypoint" --configDir "$flink_conf" \
    $dynamic_memory "${overrides[@]}"
}

# The password of the SASL user: chosen once per run directory, readable by its owner only.
sasl_password() {
  local file="$run_dir/kafka-sasl-password"
  if [[ ! -f "$file" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$file")
  fi
  cat "$file"
}

# The broker's configuration for this run: the committed settings, then listeners, the SASL user
# and the data directory. Also writes the client properties that authenticate as that user.
write_kafka_config() {
  local password jaas
  password="$(sasl_password)"
  jaas="org.apache.kafka.common.security.plain.PlainLoginModule required"
  (
    umask 077
    cat "$repo/cluster/kafka/server.properties"
    echo
    echo "# Appended by cluster/local-cluster.sh for this run."
    echo "listeners=PLAINTEXT://$host:$kafka_port,CONTROLLER://$host:$controller_port,SASL_PLAINTEXT://$host:$sasl_port"
    echo "advertised.listeners=PLAINTEXT://$host:$kafka_port,SASL_PLAINTEXT://$host:$sasl_port"
    echo "listener.name.sasl_plaintext.plain.sasl.jaas.config=$jaas user_$sasl_user=\"$password\";"
    echo "controller.quorum.bootstrap.servers=$host:$controller_port"
    echo "log.dirs=$run_dir/kafka-data"
  ) >"$run_dir/kafka-server.properties"
  (
    umask 077
    echo "# Client settings for the broker's SASL listener $host:$sasl_port (--kafka-properties)."
    echo "security.protocol=SASL_PLAINTEXT"
    echo "sasl.mechanism=PLAIN"
    echo "sasl.jaas.config=$jaas username=\"$sasl_user\" password=\"$password\";"
  ) >"$run_dir/kafka-sasl-client.properties"
}

start_kafka() {
  local config="$run_dir/kafka-server.properties"
  local kafka_java=(java -Xms512m -Xmx1g "-Dlog.file=$run_dir/logs/kafka.log"
    "-Dlog4j2.configurationFile=$repo/cluster/kafka/log4j.properties" -cp "$kafka_lib/*")
  write_kafka_config
  # Formatted once: a broker started again keeps the data directory it had.
  if [[ ! -f "$run_dir/kafka-data/meta.properties" ]]; then
    "${kafka_java[@]}" kafka.tools.StorageTool format --standalone \
      --cluster-id "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)" \
      --config "$config" >"$run_dir/logs/kafka-format.out" 2>&1 \
      || fail "formatting Kafka's data directory failed: $run_dir/logs/kafka-format.out"
  fi
  launch kafka "${kafka_java[@]}" kafka.Kafka "$config"
}

start_process() {
  local name="$1"
  if running_pid "$name" >/dev/null; then
    log "$name already runs (pid $(running_pid "$name"))"
    return
  fi
  case "$name" in
    kafka) start_kafka ;;
    jobmanager)
      start_flink_process jobmanager \
        org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
        GET_JM_RESOURCE_PARAMS "$prometheus_port" "$host" "" ;;
    taskmanager-1 | taskmanager-2)
      local number="${name#taskmanager-}" netns_variable host_variable
      netns_variable="TASKMANAGER_${number}_NETNS"
      host_variable="TASKMANAGER_${number}_HOST"
      start_flink_process "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        GET_TM_RESOURCE_PARAMS "$((prometheus_port + number))" \
        "${!host_variable:-$host}" "${!netns_variable:-}" ;;
    *) fail "no process named $name; the processes are: ${processes[*]}" ;;
  esac
}

signal_process() {
  local signal="$1" name="$2" pid
  if ! pid="$(running_pid "$name")"; then
    log "$name does not run"
    return
  fi
  kill "-$signal" "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$(pid_file "$name")"
  log "$name stopped (SIG$signal)"
}

port_open() { (echo >"/dev/tcp/$host/$1") 2>/dev/null; }

# Waits until the broker serves clients and the JobManager counts both TaskManagers.
wait_until_ready() {
  local deadline=$((SECONDS + ready_timeout_s)) taskmanagers
  until port_open "$kafka_port"; do
    ((SECONDS < deadline)) || fail "Kafka is not listening on $kafka_port: see $run_dir/logs/kafka.log"
    sleep 0.5
  done
  until taskmanagers="$(curl -sf "http://$host:$rest_port/taskmanagers" | jq '.taskmanagers | length')" \
    && ((taskmanagers == 2)); do
    ((SECONDS < deadline)) \
      || fail "the JobManager on $rest_port does not see two TaskManagers: see $run_dir/logs"
    sleep 0.5
  done
  log "ready: Kafka at $host:$kafka_port (SASL: $host:$sasl_port), Flink web UI at http://$host:$rest_port"
}

# The flink CLI: Flink's own entry point over the assembled jars, with a client configuration
# that knows only where the cluster is, as the compose file's submit container does.
flink_cli() {
  mkdir -p "$run_dir/client-conf"
  printf 'rest.address: %s\nrest.port: %s\n' "$host" "$rest_port" >"$run_dir/client-conf/config.yaml"
  cp "$repo/cluster/flink/log4j-cli.properties" "$run_dir/client-conf/log4j-cli.properties"
  # shellcheck disable=SC2046 # the default options are a list of words
  FLINK_CONF_DIR="$run_dir/client-conf" exec java $(flink_config_value env.java.default-opts.all) \
    "-Dlog4j.configurationFile=$run_dir/client-conf/log4j-cli.properties" \
    -cp "$flink_lib/*" org.apache.flink.client.cli.CliFrontend "$@"
}

# A job restarted by hand (flink run -s) resumes from here: the chk-N directory with the highest N
# that holds a _metadata file, that is, a checkpoint that completed.
latest_checkpoint() {
  local latest
  latest="$(find "$run_dir/flink-data/checkpoints/$1" -path '*/chk-*/_metadata' 2>/dev/null \
    | sort -V | tail -n 1)"
  [[ -n "$latest" ]] || fail "job $1 has no completed checkpoint in $run_dir/flink-data/checkpoints"
  echo "file://$(dirname "$latest")"
}

status() {
  local name pid
  for name in "${processes[@]}"; do
    if pid="$(running_pid "$name")"; then
      echo "$name running (pid $pid)"
    else
      echo "$name stopped"
    fi
  done
  echo "Kafka $host:$kafka_port, web UI http://$host:$rest_port, data and logs in $run_dir"
}

command="${1:-}"
shift || true
case "$command" in
  start)
    require_built
    for name in "${processes[@]}"; do start_process "$name"; done
    wait_until_ready ;;
  stop)
    for name in taskmanager-2 taskmanager-1 jobmanager kafka; do signal_process TERM "$name"; done ;;
  status) status ;;
  start-process) require_built; start_process "${1:?start-process needs a process name}" ;;
  stop-process) signal_process TERM "${1:?stop-process needs a process name}" ;;
  kill-process) signal_process KILL "${1:?kill-process needs a process name}" ;;
  wait-until-ready) wait_until_ready ;;
  latest-checkpoint) latest_checkpoint "${1:?latest-checkpoint needs a job id}" ;;
  flink) flink_cli "$@" ;;
  submit)
    [[ -f "$job_jar" ]] || fail "$job_jar is missing: build it with mvn -B package -DskipTests"
    PATH="$repo/cluster/bin:$PATH" LOCAL_CLUSTER_DIR="$run_dir" JOBMANAGER="$host:$rest_port" \
      INTEREST_TRACKER_JAR="$job_jar" exec "$repo/deploy/submit-job.sh" "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    [[ -z "$command" ]] || fail "unknown command: $command" ;;
esac
