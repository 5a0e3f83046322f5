#!/usr/bin/env bash
# Reproduces the study cells under benchmarks/results/trainer/study (run from the repository root).
# Real runs are timing-sensitive: run them one at a time with the flock/cgroup recipe of the brief.
set -euo pipefail
weft=${WEFT:-./weft}
out=${STUDY_OUT:-/tmp/weft-study}
# 4 real worker JVMs (one intra-op thread each), Fashion-MNIST CNN, 300 iterations per worker.
"$weft" train study --out "$out" --scales real-4 --settings 5 \
  --variants allreduce,ripples,hop,hop-plain --model cnn --iterations real-4=300
"$weft" train study --out "$out" --scales real-4 --settings 1 \
  --variants allreduce,ripples,hop,hop-plain --model cnn --iterations real-4=300
# 16 simulated workers (virtual time; compute modelled at 30 ms per iteration, the MLP's real
# gradients for accuracy, 50 us latency, 1.25 GB/s per NIC).
"$weft" train study --out "$out" --scales sim-16 --settings 1 --variants allreduce \
  --model mlp --iterations sim-16=150 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-16 --settings 1,5 --variants ripples \
  --model mlp --iterations sim-16=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-16 --settings 5 --variants allreduce \
  --model mlp --iterations sim-16=60 --sim-compute-ms 30
for v in hop hop-plain ps adpsgd; do
  "$weft" train study --out "$out" --scales sim-16 --settings 5 --variants "$v" \
    --model mlp --iterations sim-16=60 --sim-compute-ms 30
done
for v in ps adpsgd; do
  "$weft" train study --out "$out" --scales sim-16 --settings 1 --variants "$v" \
    --model mlp --iterations sim-16=60 --sim-compute-ms 30
done
# sim-16 with one worker 2x slower, and static Ripples (rotating partitions) homogeneous.
"$weft" train study --out "$out" --scales sim-16 --settings 2 \
  --variants allreduce,ripples,hop,hop-plain --model mlp --iterations sim-16=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-16 --settings 1 --variants ripples-static \
  --model mlp --iterations sim-16=60 --sim-compute-ms 30
# 64 simulated workers: same network, compute and model as sim-16, 60 iterations per worker for
# every variant and setting (each cell took 80-100 s of machine time).
"$weft" train study --out "$out" --scales sim-64 --settings 5 --variants ripples,allreduce \
  --model mlp --iterations sim-64=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-64 --settings 1 --variants allreduce,ripples \
  --model mlp --iterations sim-64=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-64 --settings 5 --variants hop,hop-plain,adpsgd \
  --model mlp --iterations sim-64=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-64 --settings 1 --variants hop,hop-plain \
  --model mlp --iterations sim-64=60 --sim-compute-ms 30
"$weft" train study --out "$out" --scales sim-64 --settings 2 \
  --variants allreduce,ripples,hop,hop-plain --model mlp --iterations sim-64=60 --sim-compute-ms 30
