#!/usr/bin/env bash
# The unique-count benchmark of issue 6, in one run:
#   (a) PrecomputeJob over the whole data vs Elasticsearch scanning it once with one composite aggregation;
#   (b) one daily-UV question REPEATED (60 days, and the last 7 days unaligned) from ES cardinality vs the UV API;
#       with median/p90 latency, ratios and each side's error against the generator's truth. For distinct
#       questions, as analysts ask them, use benchmarks/uv/questions.sh.
# Starts its own embedded Elasticsearch (stopped on exit), loads deterministic sample web logs and prints one table.
#
#   benchmarks/uv/run.sh                       # 1,000,000 events over 60 days (the demo's size), ~5-8 min here
#   benchmarks/uv/run.sh --events 10000000     # the larger set
#   benchmarks/uv/run.sh --events 100000 --reps 5 --warmup 1   # smoke run
# Options: --events N --days N --users N --seed N --question-days N --reps N --warmup N --es-heap SIZE
#          --es-version V --es-dist PATH. SKETCHGATE_JAVA_OPTS sets the benchmark JVM's flags (default -Xmx1g).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_jar="$root/benchmarks/target/benchmarks.jar"

stale() {
  [[ ! -f "$bench_jar" ]] && return 0
  [[ -n "$(cd "$root" && find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -path './*/src/main/*' -o -name pom.xml \) -type f -newer "$bench_jar" -print -quit)" ]]
}
if stale; then
  echo "building benchmarks/target/benchmarks.jar" >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl hll,proxy,benchmarks package >&2)
fi

cd "$root"   # the embedded Elasticsearch looks for proxy/target/es-dist from here, then ~/.m2
# shellcheck disable=SC2086
exec java ${SKETCHGATE_JAVA_OPTS:--Xmx1g} -cp "$bench_jar" io.sketchgate.uniques.UvBenchmark "$@"
