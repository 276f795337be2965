#!/usr/bin/env bash
# First requests after start, with and without the start-up warm-up (listeners.warmup): each round starts a fresh
# Sketchgate JVM per setting (alternating which goes first) in front of a minimal in-process upstream and sends
# the Kibana-style POST /logs-web/_search one at a time over one keep-alive connection as soon as the health
# endpoint answers. See benchmarks/README.md, "First requests after start".
#
#   benchmarks/startup/run.sh [--rounds 5] [--requests 1000] [--policy on|off] [--request search|get]
#                             [--java-opts "-Xmx512m"]
#
# Columns: ready (launch to health answering: JVM start, config, warm-up when on), the first request, the first
# N requests in total, their p50/p99/max; medians over the rounds. Timings need a quiet machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds=5
requests=1000
policy=off
request=search
java_opts="${SKETCHGATE_JAVA_OPTS:--Xmx512m}"
while (($#)); do
  case "$1" in
    --rounds) rounds="${2:?}"; shift 2 ;;
    --requests) requests="${2:?}"; shift 2 ;;
    --policy) policy="${2:?}"; shift 2 ;;
    --request) request="${2:?}"; shift 2 ;;
    --java-opts) java_opts="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$requests" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds and --requests are positive whole numbers" >&2; exit 2; }

proxy_jar="$root/proxy/target/sketchgate.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$proxy_jar" || ! -f "$bench_jar" ]] || [[ -n "$(cd "$root" && find . -path ./.git -prune -o -path '*/target' -prune -o \
    \( -path './*/src/*' -o -name pom.xml \) -type f -newer "$bench_jar" -print -quit)" ]]; then
  echo "building the proxy and benchmark jars" >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl benchmarks -am package >&2)
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for ((round = 1; round <= rounds; round++)); do
  order=(off on)
  ((round % 2 == 0)) && order=(on off)
  for warmup in "${order[@]}"; do
    line="$(java -Xmx256m -cp "$bench_jar" io.sketchgate.transport.FirstRequestLatency --jar "$proxy_jar" \
      --java-opts "$java_opts" --warmup "$warmup" --policy "$policy" --requests "$requests" --request "$request" \
      | grep '^RESULT')"
    echo "round $round: $line" >&2
    echo "$line" >>"$results"
  done
done

median() {   # warmup, key
  grep " warmup=$1 " "$results" | sed -n "s/.* $2=\([^ ]*\).*/\1/p" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "First $requests requests after start: $request, policy $policy, java $java_opts; medians of $rounds rounds"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %9s %10s %14s %9s %9s %9s\n' warmup "ready ms" "first ms" "first-N total" "p50 ms" "p99 ms" "max ms"
for warmup in off on; do
  printf '%-8s %9s %10s %14s %9s %9s %9s\n' "$warmup" "$(median "$warmup" ready_ms)" "$(median "$warmup" first_ms)" \
    "$(median "$warmup" total_ms)" "$(median "$warmup" p50_ms)" "$(median "$warmup" p99_ms)" "$(median "$warmup" max_ms)"
done
