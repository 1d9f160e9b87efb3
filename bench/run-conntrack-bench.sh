#!/bin/bash
# Conntrack benchmark: generates the 1,000,000-line capture (1,000 instances' fixed IPs in ~30% of the entries) unless
# it exists, runs the BenchmarkDotNet suite (short job: a few minutes), then times `grep -c src=` over the same file.
# Then every capture shape (CaptureShapes.cs) against `grep -c src=` in the same run, and the tool source over 4 KiB writes.
# Usage: bench/run-conntrack-bench.sh [extra BenchmarkDotNet arguments]; OIE_BENCH_CAPTURE=FILE to choose the capture;
# OIE_BENCH_SHAPES_ONLY=1 to skip BenchmarkDotNet. The exporter is a native (AOT) build; for its figures publish the
# benchmark natively (see docs/performance.md) and run its `shapes` / `tool` commands the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
export OIE_BENCH_CAPTURE=${OIE_BENCH_CAPTURE:-/var/tmp/oie-conntrack-bench/capture-1M.txt}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build bench/Oie.Benchmarks -c Release -nologo -v q
bench=bench/Oie.Benchmarks/bin/Release/net10.0/Oie.Benchmarks.dll
mkdir -p "$(dirname "$OIE_BENCH_CAPTURE")"
[ -s "$OIE_BENCH_CAPTURE" ] || dotnet "$bench" generate "$OIE_BENCH_CAPTURE"
ls -l "$OIE_BENCH_CAPTURE"

if [ -z "${OIE_BENCH_SHAPES_ONLY:-}" ]; then
  (cd bench/Oie.Benchmarks && dotnet "bin/Release/net10.0/Oie.Benchmarks.dll" --filter '*Conntrack*' --job short \
    --artifacts ../artifacts "$@")
fi

echo "== every capture shape, 1M lines each (generated once into $(dirname "$OIE_BENCH_CAPTURE")), against grep -c src="
dotnet "$bench" shapes "$(dirname "$OIE_BENCH_CAPTURE")" 1000000 7
echo "== the tool source (-conntrack.command) over a stand-in writing the capture 4 KiB at a time"
dotnet "$bench" tool "$OIE_BENCH_CAPTURE" 5

echo "== grep -c src= over the same file (output to a file: grep stops at the first match when writing to /dev/null)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs 20 --output=pipe "grep -c src= $OIE_BENCH_CAPTURE"
else
  for _ in 1 2 3; do ( time grep -c src= "$OIE_BENCH_CAPTURE" > /tmp/oie-grep-count ) 2>&1 | grep real; done
fi
