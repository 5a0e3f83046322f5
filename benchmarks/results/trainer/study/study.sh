#!/usr/bin/env bash
# Reproduces the study cells under benchmarks/results/trainer/study (run from the repository root).
# Time to target = first time the worker-average model reaches 80% on the first 2,000
# Fashion-MNIST test images. Real runs are timing-sensitive: one cell per lock hold with the
# flock/cgroup recipe of the brief; simulated runs report virtual time and ran at nice 19.
set -euo pipefail
weft=${WEFT:-./weft}
out=${STUDY_OUT:-/tmp/weft-study}
lock() {
  flock /tmp/weft-bench.lock bash -c 'echo $$ > /sys/fs/cgroup/cpu/weftbench/cgroup.procs; exec "$@"' _ "$@"
}
# 4 real worker JVMs (one intra-op thread each), Fashion-MNIST CNN, 400 iterations per worker.
for setting in 1 5 2; do
  for v in allreduce ripples hop hop-plain ps adpsgd ripples-static; do
    lock "$weft" train study --out "$out" --scales real-4 --settings "$setting" --variants "$v" \
      --model cnn --iterations real-4=400 --target-accuracy 0.8
  done
done
# 16 simulated workers (virtual time; compute modelled at 30 ms per iteration, the MLP's real
# gradients for accuracy, 50 us latency, 1.25 GB/s per NIC), 160 iterations per worker.
sim() {
  WEFT_JAVA_OPTS=-Xmx1200m nice -n 19 "$weft" train study --out "$out" --scales "$1" --settings "$2" --variants "$3" \
    --model mlp --iterations "$1=$4" --sim-compute-ms 30 --target-accuracy 0.8
}
sim sim-16 5,1 allreduce,ripples,hop,hop-plain 160
sim sim-16 5,1 ps,adpsgd,ripples-static 160
# 64 simulated workers: same network, compute and model, 120 iterations per worker.
sim sim-64 5,1 allreduce,ripples 120
sim sim-64 5,1 ps,adpsgd,hop,hop-plain,ripples-static 120
# one worker 2x slower at both simulated scales
sim sim-16 2 allreduce,ps,adpsgd,hop,hop-plain,ripples,ripples-static 160
sim sim-64 2 allreduce,ps,adpsgd,hop,hop-plain,ripples,ripples-static 120
