#!/usr/bin/env bash
# Reproduces accuracy.md: each algorithm trains the Fashion-MNIST MLP with 4 worker JVMs
# (one intra-op thread each) on this machine. Run from the repository root:
#   benchmarks/results/trainer/accuracy.sh
set -euo pipefail
# WEFT may point at a frozen copy of the CLI so the runs do not rebuild a tree in flux.
weft=${WEFT:-./weft}
out=benchmarks/results/trainer
work=${WEFT_ACC_WORK:-/tmp/weft-accuracy}
common=(--workers 4 --model mlp --dataset fashion-mnist --epochs 2 --batch 32 --lr 0.1 --seed 1)
rm -rf "$work"
mkdir -p "$work"
{
  echo "# Fashion-MNIST MLP, 4 worker JVMs: test accuracy per algorithm"
  echo
  echo "Command: \`benchmarks/results/trainer/accuracy.sh\` (each row: \`./weft train --algo ALGO ${common[*]} --out DIR\`)  "
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)  "
  echo "Date: $(date -u +%Y-%m-%d)  "
  echo "Load: other builds shared the machine (load average at start: $(cut -d' ' -f1 /proc/loadavg)), so wall times are pessimistic."
  echo
  echo "| algo | extra flags | iterations (all workers) | wall s | final test accuracy |"
  echo "|---|---|---:|---:|---:|"
} > "$out/accuracy.md"
run() {
  local name=$1; shift
 "$weft" train "$@" "${common[@]}" --out "$work/$name" > "$work/$name.out" 2> "$work/$name.err"
  local acc; acc=$(tail -1 "$work/$name.out" | awk '{print $4}')
  local wall iters
  wall=$(grep -o 'wall_seconds=[0-9.]*' "$work/$name/summary.txt" | cut -d= -f2)
  iters=$(grep -o 'iterations=[0-9]*' "$work/$name/summary.txt" | cut -d= -f2)
  echo "| $1 $2 | ${*:3} | $iters | $wall | $acc |" >> "$out/accuracy.md"
  cp "$work/$name/loss.png" "$out/loss-$name.png"
  cp "$work/$name/metrics.csv" "$out/metrics-$name.csv"
}
run allreduce --algo allreduce
run ps --algo ps --servers 2
run ps-async --algo ps --servers 2 --async
run adpsgd --algo adpsgd
run hop --algo hop
run ripples --algo ripples
cat "$out/accuracy.md"
