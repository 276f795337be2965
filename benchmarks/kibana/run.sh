#!/usr/bin/env bash
# Kibana rewrite benchmark: Lens's "daily unique count" and "unique count split by country (top 5 terms)" over
# 30-to-60-day windows, every window different, asked once of Elasticsearch directly (request cache at its default)
# and once through Sketchgate (its own JVM, kibana_rewrite: on), sides alternating, after 40 warm-up windows.
# Prints per chart: p50/p99 per side, the median and worst per-window ratio with "met"/"MISSED" (>= 50x), and the
# Elasticsearch CPU each side cost (_nodes/stats/process).
# See benchmarks/README.md, "Kibana rewrite".
#
#   benchmarks/kibana/run.sh [EVENTS [ITERATIONS [ES_HEAP PROXY_HEAP SKETCH_CACHE]]]
#       defaults: 1000000 page views, 20 distinct windows per chart, 1g, 1g, 256mb (the product default cache)
#   benchmarks/kibana/run.sh 30000000 20 2g 2g 1gb      # the scale run
#
# Builds the jars when missing (proxy, benchmarks); Elasticsearch (about 1 GB heap) is the integ-test zip the
# proxy's tests use, started and stopped by the benchmark itself. Takes about 5 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
command -v java >/dev/null || { echo "run.sh: Java 17 is required" >&2; exit 1; }

jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" || -n "$(find proxy/src/main hll/src/main benchmarks/src/main -newer "$jar" -print -quit)" ]]; then
  echo "[kibana-bench] building the benchmark jar" >&2
  ./mvnw -B -q -o -DskipTests -pl benchmarks -am package >&2 || ./mvnw -B -q -DskipTests -pl benchmarks -am package >&2
fi
[[ -f proxy/target/sketchgate.jar ]] || ./mvnw -B -q -DskipTests -pl proxy -am package >&2
exec java -Xmx1g -cp "$jar" io.sketchgate.rewrite.KibanaRewriteBenchmark "$@"
