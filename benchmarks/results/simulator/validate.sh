#!/usr/bin/env bash
# Reproduces the committed validation (validation.md/.csv, cdf-*.png) and its inputs:
#   1. a random-weight 15M-shape model, 2. the profile sweep through the live server
#   (profile-15M.json), 3. the machine probe (hardware.json), 4. validate: live server vs
#   simulator, one load per run (each run < 10 minutes, so that on a shared machine each can hold
#   the benchmark lock on its own), 5. merge.sh: the three loads into one report.
# Run from the repository root. On a shared machine, run each step under the lock and CPU-priority
# cgroup of the brief (see STEP below). WEFT may point at a frozen copy of the CLI so that the run
# does not rebuild a tree in flux.
set -euo pipefail
weft=${WEFT:-./weft}
out=benchmarks/results/simulator
model=${MODEL:-/tmp/weft-sim/15M}
trace=${TRACE:-../shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv}
scale=${LENGTH_SCALE:-0.125}
steps=${STEPS_DIR:-/tmp/weft-sim/steps}
# STEP wraps each measured step; e.g. STEP='flock /tmp/weft-bench.lock'
step=${STEP:-}
[ -d "$model" ] || $weft init-model --shape 15M --out "$model"
$step $weft profile --model "$model" --out "$out/profile-15M.json" | tee "$out/profile-15M.txt"
$step $weft profile --hardware --out "$out/hardware.json" | tee "$out/hardware.txt"
for load in ${LOADS:-light medium heavy}; do
  echo "load average before $load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/validate-$load.txt"
  $step $weft validate --model "$model" --trace "$trace" --loads "$load" \
    --max-requests "${REQUESTS:-1000}" --length-scale "$scale" \
    --profile "$out/profile-15M.json" --steps-dir "$steps" --out "$out/load-$load" \
    | tee -a "$out/validate-$load.txt"
  echo "load average after $load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/validate-$load.txt"
done
bash "$out/merge.sh" "$out"
