#!/usr/bin/env bash
# Builds the hll benchmarks and runs them in one JMH run next to Apache DataSketches HLL_4 and
# HLL_8, then prints one row per measurement with the ratios Sketchgate / DataSketches and the
# bytes-per-sketch table. Extra arguments are JMH options and replace the defaults, e.g.
#   benchmarks/hll-bench.sh -f 1 -wi 5 -i 5 -w 2s -r 2s
#   benchmarks/hll-bench.sh 'UnionBenchmark' -f 1 -wi 1 -i 1 -w 1s -r 1s
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl hll,benchmarks -am -DskipTests package

if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 1s -r 1s
fi
exec java -cp benchmarks/target/benchmarks.jar io.sketchgate.hll.HllBenchReport "$@"
