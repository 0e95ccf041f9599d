#!/usr/bin/env bash
# Runs every fastshare benchmark and writes benchmarks/results/results.{csv,md}.
#   benchmarks/run.sh --quick   (default) under 10 minutes on 2 cores: 1 KB, 1 MB, 100 MB
#   benchmarks/run.sh --full    all sizes 1 KB .. 1 GB, longer JMH iterations (about 30-40 minutes)
#   add --huge-tmpfs (root only) to put every block on a tmpfs mounted with huge=within_size instead of
#   /dev/shm; results then go to benchmarks/results/huge-tmpfs/ (see docs/operations.md)
# Needs: JDK 17+, Maven, Linux with /dev/shm (about 3 GB free in quick mode, 6 GB in full mode); python3 with
# numpy for the Python interop rows (skipped without it).
# The two-process rows include "fastshare via Redis" when a Redis answers at FASTSHARE_BENCH_REDIS
# (host:port, default 127.0.0.1:6379); without one that row is skipped with a message.
set -euo pipefail

mode=quick
huge=no
for arg in "${@:---quick}"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --huge-tmpfs) huge=yes ;;
    *) echo "usage: $0 [--quick|--full] [--huge-tmpfs]" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out=benchmarks/results
blockfs="/dev/shm (tmpfs, default 4 KiB pages)"
if [ "$huge" = yes ]; then
  [ "$(id -u)" = 0 ] || { echo "--huge-tmpfs mounts a tmpfs and needs root" >&2; exit 2; }
  mnt="$(mktemp -d /tmp/fastshare-bench-huge.XXXXXX)"
  mount -t tmpfs -o "size=8g,mode=0700,huge=within_size" tmpfs "$mnt"
  trap 'umount "$mnt" 2>/dev/null; rmdir "$mnt" 2>/dev/null' EXIT
  export FASTSHARE_BENCH_PARENT="$mnt"
  out=benchmarks/results/huge-tmpfs
  blockfs="tmpfs mounted with huge=within_size (2 MiB pages)"
fi
raw=$out/tmp
rm -rf "$raw"
mkdir -p "$raw"

echo ">> building the benchmarks jar"
# Maven 3.8 prints colour-reset escapes even with -B -q: keep its output in a log and show it,
# stripped of escape codes, only when the build fails.
build_log=$(mktemp)
if ! mvn -B -q -Dstyle.color=never package -pl benchmarks -am -DskipTests >"$build_log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$build_log" >&2
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
jar=benchmarks/target/fastshare-benchmarks.jar
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

{
  echo "| machine | |"
  echo "|---|---|"
  echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
  echo "| mode | $mode |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| nproc | $(nproc) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| kernel | $(uname -sr) |"
  echo "| JDK | $("$java_bin" -version 2>&1 | sed -n 2p) |"
  echo "| /dev/shm | $(df -h /dev/shm 2>/dev/null | awk 'NR==2 {print $2 " tmpfs, " $4 " free"}') |"
  echo "| block directory on | $blockfs |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
  # A VM whose balloon reports free pages gives freed tmpfs pages back to the host; the next block then
  # pays host page faults. Worth knowing when reading fastshare's write times.
  reporting=no
  for f in /sys/bus/virtio/drivers/virtio_balloon/virtio*/features; do
    [ -r "$f" ] && [ "$(cut -c6 "$f")" = 1 ] && reporting=yes
  done
  echo "| virtio-balloon free page reporting | $reporting |"
  echo "| commit | $(git rev-parse --short HEAD 2>/dev/null || echo unknown) |"
} > "$raw/machine.md"

if [ "$mode" = quick ]; then
  jmh_sizes=1KB,1MB,100MB
  embeddings_sizes=1KB,1MB
  inline_sizes=1KB
  jmh_iter=(-wi 2 -w 300ms -i 4 -r 400ms)
  # The inline path needs about a second of warm-up before C2 has compiled it (8-9 us before, ~2 us after).
  inline_iter=(-wi 3 -w 1s -i 5 -r 1s)
  cross_sizes=1KB,1MB,100MB
  open_sizes=1MB,100MB,1GB
  cross_args=(--peer-heap 3g --case-budget 10)
  harness_heap=4g
else
  jmh_sizes=1KB,100KB,1MB,10MB,100MB
  embeddings_sizes=1KB,100KB,1MB,10MB,100MB
  inline_sizes=1KB,10KB
  jmh_iter=(-wi 3 -w 1s -i 5 -r 1s)
  inline_iter=(-wi 3 -w 1s -i 5 -r 1s)
  cross_sizes=1KB,100KB,1MB,10MB,100MB,1GB
  open_sizes=1MB,10MB,100MB,1GB
  cross_args=(--peer-heap 6g --case-budget 40)
  harness_heap=8g
fi

echo ">> headline: 100 MB phases and open() latency"
"$java_bin" -Xms4g -Xmx4g -jar "$jar" headline --size 100MB --open-sizes "$open_sizes" --csv "$raw/headline.csv"

echo ">> JMH: single process, sizes $jmh_sizes"
"$java_bin" -jar "$jar" jmh InProcessBenchmark -f 1 "${jmh_iter[@]}" -p size="$jmh_sizes" \
  -rf json -rff "$raw/jmh-inprocess.json"
echo ">> JMH: single process, structured Embeddings record, sizes $embeddings_sizes"
"$java_bin" -jar "$jar" jmh 'InProcessBenchmark\.(fastshare|objectStream|json).*' -f 1 "${jmh_iter[@]}" \
  -p type=EMBEDDINGS -p size="$embeddings_sizes" -rf json -rff "$raw/jmh-inprocess-embeddings.json"
if [ "$mode" = full ]; then
  # 1 GB: no JSON or object streams (their intermediate buffers would need several GB of heap each).
  "$java_bin" -jar "$jar" jmh 'InProcessBenchmark\.(fastshare|floor).*' -f 1 -wi 1 -w 1s -i 3 -r 1s \
    -p size=1GB -p type=BYTES,FLOATS -jvmArgsAppend "-Xms8g -Xmx8g" -rf json -rff "$raw/jmh-inprocess-1gb.json"
fi

echo ">> JMH: small payloads, inline path"
"$java_bin" -jar "$jar" jmh InlineBenchmark -f 1 "${inline_iter[@]}" -p size="$inline_sizes" -rf json -rff "$raw/jmh-inline.json"

echo ">> two processes, sizes $cross_sizes (with fastshare via Redis when ${FASTSHARE_BENCH_REDIS:-127.0.0.1:6379} answers)"
"$java_bin" -Xms$harness_heap -Xmx$harness_heap -XX:+AlwaysPreTouch -jar "$jar" cross --sizes "$cross_sizes" "${cross_args[@]}" \
  --csv "$raw/cross.csv"

if command -v python3 >/dev/null && python3 -c "import numpy" 2>/dev/null; then
  echo ">> Python interop: 100 MB float32, Python alone and with a Java peer"
  python_parent=/dev/shm
  [ "$huge" = yes ] && python_parent="$mnt"
  PYTHONPATH="$root/python" python3 benchmarks/python/python_bench.py --jar "$jar" --java "$java_bin" \
    --size 100MB --iterations "$([ "$mode" = quick ] && echo 9 || echo 21)" --dir "$python_parent" --csv "$raw/python.csv"
else
  echo ">> Python interop skipped: python3 with numpy not found"
fi

echo ">> report"
"$java_bin" -jar "$jar" report --raw "$raw" --out "$out" --mode "$mode"
echo ">> wrote $out/results.md and $out/results.csv"
