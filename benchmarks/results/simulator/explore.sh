#!/usr/bin/env bash
# Reproduces exploration.md/.csv/.png: simulations of the Azure conversation trace (15M shape) on
# this CPU (the profile's fitted cost model, and the measured roofline) and on modelled
# A100/H100/H200 rooflines; block size, policy, KV memory and preemption studies on the H100
# roofline. Run from the repository root after `mvn -pl simulator,data,cli,benchmarks -am install
# -DskipTests`; PROFILE and HARDWARE default to the files committed beside this script.
set -euo pipefail
out=benchmarks/results/simulator
profile=${PROFILE:-$out/profile-15M.json}
hardware=${HARDWARE:-$out/hardware.json}
trace=${TRACE:-../shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv}
cp="benchmarks/target/classes:cli/target/weft-cli.jar:$(ls cli/target/lib/*.jar | tr '\n' ':')"
java -cp "$cp" dev.weft.benchmarks.simulator.Exploration "$profile" "$hardware" "$trace" "$out" 1000
