#!/usr/bin/env bash
# Scale study (issue 8): time to 85% test accuracy, Fashion-MNIST MLP, All-Reduce / PS / AD-PSGD,
# at 4 and 8 real worker JVMs and 4, 8, 16, 64 simulated workers, homogeneous and with the last
# worker 5x slower. Run from the repository root; cells already present are skipped, so it can be
# run in pieces:  benchmarks/results/trainer/scale/scale.sh real 4 homogeneous allreduce 700
#                 benchmarks/results/trainer/scale/scale.sh fit 4
#                 benchmarks/results/trainer/scale/scale.sh sim 4 homogeneous allreduce 700
#                 benchmarks/results/trainer/scale/scale.sh report
# Real runs are timing-sensitive: one at a time machine-wide, in the CPU-priority cgroup
# (flock + cgroup recipe). Simulated runs are not (virtual time) but got almost no CPU at nice 19
# on the loaded machine of 2026-11-26, so they run the same way.
# The 2026-11-26 21:13-21:53 UTC study ran, in this order (WEFT = a frozen copy of ./weft):
#   for N in 4 8 (ITERS 900 / 700), SETTING in homogeneous 5x, ALGO in allreduce ps adpsgd:
#     scale.sh real N SETTING ALGO ITERS                 (alone on the machine)
#   scale.sh fit 4; scale.sh fit 8
#   the same loops with `sim` instead of `real`; then for N in 16 64: scale.sh sim N SETTING ALGO 600 4
#   reruns with larger budgets (AD-PSGD had not reached 85%): sim 8 5x adpsgd 1000,
#   sim 16 homogeneous adpsgd 1500 4, sim 16 5x adpsgd 1500 4; then scale.sh report
set -euo pipefail
weft=${WEFT:-./weft}
out=${SCALE_OUT:-/tmp/weft-scale}
results=benchmarks/results/trainer/scale
every=20 # worker 0 keeps its parameters every 20 iterations; evaluated after training
# Real runs warm up their JIT before the clock starts (untimed gradients and 1 MiB ring
# all-reduces): the simulation models the steady state, and a fresh JVM takes several hundred
# iterations to reach it (../exchange.md).
warmup=${WARMUP:-500}
# Simulated per-process bandwidth: gRPC's measured throughput on this machine (1-10 MB ring
# all-reduce bus bandwidth 0.26-0.36 GB/s, ../exchange.md), not the loopback NIC's.
bw=${SIM_BW:-300}
common=(--model mlp --dataset fashion-mnist --epochs 50 --batch 32 --lr 0.1 --seed 1
  --checkpoint-every 0 --servers 1)

locked() { # one command in the CPU-priority cgroup, one at a time machine-wide
  mkdir -p /sys/fs/cgroup/cpu/weftbench
  echo 262144 >/sys/fs/cgroup/cpu/weftbench/cpu.shares
  flock /tmp/weft-bench.lock bash -c 'echo $$ > /sys/fs/cgroup/cpu/weftbench/cgroup.procs; echo "load: $(cat /proc/loadavg)"; exec "$@"' _ "$@"
}

slow_flag() { # workers setting
  if [ "$2" = 5x ]; then echo "--slowdown $(($1 - 1))=5"; fi
}

case "$1" in
real) # real WORKERS SETTING ALGO MAX_ITERATIONS
  cell="$out/cells/real-$2/$3/$4"
  [ -f "$cell/accuracy.csv" ] && exit 0
  rm -rf "$cell"
  # shellcheck disable=SC2046
  locked "$weft" train --algo "$4" --workers "$2" "${common[@]}" --accuracy-every "$every" \
    --max-iterations "$5" --warmup-iterations "$warmup" \
    --worker-heap 384m $(slow_flag "$2" "$3") --out "$cell"
  ;;
fit) # fit WORKERS: latency for sim-WORKERS so that simulated All-Reduce exchange time per
  # iteration matches real-WORKERS homogeneous All-Reduce (secant on two simulations)
  real="$out/cells/real-$2/homogeneous/allreduce"
  iters=$(awk -F, 'NR>1 && $1==0 {n++} END {print n}' "$real/metrics.csv")
  wait_mean() { awk -F, 'NR>1 && $2>0 {s+=$7; n++} END {printf "%.6f", s/n}' "$1"; }
  target=$(wait_mean "$real/metrics.csv")
  declare -A w
  for lat in 0 2; do
    d="$out/fit/sim-$2-lat$lat"
    rm -rf "$d"
    locked "$weft" train --simulate --algo allreduce --workers "$2" "${common[@]}" \
      --max-iterations "$iters" --sim-compute-from "$real/metrics.csv" \
      --sim-latency-ms "$lat" --sim-bandwidth-mbps "$bw" --out "$d" >/dev/null
    w[$lat]=$(wait_mean "$d/metrics.csv")
  done
  lat=$(awk -v t="$target" -v a="${w[0]}" -v b="${w[2]}" \
    'BEGIN {l = 2 * (t - a) / (b - a); if (l < 0) l = 0; printf "%.4f", l}')
  mkdir -p "$out/fit"
  echo "$2,$target,${w[0]},${w[2]},$lat" | tee -a "$out/fit/latency.csv"
  ;;
sim) # sim WORKERS SETTING ALGO MAX_ITERATIONS [CALIBRATION_SCALE]
  cell="$out/cells/sim-$2/$3/$4"
  [ -f "$cell/accuracy.csv" ] && exit 0
  rm -rf "$cell"
  cal=${6:-$2}
  # Compute: this cell's real twin where there is one, else real-CAL homogeneous All-Reduce.
  from="$out/cells/real-$2/$3/$4/metrics.csv"
  [ -f "$from" ] || from="$out/cells/real-$cal/homogeneous/allreduce/metrics.csv"
  lat=$(awk -F, -v n="$cal" '$1==n {l=$5} END {print l}' "$out/fit/latency.csv")
  # shellcheck disable=SC2046
  locked "$weft" train --simulate --algo "$4" --workers "$2" "${common[@]}" \
    --accuracy-every "$every" --max-iterations "$5" $(slow_flag "$2" "$3") --sim-compute-from "$from" \
    --sim-latency-ms "$lat" --sim-bandwidth-mbps "$bw" --out "$cell"
  ;;
report)
  "$weft" train scale-report --cells "$out/cells" --fit "$out/fit/latency.csv" --target 0.85 \
    --out "$results"
  ;;
*)
  echo "usage: $0 real|fit|sim|report ..." >&2
  exit 2
  ;;
esac
