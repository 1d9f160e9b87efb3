#!/bin/bash
# The scale harness at a size CI can afford, so that it cannot rot between the runs docs/performance.md quotes: BINARY on a
# 6-instance node with 3,000 flows, once through the text sources (path, command) and once through the kernel ones,
# netlink and the real tool (the harness's own namespace filled with the same flows), with the peer. `scale.py check`
# fails a run unless every cycle read every flow, every result is there and no scrape failed. Measures nothing worth
# quoting. Needs root (namespaces).
#
# usage: bench/scale/smoke.sh BINARY
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BINARY=$(realpath "${1:?usage: bench/scale/smoke.sh BINARY}")
WORK=$(mktemp -d /var/tmp/oie-scale-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

small=(--binary "$BINARY" --instances 6 --flows 3000 --cycles 2 --interval 1s --requests 100 --concurrency 10
  --bursts 2 --peer-requests 4 --scrape-interval 0.5s --scrape-duration 1s --work "$WORK" --port-base 19220)
status=0
run() {
  local name=$1; shift
  echo "== scale harness smoke: $name"
  if bash "$HERE/run.sh" "${small[@]}" "$@" --out "$WORK/$name.md" > "$WORK/$name.log" 2>&1 &&
     python3 "$HERE/scale.py" check "$WORK/results"; then
    echo "== scale harness smoke: $name ok"
  else
    echo "Failed!  - scale harness smoke ($name); its output:"; cat "$WORK/$name.log"; status=1
  fi
}
run text --no-peer
run kernel --conntrack-source kernel
exit $status
