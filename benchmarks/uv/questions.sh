#!/usr/bin/env bash
# Distinct UV questions (issue 16): the UV API through a proxy in its own warmed JVM vs Elasticsearch's
# date_histogram/terms + cardinality, every question different, sides alternating, ES request cache at its default.
# Starts its own embedded Elasticsearch (stopped on exit), loads deterministic sample web logs, precomputes, and
# prints one table per kind of question (medians, p99, ratios, ES requests and ES CPU per question, error, bounds).
#
#   benchmarks/uv/questions.sh                                  # 1,000,000 events over 14 days, 96 questions
#   benchmarks/uv/questions.sh --events 30000000 --days 60 --users 2000000 --es-heap 2g --proxy-heap 2g --sketch-cache 1gb   # the scale run
#   benchmarks/uv/questions.sh --events 50000 --questions 16 --jit-warmup-seconds 2      # smoke run
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_jar="$root/benchmarks/target/benchmarks.jar"
proxy_jar="$root/proxy/target/sketchgate.jar"
stale() {
  [[ ! -f "$1" ]] && return 0
  [[ -n "$(cd "$root" && find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -path './*/src/main/*' -o -name pom.xml \) -type f -newer "$1" -print -quit)" ]]
}
if stale "$bench_jar" || stale "$proxy_jar"; then
  echo "building the proxy and benchmark jars" >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl hll,proxy,benchmarks package >&2)
fi
cd "$root"
# shellcheck disable=SC2086
exec java ${SKETCHGATE_JAVA_OPTS:--Xmx2g} -cp "$bench_jar" io.sketchgate.uniques.UvQuestionsBenchmark \
  --proxy-jar "$proxy_jar" "$@"
