#!/usr/bin/env python3
"""Contention-robust view of a bench-serve run: the 10th-percentile run time of decode-only
steps per batch size, from the server's step records (<label>-steps.csv), and the decode
throughput a full batch reaches at that cost. Usage: step_costs.py LABEL [LABEL...]"""
import csv
import statistics
import sys
from pathlib import Path

here = Path(__file__).parent
for label in sys.argv[1:]:
    rows = list(csv.DictReader(open(here / f"{label}-steps.csv")))
    by_batch = {}
    for r in rows:
        if r["prefill_tokens"] == "0":
            by_batch.setdefault(int(r["decode_tokens"]), []).append(int(r["run_ns"]) / 1e6)
    print(f"{label}: {len(rows)} steps")
    for b in sorted(by_batch):
        times = sorted(by_batch[b])
        if len(times) < 3:
            continue
        p10 = times[len(times) // 10]
        print(f"  batch {b:3d}: {len(times):4d} decode steps, p10 {p10:7.1f} ms, median"
              f" {statistics.median(times):7.1f} ms -> {1000 * b / p10:7.1f} tok/s at p10")
