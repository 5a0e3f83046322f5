#!/usr/bin/env bash
# Block-circulant vs dense products, n = 4096, k = 64, batch 1 and 64, every backend
# (`weft circulant bench`), plus the machine's memory read bandwidth. Writes
# benchmarks/results/circulant/circulant-bench.csv and the console log next to it.
#
#   benchmarks/circulant/run-circulant-bench.sh
#
# Run it alone on the machine, with CPU priority (see the brief):
#   flock /tmp/weft-bench.lock bash -c 'echo $$ > /sys/fs/cgroup/cpu/weftbench/cgroup.procs;
#     exec benchmarks/circulant/run-circulant-bench.sh'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/benchmarks/results/circulant"
seconds="${SECONDS_PER_PRODUCT:-2}"
mkdir -p "$out"
jar="$root/cli/target/weft-cli.jar"
[ -f "$jar" ] || { echo "build the CLI first: ./weft --help" >&2; exit 1; }
csv="$out/circulant-bench.csv"
log="$out/circulant-bench.log"
rm -f "$csv"
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$log"
weft() {
  java -Xmx3g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar "$jar" "$@"
}
for batch in 1 64; do
  echo "\$ weft circulant bench --n 4096 --k 64 --batch $batch --seconds $seconds --bandwidth" >>"$log"
  weft circulant bench --n 4096 --k 64 --batch "$batch" --seconds "$seconds" --csv "$csv" \
    --bandwidth | tee -a "$log"
done
