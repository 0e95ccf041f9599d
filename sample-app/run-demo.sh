#!/usr/bin/env bash
# fastshare sample demo: builds the sample, starts the producer and the consumer as two separate JVM
# processes on free ports, hands the same payload over by token (shared memory) and over HTTP
# (octet-stream, JSON) several times, prints the results table, then stops both services with SIGTERM
# and checks that no block is left in the demo's block directory, which it removes. When a RabbitMQ broker
# answers at 127.0.0.1:5672 it also runs the RabbitMQ leg (the same batch as a RabbitMQ request-reply,
# offloaded by the starter); without one it says it skipped that leg.
#
# Usage (from anywhere):  ./sample-app/run-demo.sh [--keep-running]
#   --keep-running   leave both services up afterwards (prints their URLs and how to stop them)
# Environment:
#   DEMO_SIZE=256MB          payload of the main comparison (token vs octet-stream)
#   DEMO_JSON_SIZE=16MB      payload of the comparison that adds JSON (0 to skip)
#   DEMO_ROUNDS=5            measured rounds per path, after one warm-up round
#   DEMO_HEAP=<auto>         -Xmx of each JVM; default 3 x DEMO_SIZE + 256m, at least 768m
#   FASTSHARE_DEMO_DIR=/dev/shm/fastshare-demo   block directory shared by both services
#   SKIP_BUILD=1             reuse sample-app/target/fastshare-sample-app.jar
# Needs: JDK 17+, Maven 3.8+, curl.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

KEEP_RUNNING=0
for arg in "$@"; do
  case "$arg" in
    --keep-running) KEEP_RUNNING=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

SIZE=${DEMO_SIZE:-256MB}
JSON_SIZE=${DEMO_JSON_SIZE:-16MB}
ROUNDS=${DEMO_ROUNDS:-5}
if [[ -d /dev/shm ]]; then DEFAULT_DIR=/dev/shm/fastshare-demo; else DEFAULT_DIR=${TMPDIR:-/tmp}/fastshare-demo; fi
DIR=${FASTSHARE_DEMO_DIR:-$DEFAULT_DIR}
JAR=$ROOT/sample-app/target/fastshare-sample-app.jar
WORK=$ROOT/sample-app/target/demo
if [[ -z "${DEMO_HEAP:-}" ]]; then
  size_mb=$(( $(echo "$SIZE" | sed -E 's/^([0-9]+)([KMG]?)B?$/\1 \2/' | awk '{m=$1; if ($2=="G") m*=1024; else if ($2=="K" || $2=="") m=int(m/1048576)+1; print m}') ))
  heap_mb=$(( 3 * size_mb + 256 )); (( heap_mb < 768 )) && heap_mb=768
  DEMO_HEAP=${heap_mb}m
fi

for tool in java curl; do
  command -v "$tool" >/dev/null || { echo "run-demo: '$tool' is needed on the PATH" >&2; exit 1; }
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  command -v mvn >/dev/null || { echo "run-demo: 'mvn' is needed on the PATH" >&2; exit 1; }
  echo "==> building the sample (mvn -B -q -Dstyle.color=never -DskipTests package -pl sample-app -am)"
  # Maven 3.8 prints colour-reset escapes even with -B -q: keep its output in a log and show it,
  # stripped of escape codes, only when the build fails.
  build_log=$(mktemp)
  if ! mvn -B -q -Dstyle.color=never -DskipTests package -pl sample-app -am >"$build_log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$build_log" >&2
    rm -f "$build_log"
    exit 1
  fi
  rm -f "$build_log"
fi
[[ -f "$JAR" ]] || { echo "run-demo: $JAR is missing" >&2; exit 1; }

if compgen -G "$DIR/FSHR_*" >/dev/null; then
  echo "==> $DIR holds blocks from an earlier run; removing the demo directory first"
fi
rm -rf "$DIR" "$WORK"
mkdir -p "$WORK"

CONSUMER_PID=
PRODUCER_PID=

stop() { # pid name: SIGTERM, wait up to 30 s, SIGKILL as a last resort
  local pid=$1 name=$2
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "    $name (pid $pid) ignored SIGTERM for 30 s: killing it" >&2
    kill -KILL "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  if [[ $KEEP_RUNNING == 1 && $status == 0 ]]; then return; fi
  stop "$PRODUCER_PID" producer
  stop "$CONSUMER_PID" consumer
  rm -rf "$DIR"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # role -> sets PID_OUT and PORT_OUT
  local role=$1; shift
  rm -f "$WORK/$role.port"
  PORTFILE="$WORK/$role.port" java -Xms64m -Xmx"$DEMO_HEAP" -jar "$JAR" \
      --spring.profiles.active="$role" --server.port=0 --fastshare.directory="$DIR" "$@" \
      >"$WORK/$role.log" 2>&1 &
  PID_OUT=$!
  local deadline=$(( SECONDS + 120 ))
  while :; do
    if ! kill -0 "$PID_OUT" 2>/dev/null; then
      echo "run-demo: the $role exited during startup; last lines of $WORK/$role.log:" >&2
      tail -n 30 "$WORK/$role.log" >&2; exit 1
    fi
    if [[ -s "$WORK/$role.port" ]]; then
      PORT_OUT=$(cat "$WORK/$role.port")
      # Ready when actuator health answers UP.
      if curl -sf "http://127.0.0.1:$PORT_OUT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then
        return
      fi
    fi
    if (( SECONDS > deadline )); then
      echo "run-demo: the $role did not become healthy within 120 s; see $WORK/$role.log" >&2; exit 1
    fi
    sleep 0.2
  done
}

RABBIT=false
if (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then RABBIT=true; fi

echo "==> starting the consumer and the producer (two JVMs, -Xmx$DEMO_HEAP each, block directory $DIR)"
start consumer --sample.rabbit=$RABBIT
CONSUMER_PID=$PID_OUT; CONSUMER_PORT=$PORT_OUT
echo "    consumer: pid $CONSUMER_PID, http://127.0.0.1:$CONSUMER_PORT (health UP)"
start producer --sample.consumer-url="http://127.0.0.1:$CONSUMER_PORT" --sample.rabbit=$RABBIT
PRODUCER_PID=$PID_OUT; PRODUCER_PORT=$PORT_OUT
echo "    producer: pid $PRODUCER_PID, http://127.0.0.1:$PRODUCER_PORT (health UP)"

echo "==> machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (other work on the host skews the timings)"
echo "==> handing over $SIZE (and $JSON_SIZE with JSON), $ROUNDS rounds per path after a warm-up"
curl -sS --fail-with-body -X POST -H 'Accept: text/plain' \
  "http://127.0.0.1:$PRODUCER_PORT/demo/run?size=$SIZE&json-size=$JSON_SIZE&rounds=$ROUNDS" \
  | tee "$WORK/results.txt"

if [[ $RABBIT == true ]]; then
  echo "==> RabbitMQ leg: the same $SIZE batch as a request-reply through the broker at 127.0.0.1:5672"
  curl -sS --fail-with-body -X POST "http://127.0.0.1:$PRODUCER_PORT/demo/rabbit?size=$SIZE&rounds=$ROUNDS" \
    | tee "$WORK/rabbit.txt"
else
  echo "==> RabbitMQ leg skipped: no RabbitMQ broker answers at 127.0.0.1:5672 (start one with rabbitmq-server -detached)"
fi

live=$(find "$DIR" -maxdepth 1 -name 'FSHR_*' | wc -l)
echo "==> block files in $DIR after the run: $live (every handoff released its block)"
# The token paths go through the producer's shared-memory pool (on by default): say how many it took.
hits=$(curl -s "http://127.0.0.1:$PRODUCER_PORT/actuator/metrics/fastshare.pool.allocations?tag=outcome:hit" \
  | sed -nE 's/.*"value":([0-9.E]+).*/\1/p')
misses=$(curl -s "http://127.0.0.1:$PRODUCER_PORT/actuator/metrics/fastshare.pool.allocations?tag=outcome:fall-through" \
  | sed -nE 's/.*"value":([0-9.E]+).*/\1/p')
if [[ -n "$hits" ]]; then
  echo "    producer's pool: ${hits%.0} block(s) written to pool slots, ${misses%.0} fell through to block files"
fi
metric=$(curl -s "http://127.0.0.1:$PRODUCER_PORT/actuator/metrics/fastshare.blocks.live" || true)
if [[ "$metric" == *'"name":"fastshare.blocks.live"'* ]]; then
  echo "    producer's /actuator/metrics/fastshare.blocks.live: $metric"
fi
summary=$(curl -sf "http://127.0.0.1:$PRODUCER_PORT/actuator/fastshare/orphans" || true)
if [[ -n "$summary" ]]; then
  echo "    producer's /actuator/fastshare/orphans: $summary"
fi

if [[ $KEEP_RUNNING == 1 ]]; then
  cat <<EOF
==> both services keep running (--keep-running):
    producer  http://127.0.0.1:$PRODUCER_PORT   (pid $PRODUCER_PID, log $WORK/producer.log)
    consumer  http://127.0.0.1:$CONSUMER_PORT   (pid $CONSUMER_PID, log $WORK/consumer.log)
    try:  curl -s http://127.0.0.1:$PRODUCER_PORT/actuator/fastshare
    stop: kill -TERM $PRODUCER_PID $CONSUMER_PID && rm -rf $DIR
EOF
  exit 0
fi

echo "==> stopping both services with SIGTERM (graceful shutdown closes each SharedMemoryTemplate)"
stop "$PRODUCER_PID" producer; PRODUCER_PID=
stop "$CONSUMER_PID" consumer; CONSUMER_PID=
left=$(find "$DIR" -name 'FSHR_*' 2>/dev/null | wc -l)
leases=$(find "$DIR/.owners" -name '*.lease' 2>/dev/null | wc -l)
if (( left > 0 || leases > 0 )); then
  echo "run-demo: $left block(s) and $leases lease file(s) left in $DIR:" >&2
  ls -la "$DIR" "$DIR/.owners" >&2 || true
  exit 1
fi
# A closing template gives back its pool segments unless a reader still pins a slot in them; those
# stay until another process's cleanup reclaims them (owner gone, after the grace period).
segments=$(find "$DIR/.pool" -name 'FSHP_*' 2>/dev/null | wc -l)
if (( segments > 0 )); then
  echo "    note: $segments pool segment(s) outlived the services (a slot was still pinned when the producer closed); removed with $DIR"
fi
rm -rf "$DIR"
echo "==> both services stopped; no block left behind; removed $DIR (logs: $WORK)"
