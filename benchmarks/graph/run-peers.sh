#!/usr/bin/env bash
# Graph peer benchmark: weft (java backend, 2 threads) vs the GAP benchmark suite
# (OMP_NUM_THREADS=2) vs JGraphT, on the same generated graph files; plus the ReRAM crossbar
# model's estimate from weft's tile stream. Writes benchmarks/results/graph-peers.csv.
#
#   GAP_DIR=/tmp/gapbs benchmarks/graph/run-peers.sh "kron:18 urand:18 kron:20" [jgrapht-specs]
#
# GAP must be built beforehand from its public source (never committed here):
#   fetch github:sbeamer/gapbs, export it to $GAP_DIR, run make there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
gap="${GAP_DIR:-/tmp/gapbs}"
dir="${GRAPH_DIR:-/tmp/weft-graphs}"
specs="${1:-kron:18 urand:18 kron:20}"
jgspecs="${2:-$specs}"
trials="${TRIALS:-5}"
# Untimed weft runs before its timed trials, so the timed ones run JIT-compiled code (GAP is
# ahead-of-time compiled C++ and needs none).
warmup="${WARMUP:-10}"
csv="$root/benchmarks/results/graph-peers.csv"
mkdir -p "$dir" "$root/benchmarks/results"
[ -x "$gap/pr" ] || { echo "build GAP in $gap first (make)" >&2; exit 1; }

(cd "$root" && mvn -B -q -pl benchmarks -am install -Dmaven.test.skip=true -Dspotless.check.skip=true -Denforcer.skip=true \
  && mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/cp.txt")"
# The CLI straight from the classpath just built: ./weft would rebuild whenever any module's
# sources change, which other work in progress can break mid-run.
weft() {
  java -Xmx12g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$cp" dev.weft.cli.WeftMain "$@"
}

echo "graph,algorithm,peer,threads,best_s,mean_s,checksum" > "$csv"
row() { echo "$1,$2,$3,$4,$5,$6,\"$7\"" >> "$csv"; echo "  $*"; }

# best and mean of GAP's "Trial Time:" lines
gap_run() {
  local out; out="$(OMP_NUM_THREADS=2 "$@")"
  echo "$out" | awk '/Trial Time/ {t=$3; n++; s+=t; if (b==""||t<b) b=t} END {printf "%s %.6f\n", b, s/n}'
}

for spec in $specs; do
  name="${spec/:/}"
  wel="$dir/$name.wel"; el="$dir/$name.el"
  if [ ! -f "$wel" ]; then
    weft graph export --graph "$spec" --out "$wel"
    awk '{print $1" "$2}' "$wel" > "$el"
    "$gap/converter" -f "$el" -s -b "$dir/$name.sg" > /dev/null
    "$gap/converter" -f "$wel" -s -w -b "$dir/$name.wsg" > /dev/null
  fi
  echo "== $spec"
  for algo in pagerank bfs sssp; do
    out="$(weft graph "$algo" --graph "$wel" --undirected --weighted --backend java \
      --threads 2 --trials "$trials" --warmup "$warmup" --crossbar)"
    best="$(echo "$out" | awk '/^time:/ {print $2}')"
    mean="$(echo "$out" | sed -n 's/.*mean \([0-9.]*\) s.*/\1/p')"
    sum="$(echo "$out" | sed -n 's/^checksum: //p')"
    row "$spec" "$algo" weft-java 2 "$best" "$mean" "$sum"
    est="$(echo "$out" | sed -n 's/^crossbar model: \([0-9.]*\) s, \([0-9.]*\) J.*/\1 \2/p')"
    row "$spec" "$algo" crossbar-model-estimate - "${est% *}" "${est% *}" "energy_J=${est#* }"
    if [ "$algo" != pagerank ]; then
      src="$(echo "$out" | sed -n 's/^[a-z]*: source \([0-9]*\),.*/\1/p')"
    fi
  done
  read -r b m <<< "$(gap_run "$gap/pr" -f "$dir/$name.sg" -n "$trials")"
  row "$spec" pagerank gap-pr-gauss-seidel 2 "$b" "$m" ""
  read -r b m <<< "$(gap_run "$gap/pr_spmv" -f "$dir/$name.sg" -n "$trials")"
  row "$spec" pagerank gap-pr_spmv-jacobi 2 "$b" "$m" ""
  read -r b m <<< "$(gap_run "$gap/bfs" -f "$dir/$name.sg" -r "$src" -n "$trials")"
  row "$spec" bfs gap 2 "$b" "$m" "source=$src"
  read -r b m <<< "$(gap_run "$gap/sssp" -f "$dir/$name.wsg" -r "$src" -n "$trials" -d 2)"
  row "$spec" sssp gap-delta2 2 "$b" "$m" "source=$src"
  if [[ " $jgspecs " == *" $spec "* ]]; then
    java -Xmx16g -cp "$cp" dev.weft.benchmarks.graph.JGraphTBench "$wel" "$src" 3 \
      pagerank bfs sssp | awk -F, -v g="$spec" '
        { k=$2; t=$4; n[k]++; s[k]+=t; if (!(k in b) || t<b[k]) b[k]=t; c[k]=$5 }
        END { for (k in n) printf "%s,%s,jgrapht,1,%.6f,%.6f,\"%s\"\n", g, k, b[k], s[k]/n[k], c[k] }' \
      | tee -a "$csv"
  fi
done
echo "wrote $csv"
