#!/usr/bin/env bash
# Soak: mixed Kibana-like load (Lens charts answered by the rewrite, Discover searches, a refused 90-day query,
# _msearch, passthrough) through one proxy with policy and the Kibana rewrite on, for --minutes (default 30);
# samples the proxy's heap after GC, open file descriptors and threads, and prints a verdict: flat heap and
# descriptors, no errors beyond the intended rejections. See benchmarks/README.md, "Soak".
#
#   benchmarks/soak/run.sh [--minutes 30] [--events 200000] [--clients 4] [--sample-seconds 30]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" || -n "$(find proxy/src/main hll/src/main benchmarks/src/main -newer "$jar" -print -quit)" ]]; then
  echo "[soak] building the benchmark jar" >&2
  ./mvnw -B -q -o -DskipTests -pl benchmarks -am package >&2 || ./mvnw -B -q -DskipTests -pl benchmarks -am package >&2
fi
exec java -Xmx512m -cp "$jar" io.sketchgate.rewrite.Soak "$@"
