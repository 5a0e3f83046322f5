#!/usr/bin/env bash
# Merges the per-load validation runs (WORK/load-*/validation.{md,csv}) into
# OUT/validation.{md,csv} and their PNGs into OUT/cdf-LOAD.png; the last line of validation.md is
# the worst targeted error over all loads.  Usage: merge.sh WORK [OUT]
set -euo pipefail
dir=${1:?usage: merge.sh WORK [OUT]}
res=${2:-benchmarks/results/simulator}
loads=""
for l in ${LOADS:-light medium heavy}; do [ -d "$dir/load-$l" ] && loads="$loads $l"; done
loads=$(echo $loads | tr ' ' '\n')
first=$(echo "$loads" | head -1)
{
  # header: everything of the first run's report before its CPU table
  sed -n '1,/^CPU seconds/p' "$dir/load-$first/validation.md" | sed '$d'
  sed -n '/^CPU seconds/,/^$/p' "$dir/load-$first/validation.md"
  sed -n '/^| load | rate/{p;n;p}' "$dir/load-$first/validation.md"
  for l in $loads; do sed -n '/^| load | rate/,/^$/p' "$dir/load-$l/validation.md" | sed -n '3,$p' | sed '/^$/d'; done
  echo
  sed -n '/^| load | metric/{p;n;p}' "$dir/load-$first/validation.md"
  for l in $loads; do sed -n '/^| load | metric/,/^$/p' "$dir/load-$l/validation.md" | sed -n '3,$p' | sed '/^$/d'; done
  echo
  sed -n '/^Step check/,/^$/p' "$dir/load-$first/validation.md"
  sed -n '/^| load | steps/{p;n;p}' "$dir/load-$first/validation.md"
  for l in $loads; do sed -n '/^| load | steps/,/^$/p' "$dir/load-$l/validation.md" | sed -n '3,$p' | sed '/^$/d'; done
  echo
  # worst targeted error over all loads (rows with a target)
  for l in $loads; do tail -n +2 "$dir/load-$l/validation.csv"; done \
    | awk -F, '$6 != "" && $5 + 0 >= w { w = $5 + 0; m = $2; l = $1 } END { printf "worst targeted error: %.2f%% (%s, %s)\n", w, m, l }'
} > "$res/validation.md"
{
  head -1 "$dir/load-$first/validation.csv"
  for l in $loads; do tail -n +2 "$dir/load-$l/validation.csv"; done
} > "$res/validation.csv"
for l in $loads; do cp "$dir/load-$l/cdf-$l.png" "$res/cdf-$l.png"; done
tail -1 "$res/validation.md"
