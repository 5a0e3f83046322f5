#!/usr/bin/env bash
# Engine throughput benchmark: decode (batch 1/8/32) and prefill (128/512) for stories260K and
# random-weight 15M and 110M shapes, beside the machine's limits and llama2.c's run.c.
#
# Usage: benchmarks/engine/run-engine-bench.sh [--llama2c DIR] [EngineBenchmark options...]
#   --llama2c DIR  a checkout of karpathy/llama2.c (fetched separately, never committed); its
#                  run.c is built here with -Ofast -fopenmp -march=native and run on the same
#                  checkpoints.
# Writes benchmarks/results/engine/engine-throughput.{csv,md}. Run it on an idle machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export OPT_OUT_TRACKING=true

work="$root/benchmarks/work"
mkdir -p "$work"
extra=()
if [ "${1:-}" = "--llama2c" ]; then
  gcc -Ofast -fopenmp -march=native -o "$work/runomp" "$2/run.c" -lm
  extra+=(--runc "$work/runomp")
  shift 2
fi

mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl benchmarks -am
cp="$(mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -Xmx12g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "benchmarks/target/classes:$cp" dev.weft.benchmarks.engine.EngineBenchmark \
  --out benchmarks/results/engine --work "$work" --models "$root/../shared/models" \
  "${extra[@]}" "$@"
