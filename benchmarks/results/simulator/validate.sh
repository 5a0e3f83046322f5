#!/usr/bin/env bash
# Reproduces the committed validation (validation.md/.csv, cdf-*.png) and its inputs:
#   1. a random-weight 15M-shape model, 2. the profile sweep (profile-15M.json),
#   3. the machine probe (hardware.json), 4. validate: live server vs simulator at three loads.
# Run from the repository root on a quiet machine (it measures wall time; check `uptime`).
# WEFT may point at a frozen copy of the CLI so the run does not rebuild a tree in flux.
set -euo pipefail
weft=${WEFT:-./weft}
out=benchmarks/results/simulator
model=${MODEL:-/tmp/weft-sim/15M}
trace=${TRACE:-../shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv}
[ -d "$model" ] || $weft init-model --shape 15M --out "$model"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
$weft profile --model "$model" --out "$out/profile-15M.json" | tee "$out/profile-15M.txt"
$weft profile --hardware --out "$out/hardware.json" | tee "$out/hardware.txt"
$weft validate --model "$model" --trace "$trace" --loads light,medium,heavy \
  --max-requests "${REQUESTS:-1000}" --length-scale "${LENGTH_SCALE:-0.015625}" \
  --profile "$out/profile-15M.json" --out "$out" | tee "$out/validate.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
