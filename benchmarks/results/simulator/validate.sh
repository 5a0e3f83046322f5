#!/usr/bin/env bash
# Reproduces the committed validation (validation.md/.csv, cdf-*.png) and its inputs:
#   1. a random-weight 15M-shape model, 2. the standing profile sweep through the live server
#   (profile-15M.json, used by explore.sh and weft simulate), 3. the machine probe (hardware.json),
#   4. validate, one load per run (each < 10 minutes, so that on a shared machine each can hold the
#   benchmark lock on its own): without --profile, each run first sweeps the live server
#   (profile-15M-LOAD.json) and then runs the load live and in the simulator, back to back in the
#   same machine conditions, 5. merge.sh: the three loads into one report.
# Run from the repository root. On a shared machine, run each step under the lock and CPU-priority
# cgroup of the brief (see STEP below). WEFT may point at a frozen copy of the CLI so that the run
# does not rebuild a tree in flux.
set -euo pipefail
# One PyTorch intra-op thread: on 2 cores the second one competes with the gRPC threads (see
# validation.md). The ./weft launcher passes WEFT_JAVA_OPTS to the JVM.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export WEFT_JAVA_OPTS=${WEFT_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}
weft=${WEFT:-./weft}
out=benchmarks/results/simulator
model=${MODEL:-/tmp/weft-sim/15M}
trace=${TRACE:-../shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv}
scale=${LENGTH_SCALE:-0.125}
steps=${STEPS_DIR:-/tmp/weft-sim/steps}
work=${WORK:-/tmp/weft-sim/validation}
# STEP wraps each measured step; e.g. STEP='flock /tmp/weft-bench.lock'
step=${STEP:-}
[ -d "$model" ] || $weft init-model --shape 15M --out "$model"
$step $weft profile --model "$model" --out "$out/profile-15M.json" | tee "$out/profile-15M.txt"
$step $weft profile --hardware --out "$out/hardware.json" | tee "$out/hardware.txt"
for load in ${LOADS:-light medium heavy}; do
  echo "load average before $load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/validate-$load.txt"
  $step $weft validate --model "$model" --trace "$trace" --loads "$load" \
    --max-requests "${REQUESTS:-1000}" --length-scale "$scale" \
    --steps-dir "$steps" --out "$work/load-$load" | tee -a "$out/validate-$load.txt"
  cp "$work/load-$load/profile.json" "$out/profile-15M-$load.json"
  echo "load average after $load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/validate-$load.txt"
done
bash "$out/merge.sh" "$work" "$out"
