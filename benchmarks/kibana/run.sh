#!/usr/bin/env bash
# Kibana rewrite benchmark: Lens's "daily unique count over 60 days" and "unique count split by country (top 5
# terms) over 60 days" replayed one at a time against an embedded Elasticsearch directly (request_cache=false)
# and through Sketchgate with kibana_rewrite: on, in the same run over the same demo-sized sample data,
# precomputed. Prints one table: median and p90 latency per side, the ratio of medians with "target met" or
# "target MISSED" (>= 50x), and the Elasticsearch CPU time each side cost (_nodes/stats/process).
# See benchmarks/README.md, "Kibana rewrite".
#
#   benchmarks/kibana/run.sh [EVENTS [ITERATIONS]]     defaults: 1000000 page views, 20 timed requests per row
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
exec java -Xmx1g -cp "$jar" io.sketchgate.rewrite.KibanaRewriteBenchmark "$@"
