#!/bin/bash
# Conntrack benchmark: generates the 1,000,000-line capture (1,000 instances' fixed IPs in ~30% of the entries) unless
# it exists, runs the BenchmarkDotNet suite (short job: a few minutes), then times `grep -c src=` over the same file.
# Usage: bench/run-conntrack-bench.sh [extra BenchmarkDotNet arguments]; OIE_BENCH_CAPTURE=FILE to choose the capture.
set -euo pipefail
cd "$(dirname "$0")/.."
export OIE_BENCH_CAPTURE=${OIE_BENCH_CAPTURE:-/var/tmp/oie-conntrack-bench/capture-1M.txt}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build bench/Oie.Benchmarks -c Release -nologo -v q
bench=bench/Oie.Benchmarks/bin/Release/net10.0/Oie.Benchmarks.dll
mkdir -p "$(dirname "$OIE_BENCH_CAPTURE")"
[ -s "$OIE_BENCH_CAPTURE" ] || dotnet "$bench" generate "$OIE_BENCH_CAPTURE"
ls -l "$OIE_BENCH_CAPTURE"

(cd bench/Oie.Benchmarks && dotnet "bin/Release/net10.0/Oie.Benchmarks.dll" --filter '*Conntrack*' --job short \
  --artifacts ../artifacts "$@")

echo "== grep -c src= over the same file (output to a file: grep stops at the first match when writing to /dev/null)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs 20 --output=pipe "grep -c src= $OIE_BENCH_CAPTURE"
else
  for _ in 1 2 3; do ( time grep -c src= "$OIE_BENCH_CAPTURE" > /tmp/oie-grep-count ) 2>&1 | grep real; done
fi
